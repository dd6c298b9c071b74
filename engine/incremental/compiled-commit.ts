import type { AnyNodeDefinition, StepContext } from '../core/node-definition.ts';
import type { CompiledPipeline } from '../pipeline/plan.ts';

/** Commits one bar through every node (the body of IncrementalRunner.push, specialised to one plan). */
export type CommitFn = (index: number, ctx: StepContext, states: unknown[], outputs: Record<string, unknown>[], firedAt: Int32Array) => void;

/**
 * Generates straight-line code for one plan: per node, its dirty check against the nodes it
 * reads, its input copies with constant port names, and a call of its own `step`. Every call site
 * then sees a single node type, so V8 can inline the node's maths into the loop — the difference
 * between a graph interpreter and hand-fused code. The generated text holds only numbers and
 * JSON-quoted port names (validated identifiers); it never contains user text as code.
 *
 * `inputs[k]` are the runner's per-node input objects; `buffers[k][j]` the arrays of `many` ports,
 * already attached to those objects.
 */
export function compileCommit(plan: CompiledPipeline, defs: readonly AnyNodeDefinition[], params: readonly unknown[], inputs: readonly Record<string, unknown>[], buffers: readonly (unknown[] | null)[][]): CommitFn {
  const lines: string[] = ['"use strict";'];
  plan.nodes.forEach((_, k) => lines.push(`const D${k} = D[${k}], P${k} = P[${k}], I${k} = I[${k}];`));
  buffers.forEach((row, k) => row.forEach((b, j) => b !== null && lines.push(`const B${k}_${j} = B[${k}][${j}];`)));
  lines.push('return function commit(index, ctx, S, O, F) {');
  plan.nodes.forEach((node, k) => {
    const source = node.def.role === 'candles' || node.def.role === 'account';
    const call = `if (D${k}.step(S[${k}], I${k}, O[${k}], P${k}, ctx)) F[${k}] = index;`;
    if (source || node.upstream.length === 0) {
      lines.push(source ? `  ${call}` : '');
      return;
    }
    lines.push(`  if (${node.upstream.map((u) => `F[${u}] === index`).join(' || ')}) {`);
    node.inputs.forEach((input, j) => {
      if (input.sources.length === 0) return;
      if (input.spec.many) {
        input.sources.forEach((s, m) => lines.push(`    B${k}_${j}[${m}] = O[${s.node}][${JSON.stringify(s.port)}];`));
      } else {
        const s = input.sources[0]!;
        lines.push(`    I${k}[${JSON.stringify(input.port)}] = O[${s.node}][${JSON.stringify(s.port)}];`);
      }
    });
    lines.push(`    ${call}`);
    lines.push('  }');
  });
  lines.push('};');
  const text = lines.join('\n');
  // One factory per distinct plan structure: runners of the same structure (a sweep's parameter
  // sets) then share the function's feedback and optimised code instead of warming up each time.
  let factory = FACTORIES.get(text);
  if (factory === undefined) {
    factory = new Function('D', 'P', 'I', 'B', text) as CommitFactory;
    FACTORIES.set(text, factory);
    if (FACTORIES.size > 256) FACTORIES.delete(FACTORIES.keys().next().value!);
  }
  return factory(defs, params, inputs, buffers);
}

type CommitFactory = (d: unknown, p: unknown, i: unknown, b: unknown) => CommitFn;
const FACTORIES = new Map<string, CommitFactory>();

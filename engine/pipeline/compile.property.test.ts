import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BarflowError, BarflowErrors } from '../core/errors.ts';
import { createRegistry, defineNode } from '../core/node-definition.ts';
import { replayFeed } from '../../nodes/feeds/replay/replay.node.ts';
import { sma } from '../../nodes/indicators/sma/sma.node.ts';
import { resample } from '../../nodes/transforms/resample/resample.node.ts';
import { compilePipelineText } from './compile.ts';

/** a `many` input: any number of earlier nodes can feed it */
const merge = defineNode({
  type: 'test.merge',
  version: 1,
  title: 'Merge',
  category: 'transform',
  summary: 'sum of xs',
  params: z.object({}),
  inputs: { xs: { type: 'series', many: true } },
  outputs: { value: { type: 'series' } },
  warmup: () => 0,
  init: () => ({}),
  step(_s: object, i: { xs: number[] }, o: { value: number }) {
    o.value = i.xs.reduce((acc, x) => acc + x, 0);
    return true;
  },
});

const registry = createRegistry([replayFeed, resample, sma, merge]);

/**
 * A random DAG: node 0 is the feed, node i ≥ 1 merges 1–3 sources picked among nodes 0..i-1 (edges
 * only go from earlier to later nodes). `order` is the order the nodes are written in the YAML.
 */
interface Dag {
  n: number;
  sources: number[][]; // sources[i] for i ≥ 1 (sources[0] is empty)
  order: number[];
}

const dagArb: fc.Arbitrary<Dag> = fc.integer({ min: 2, max: 40 }).chain((n) =>
  fc
    .tuple(
      fc.tuple(...Array.from({ length: n - 1 }, (_, k) => fc.array(fc.nat({ max: k }), { minLength: 1, maxLength: 3 }))),
      fc.shuffledSubarray(Array.from({ length: n }, (_, i) => i), { minLength: n, maxLength: n }),
    )
    .map(([sources, order]) => ({ n, sources: [[], ...sources], order })),
);

const ref = (j: number) => (j === 0 ? 'n0.close' : `n${j}.value`);

function dagYaml(dag: Dag, extra: { to: number; from: number } | null = null): string {
  const lines = ['pipeline: dag', 'nodes:'];
  for (const i of dag.order) {
    if (i === 0) {
      lines.push('  n0: { type: feed.replay, params: { file: candles.csv } }');
      continue;
    }
    const refs = dag.sources[i]!.map(ref);
    if (extra !== null && extra.to === i) refs.push(ref(extra.from));
    lines.push(`  n${i}: { type: test.merge, in: { xs: [${refs.join(', ')}] } }`);
  }
  return lines.join('\n') + '\n';
}

/** nodes (other than the feed) with a path to `target`, and `target` itself */
function ancestorsOf(dag: Dag, target: number): number[] {
  const seen = new Set<number>([target]);
  const stack = [target];
  while (stack.length > 0) {
    for (const s of dag.sources[stack.pop()!]!) {
      if (s !== 0 && !seen.has(s)) {
        seen.add(s);
        stack.push(s);
      }
    }
  }
  return [...seen].sort((a, b) => a - b);
}

function errorsOf(run: () => unknown): BarflowError[] {
  try {
    run();
  } catch (error) {
    if (error instanceof BarflowErrors) return error.errors;
    if (error instanceof BarflowError) return [error];
    throw error;
  }
  return [];
}

describe('compiler properties', () => {
  it('compiles every random DAG and orders every edge source before its target', () => {
    fc.assert(
      fc.property(dagArb, (dag) => {
        const plan = compilePipelineText(dagYaml(dag), 'dag.yaml', registry);
        expect(plan.nodes).toHaveLength(dag.n);
        const at = (i: number) => plan.byId.get(`n${i}`)!.index;
        const violations: string[] = [];
        for (let i = 1; i < dag.n; i++) for (const j of dag.sources[i]!) if (at(j) >= at(i)) violations.push(`n${j} → n${i}`);
        // and the plan's own wiring agrees: every source comes earlier
        for (const node of plan.nodes) for (const input of node.inputs) for (const s of input.sources) if (s.node >= node.index) violations.push(`${s.node} → ${node.index}`);
        expect(violations).toEqual([]);
        expect(plan.candleSource).toBe(at(0));
      }),
      { seed: 42, numRuns: 120 },
    );
  });

  it('is deterministic: the YAML order of nodes only breaks ties, the same graph compiles to the same plan twice', () => {
    fc.assert(
      fc.property(dagArb, (dag) => {
        const a = compilePipelineText(dagYaml(dag), 'dag.yaml', registry).nodes.map((n) => n.id);
        const b = compilePipelineText(dagYaml(dag), 'dag.yaml', registry).nodes.map((n) => n.id);
        expect(a).toEqual(b);
      }),
      { seed: 42, numRuns: 30 },
    );
  });

  it('rejects the same DAG plus one back-edge with a graph.cycle error naming both endpoints', () => {
    const withBackEdge = dagArb.chain((dag) =>
      fc.record({
        dag: fc.constant(dag),
        from: fc.integer({ min: 1, max: dag.n - 1 }),
        pick: fc.nat(),
      }),
    );
    fc.assert(
      fc.property(withBackEdge, ({ dag, from, pick }) => {
        // the back-edge from → to closes a cycle because `to` reaches `from` (to === from is a self-loop)
        const candidates = ancestorsOf(dag, from);
        const to = candidates[pick % candidates.length]!;
        const errors = errorsOf(() => compilePipelineText(dagYaml(dag, { to, from }), 'dag.yaml', registry));
        expect(errors.map((e) => e.code)).toEqual(['graph.cycle']);
        const message = errors[0]!.format();
        expect(message).toMatch(/^dag\.yaml:\d+:3: node "n\d+": cycle: /);
        const walk = /cycle: (.*?);/.exec(message)![1]!.split(' → ');
        expect(walk).toContain(`n${from}`);
        expect(walk).toContain(`n${to}`);
        // the walk is a closed path along real edges
        expect(walk[0]).toBe(walk[walk.length - 1]);
        const edge = (a: string, b: string) => {
          const target = Number(b.slice(1));
          const source = Number(a.slice(1));
          return dag.sources[target]!.includes(source) || (source === from && target === to);
        };
        for (let k = 0; k + 1 < walk.length; k++) expect(edge(walk[k]!, walk[k + 1]!), `${walk[k]} → ${walk[k + 1]}`).toBe(true);
      }),
      { seed: 42, numRuns: 150 },
    );
  });
});

/* ---------- garbage in, BarflowError(s) out ---------- */

const TOKENS = [
  'pipeline', 'nodes', 'subgraphs', 'description', 'locked', 'forkedFrom', 'type', 'use', 'params', 'in', 'inputs', 'outputs',
  'version', 'label', 'feed', 'n0', 'g', 'inner', 'x', 's', 'feed.replay', 'indicator.sma', 'transform.resample', 'test.merge',
  'feed.close', 'feed.bar', 's.value', 'g.v', '$in.x', '$in.constructor', '$in.__proto__', '$p', '$toString', '$$x', 'constructor',
  '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'period', 'timeframe', 'file', 'series', 'bar', 'bool', '1h', '7m', '5',
  '-1', '0', '1e309', 'null', '~', 'true', '[]', '{}', '&a', '*a', '&b', '*b', '!!binary', '!!set', '!!omap', '!!map', '!!seq',
  '!!str', '!!int', '!!float', '!custom', '? ', ':', ': ', '- ', '-', '{', '}', '[', ']', ',', '"', "'", '#', '|', '>', '---',
  '...', '%YAML 1.2', '\t', '\\', '$', 'a.b', 'a/b.c', 'Ω', '\u0000', '\uFEFF',
];

const tokenSoup = fc
  .array(
    fc
      .tuple(fc.integer({ min: 0, max: 8 }), fc.array(fc.constantFrom(...TOKENS), { maxLength: 6 }), fc.constantFrom(' ', '', ': ', ', '))
      .map(([indent, tokens, sep]) => ' '.repeat(indent) + tokens.join(sep)),
    { maxLength: 30 },
  )
  .map((lines) => lines.join('\n'));

const VALID = [
  'pipeline: t',
  'subgraphs:',
  '  g:',
  '    params: { p: 3 }',
  '    inputs: { x: series }',
  '    outputs: { v: s.value }',
  '    nodes:',
  '      s: { type: indicator.sma, params: { period: $p }, in: { source: $in.x } }',
  'nodes:',
  '  feed: { type: feed.replay, params: { file: a.csv } }',
  '  h: { type: transform.resample, params: { timeframe: 1h }, in: { bar: feed.bar } }',
  '  i: { use: g, params: { p: 5 }, in: { x: h.close } }',
  '  m: { type: test.merge, in: { xs: [i.v, feed.close] } }',
].join('\n');

const mutatedValid = fc
  .array(fc.tuple(fc.nat(), fc.constantFrom(...TOKENS, '\n', '  ', ''), fc.nat({ max: 6 })), { minLength: 1, maxLength: 6 })
  .map((edits) => {
    let text = VALID;
    for (const [at, insert, remove] of edits) {
      const p = at % (text.length + 1);
      text = text.slice(0, p) + insert + text.slice(p + remove);
    }
    return text;
  });

const anyText = fc.string({ maxLength: 300, unit: 'binary' });

/** every complaint is a BarflowError that names the file; a plan is fine too */
function onlyBarflowErrors(text: string): boolean {
  try {
    compilePipelineText(text, 'garbage.yaml', registry);
    return true;
  } catch (error) {
    const errors = error instanceof BarflowErrors ? error.errors : error instanceof BarflowError ? [error] : null;
    if (errors === null) throw new Error(`compiler crashed with ${String(error)} on ${JSON.stringify(text)}`);
    return errors.length > 0 && errors.every((e) => e instanceof BarflowError && e.format().startsWith('garbage.yaml'));
  }
}

describe('the compiler on garbage', () => {
  it('answers YAML-ish token soup with BarflowError(s) only', () => {
    fc.assert(fc.property(tokenSoup, onlyBarflowErrors), { seed: 42, numRuns: 700 });
  });

  it('answers random edits of a valid pipeline with a plan or BarflowError(s) only', () => {
    fc.assert(fc.property(mutatedValid, onlyBarflowErrors), { seed: 42, numRuns: 700 });
  });

  it('answers arbitrary text with BarflowError(s) only', () => {
    fc.assert(fc.property(anyText, onlyBarflowErrors), { seed: 42, numRuns: 500 });
  });
});

import { BarflowError, BarflowErrors, closest, quote } from '../core/errors.ts';
import type { ParamOverride } from '../pipeline/overrides.ts';
import type { CompiledPipeline, PlanNode } from '../pipeline/plan.ts';
import { compilePipelineText } from '../pipeline/compile.ts';
import type { NodeRegistry } from '../core/node-definition.ts';

/** One parameter set of a sweep: the `--set` overrides that make it. */
export type ParamSet = readonly ParamOverride[];

/**
 * A compiled plan with some params replaced, without recompiling the YAML: the touched nodes'
 * params are re-validated by their own schemas (and `check` hooks), everything else is shared.
 * Overrides that change a clock (a resampler's timeframe) change the graph's structure, so those
 * go through the full compiler instead.
 */
export function planVariant(base: CompiledPipeline, set: ParamSet, recompile: () => { text: string; registry: NodeRegistry }): CompiledPipeline {
  if (set.length === 0) return base;
  const touched = new Map<string, Record<string, unknown>>();
  for (const o of set) {
    const node = base.byId.get(o.node);
    if (node === undefined) {
      const hint = closest(o.node, base.byId.keys());
      throw new BarflowError('set.unknown-node', `--set ${quote(o.text)}: no node ${quote(o.node)}${hint ? ` (did you mean ${quote(hint)}?)` : ''}`, { field: '--set', node: o.node }, o.text);
    }
    if (node.def.outputInterval !== undefined) {
      const { text, registry } = recompile();
      return compilePipelineText(text, base.file, registry, { overrides: set });
    }
    const params = touched.get(o.node) ?? { ...(node.params as Record<string, unknown>) };
    params[o.param] = o.value;
    touched.set(o.node, params);
  }
  const errors: BarflowError[] = [];
  const nodes: PlanNode[] = base.nodes.map((node) => {
    const raw = touched.get(node.id);
    if (raw === undefined) return node;
    const known = Object.keys((node.def.params as unknown as { shape?: Record<string, unknown> }).shape ?? {});
    for (const key of Object.keys(raw)) {
      if (!known.includes(key)) errors.push(new BarflowError('param.unknown', `--set ${node.id}.${key}: ${node.def.type} has no param ${quote(key)}; known: ${known.join(', ')}`, { field: '--set', node: node.id, param: key }, key));
    }
    const parsed = node.def.params.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) errors.push(new BarflowError('param.invalid', `--set ${node.id}.${issue.path.join('.')}: ${issue.message}`, { field: '--set', node: node.id, param: issue.path.join('.') }, raw[String(issue.path[0])]));
      return node;
    }
    const problem = node.def.check?.(parsed.data, Object.fromEntries(node.inputs.map((i) => [i.port, i.sources.length])));
    if (problem !== undefined) errors.push(new BarflowError('node.check', problem, { field: '--set', node: node.id }));
    return { ...node, params: parsed.data };
  });
  if (errors.length > 0) throw new BarflowErrors(errors);
  return { ...base, nodes, byId: new Map(nodes.map((n) => [n.id, n])) };
}

import { fileURLToPath } from 'node:url';
import { BarflowError, BarflowErrors } from '../../core/errors.ts';
import type { CompiledPipeline } from '../../pipeline/plan.ts';
import type { GraphGroup, GraphNode, Problem } from '../protocol/rest.ts';

/** The compiled graph as the editor draws it: nodes with typed ports, wiring by node id, groups. */
export function graphNodes(plan: CompiledPipeline): GraphNode[] {
  return plan.nodes.map((n) => ({
    id: n.id,
    type: n.def.type,
    title: n.def.title,
    category: n.def.category,
    group: n.group,
    label: n.label,
    line: n.line,
    params: n.params,
    clock: n.clock.label,
    inputs: n.inputs.map((input) => ({
      port: input.port,
      type: input.spec.type,
      many: input.spec.many === true,
      optional: input.spec.optional === true,
      sources: input.sources.map((s) => ({ node: plan.nodes[s.node]!.id, port: s.port })),
    })),
    outputs: Object.entries(n.def.outputs).map(([port, spec]) => ({ port, type: spec.type, many: false, optional: false })),
    historyDependent: [...n.historyDependent],
  }));
}

export function graphGroups(plan: CompiledPipeline): GraphGroup[] {
  return plan.groups.map((g) => ({ id: g.id, subgraph: g.subgraph, parent: g.parent, params: g.params, label: g.label }));
}

const PROJECT_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Server paths are the server's business: clients see them relative to the project. */
export function withoutServerPaths(text: string): string {
  return text.split(PROJECT_ROOT).join('');
}

/** Compiler errors as the editor shows them (Monaco markers need line and column). */
export function problemsOf(error: unknown): Problem[] {
  const list = error instanceof BarflowErrors ? error.errors : error instanceof BarflowError ? [error] : null;
  if (list === null) throw error;
  return list.map((e) => ({
    code: e.code,
    message: withoutServerPaths(e.message),
    formatted: withoutServerPaths(e.format()),
    line: e.location.line,
    column: e.location.column,
    node: e.location.node,
    port: e.location.port,
    param: e.location.param,
    field: e.location.field,
  }));
}

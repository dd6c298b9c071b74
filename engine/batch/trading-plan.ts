import type { CompiledPipeline, PlanNode } from '../pipeline/plan.ts';
import { columnSourceOf, columnSourceParams } from './column-source.ts';
import type { NodeColumns } from './columns.ts';

/**
 * The trading part of a plan: the account and executor nodes and everything that reads them (they
 * form a loop through the venue, so they must run bar by bar per parameter set). The rest — feeds,
 * indicators, scorers, the gates that only read signals — is the signal part, computed once per
 * distinct parameter combination over the whole series.
 */
export function tradingNodes(plan: CompiledPipeline): Set<number> {
  const trading = new Set<number>();
  for (const node of plan.nodes) {
    const root = node.def.role === 'account' || node.def.role === 'executor';
    if (root || node.upstream.some((u) => trading.has(u))) trading.add(node.index);
  }
  return trading;
}

/**
 * A plan of just the trading nodes, fed by column sources standing in for the signal nodes they
 * read. Node order and wiring are otherwise those of the original plan.
 */
export function tradingPlan(plan: CompiledPipeline, trading: Set<number>, columnsOf: (signalNode: number) => NodeColumns, start: number): CompiledPipeline {
  const feeding = new Set<number>();
  for (const k of trading) for (const u of plan.nodes[k]!.upstream) if (!trading.has(u)) feeding.add(u);
  // the ports of each signal node that trading nodes read: a column source publishes only those
  const used = new Map<number, Set<string>>();
  for (const k of trading) {
    for (const input of plan.nodes[k]!.inputs) {
      for (const s of input.sources) if (feeding.has(s.node)) (used.get(s.node) ?? used.set(s.node, new Set()).get(s.node)!).add(s.port);
    }
  }
  const order = [...[...feeding].sort((a, b) => a - b), ...[...trading].sort((a, b) => a - b)];
  const newIndex = new Map(order.map((old, i) => [old, i]));
  const nodes: PlanNode[] = order.map((old, i) => {
    const original = plan.nodes[old]!;
    if (feeding.has(old)) {
      const def = columnSourceOf(original.def);
      return { ...original, index: i, def, params: columnSourceParams(columnsOf(old), start, used.get(old)), inputs: [], upstream: [] };
    }
    const inputs = original.inputs.map((input) => ({ ...input, sources: input.sources.map((s) => ({ node: newIndex.get(s.node)!, port: s.port })) }));
    return { ...original, index: i, inputs, upstream: original.upstream.map((u) => newIndex.get(u)!).sort((a, b) => a - b) };
  });
  const executor = plan.executor === null ? null : (newIndex.get(plan.executor) ?? null);
  return { ...plan, nodes, byId: new Map(nodes.map((n) => [n.id, n])), candleSource: 0, executor };
}

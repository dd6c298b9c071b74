import { settleOf } from '../core/node-definition.ts';
import type { CompiledPipeline } from '../pipeline/plan.ts';

/**
 * How much history (in base bars) every node needs before its outputs stop depending on where the
 * data began: along each path, each node adds its settle count times its clock's interval. A run
 * that starts at `--from` feeds this much earlier data first, with trading off.
 */
export function warmupBars(plan: CompiledPipeline, baseIntervalMs: number): number {
  const leadMs = new Array<number>(plan.nodes.length).fill(0);
  let worst = 0;
  for (const node of plan.nodes) {
    // History-dependent nodes (OBV, what reads the account) count like any other: their windows
    // still need filling, even though their level never stops depending on where data began.
    const upstream = node.upstream.reduce((m, u) => Math.max(m, leadMs[u]!), 0);
    const interval = node.clock.intervalMs ?? baseIntervalMs;
    // A resampler's first *complete* output needs up to two periods: when the data starts mid-period
    // the first bar it publishes is a partial one (wrong open, high, low and volume), and only the
    // next period is whole.
    const own = node.def.outputInterval ? 2 * interval : settleOf(node.def, node.params) * interval;
    leadMs[node.index] = upstream + own;
    worst = Math.max(worst, leadMs[node.index]!);
  }
  return Math.ceil(worst / baseIntervalMs);
}

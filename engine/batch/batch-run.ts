import type { CandleSeries } from '../data/candles-csv.ts';
import { IncrementalRunner } from '../incremental/runner.ts';
import { canonicalJson } from '../pipeline/normalise.ts';
import type { CompiledPipeline } from '../pipeline/plan.ts';
import { createVenue, runRange, type BacktestResult } from '../run/backtest.ts';
import { barTape, evaluateColumns, type BarTape, type NodeColumns } from './columns.ts';
import type { ParamSet } from './plan-variants.ts';
import { tradingNodes, tradingPlan } from './trading-plan.ts';

export interface BatchSetResult {
  index: number;
  set: ParamSet;
  result: BacktestResult;
}

export interface BatchOptions {
  from?: number;
  to?: number;
  /** called after each parameter set finishes */
  onSet?: (done: number, total: number) => void;
}

/**
 * The batch executor: many parameter sets of one pipeline over one series. Each node's signal work
 * is keyed by what determines it — its params, its inputs' keys and where the run starts — and
 * computed once per distinct key over the whole series (node-major, see columns.ts); the trading
 * part (account → gates → risk → executor → venue) then runs bar by bar per set, fed by those
 * columns. Same node code and the same venue as the per-bar runner, so fills are identical.
 * Columns are freed as soon as the last set that needs them is done.
 */
export function* runBatch(plans: readonly CompiledPipeline[], sets: readonly ParamSet[], data: CandleSeries, options: BatchOptions = {}): Generator<BatchSetResult> {
  const prepared = plans.map((plan) => prepare(plan, data, options));
  const uses = new Map<string, number>();
  for (const p of prepared) for (const key of p.signalKeys.values()) uses.set(key, (uses.get(key) ?? 0) + 1);
  const cache = new Map<string, NodeColumns>();
  const tapes = new Map<string, BarTape>();
  for (let s = 0; s < prepared.length; s++) {
    const p = prepared[s]!;
    const tapeKey = `${p.range.start}:${p.range.lastIndex}`;
    let tape = tapes.get(tapeKey);
    if (tape === undefined) {
      tape = barTape(data, p.range.start, p.range.lastIndex);
      tapes.set(tapeKey, tape);
    }
    const columnsOf = (n: number) => cache.get(p.signalKeys.get(n)!)!;
    for (const node of p.plan.nodes) {
      const key = p.signalKeys.get(node.index);
      if (key === undefined || cache.has(key)) continue;
      const upstream = new Map(node.upstream.map((u) => [u, columnsOf(u)]));
      cache.set(key, evaluateColumns(node, node.params, upstream, tape));
    }
    const result = runTrading(p, data, columnsOf);
    for (const key of new Set(p.signalKeys.values())) {
      const left = uses.get(key)! - 1;
      uses.set(key, left);
      if (left === 0) cache.delete(key);
    }
    options.onSet?.(s + 1, prepared.length);
    yield { index: s, set: sets[s] ?? [], result };
  }
}

interface Prepared {
  plan: CompiledPipeline;
  range: ReturnType<typeof runRange>;
  trading: Set<number>;
  /** signal node index → the key of its computation */
  signalKeys: Map<number, string>;
}

function prepare(plan: CompiledPipeline, data: CandleSeries, options: BatchOptions): Prepared {
  const range = runRange(plan, data, options.from, options.to);
  const trading = tradingNodes(plan);
  const keys = new Map<number, string>();
  for (const node of plan.nodes) {
    if (trading.has(node.index)) continue;
    const upstream = node.upstream.map((u) => keys.get(u)!).join(';');
    keys.set(node.index, `${node.id}@${range.start}:${range.lastIndex}|${canonicalJson(node.params)}|${upstream}`);
  }
  return { plan, range, trading, signalKeys: keys };
}

function runTrading(p: Prepared, data: CandleSeries, columnsOf: (n: number) => NodeColumns): BacktestResult {
  const { plan, range } = p;
  const venue = createVenue(plan);
  const runner = new IncrementalRunner(tradingPlan(plan, p.trading, columnsOf, range.start), { venue });
  const interval = data.intervalMs;
  for (let i = range.start; i <= range.lastIndex; i++) {
    const bar = { time: data.time[i]!, open: data.open[i]!, high: data.high[i]!, low: data.low[i]!, close: data.close[i]!, volume: data.volume[i]!, interval, complete: true };
    runner.push(bar, i === range.start ? 0 : data.gapBefore[i]!, i >= range.firstIndex);
  }
  return { plan, data, venue, startIndex: range.start, firstIndex: range.firstIndex, lastIndex: range.lastIndex, warmupBars: range.warmupBars, values: null };
}

import type { AnyNodeDefinition, StepContext } from '../../engine/core/node-definition.ts';
import type { Bar } from '../../engine/core/trading.ts';

/** A context for driving a node directly in tests and benchmarks (no venue, trading off). */
export function bareContext(): StepContext {
  const bar: Bar = { time: 0, open: NaN, high: NaN, low: NaN, close: NaN, volume: NaN, interval: 0, complete: true };
  return { index: 0, time: 0, bar, gapBefore: 0, account: null, venue: null, trading: false };
}

export type Columns = Record<string, ArrayLike<number>>;

/** Steps a node once per row of `inputs`; returns each series output as a column (NaN when it did not fire). */
export function runNode(def: AnyNodeDefinition, params: unknown, inputs: Columns, length?: number): Record<string, Float64Array> {
  const n = length ?? Object.values(inputs)[0]!.length;
  const state = def.init(params);
  const out: Record<string, unknown> = {};
  const inRow: Record<string, number> = {};
  const names = Object.keys(inputs);
  const series = Object.entries(def.outputs).filter(([, s]) => s.type === 'series').map(([k]) => k);
  const cols: Record<string, Float64Array> = Object.fromEntries(series.map((k) => [k, new Float64Array(n).fill(NaN)]));
  const ctx = bareContext();
  for (let i = 0; i < n; i++) {
    for (const name of names) inRow[name] = inputs[name]![i]!;
    (ctx as { index: number }).index = i;
    if (def.step(state, inRow, out, params, ctx)) for (const k of series) cols[k]![i] = out[k] as number;
  }
  return cols;
}

/** Parses params through the node's schema, so tests use the same defaults as pipelines. */
export function paramsOf(def: AnyNodeDefinition, given: Record<string, unknown> = {}): unknown {
  return def.params.parse(given);
}

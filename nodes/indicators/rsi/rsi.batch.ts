import type { GpuBatch } from '../../../engine/core/node-definition.ts';

/** TA-Lib's TA_IS_ZERO threshold, as in rsi.node.ts */
const EPSILON = 1e-14;

/**
 * Batch kernel of indicator.rsi: rsiUpdate's arithmetic (× (period − 1), + move, ÷ period, in
 * TA-Lib's order) with the state in locals, over a whole column (NaN inputs skipped, not consumed).
 */
export function rsiBatch(inputs: Readonly<Record<string, Float64Array>>, p: { period: number }): Record<string, Float64Array> {
  return { value: rsiColumn(inputs.source!, p.period) };
}

/** RSI of every value of `x` (NaN where x is NaN or while warming up), as rsiUpdate gives it. */
export function rsiColumn(x: Float64Array, period: number): Float64Array {
  const len = x.length;
  const out = new Float64Array(len);
  const n = period;
  let count = 0;
  let prev = NaN;
  let gain = 0;
  let loss = 0;
  let i = 0;
  // warm-up: the first value, then the plain sums of the first `period` moves
  for (; i < len && count <= n; i++) {
    const v = x[i]!;
    out[i] = NaN;
    if (v !== v) continue;
    if (count === 0) {
      prev = v;
      count = 1;
      continue;
    }
    const d = v - prev;
    prev = v;
    if (d < 0) loss -= d;
    else gain += d;
    if (++count <= n) continue;
    loss /= n;
    gain /= n;
    const total = gain + loss;
    out[i] = total > -EPSILON && total < EPSILON ? 0 : 100 * (gain / total);
  }
  const m = n - 1;
  for (; i < len; i++) {
    const v = x[i]!;
    if (v !== v) {
      out[i] = NaN;
      continue;
    }
    const d = v - prev;
    prev = v;
    loss *= m;
    gain *= m;
    if (d < 0) loss -= d;
    else gain += d;
    loss /= n;
    gain /= n;
    const total = gain + loss;
    out[i] = total > -EPSILON && total < EPSILON ? 0 : 100 * (gain / total);
  }
  return out;
}

/**
 * GPU: Wilder's ratio of the up and down moves, formed here in float64 (a 5m move is ~1e-3 of the
 * price: differencing float32 prices would cost ~1e-4 of it) (engine/batch/gpu).
 */
export const rsiGpu: GpuBatch<{ period: number }> = {
  output: 'value',
  prepare: (inputs) => {
    const x = inputs.source!;
    const up = new Float64Array(x.length);
    const down = new Float64Array(x.length);
    for (let j = 1; j < x.length; j++) {
      const d = x[j]! - x[j - 1]!;
      if (d > 0) up[j] = d;
      else if (d < 0) down[j] = -d;
    }
    return [up, down];
  },
  program: (p) => ({ name: 'wilder-ratio', period: p.period }),
};

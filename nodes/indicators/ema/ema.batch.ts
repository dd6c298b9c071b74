import type { GpuBatch } from '../../../engine/core/node-definition.ts';

/**
 * Batch kernel of indicator.ema: `step`'s seed (the SMA of the first `period` values, summed left
 * to right) and update `(x − ema)·k + ema`, over a whole column (NaN inputs skipped, not consumed).
 */
export function emaBatch(inputs: Readonly<Record<string, Float64Array>>, p: { period: number }): Record<string, Float64Array> {
  const x = inputs.source!;
  const n = x.length;
  const period = p.period;
  const k = 2 / (period + 1);
  const out = new Float64Array(n);
  let count = 0;
  let sum = 0;
  let value = NaN;
  let i = 0;
  // warm-up: sum the first `period` values
  for (; i < n && count < period; i++) {
    const v = x[i]!;
    if (v !== v) {
      out[i] = NaN;
      continue;
    }
    sum += v;
    if (++count === period) value = sum / period;
    out[i] = value;
  }
  for (; i < n; i++) {
    const v = x[i]!;
    if (v !== v) {
      out[i] = NaN;
      continue;
    }
    value = (v - value) * k + value;
    out[i] = value;
  }
  return { value: out };
}

/** GPU: a smoother with gain k, seeded at input period − 1 with the mean of the first `period` (engine/batch/gpu). */
export const emaGpu: GpuBatch<{ period: number }> = {
  output: 'value',
  prepare: (inputs) => [inputs.source!],
  program: (p) => ({ name: 'smoother', gain: 2 / (p.period + 1), seedAt: p.period - 1, seedLength: p.period }),
};

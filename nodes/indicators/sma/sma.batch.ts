import type { GpuBatch } from '../../../engine/core/node-definition.ts';

/**
 * Batch kernel of indicator.sma: the same ring and the same subtract-then-add running sum as `step`,
 * over a whole column (NaN inputs skipped, not consumed), so the two agree bit for bit.
 */
export function smaBatch(inputs: Readonly<Record<string, Float64Array>>, p: { period: number }): Record<string, Float64Array> {
  const x = inputs.source!;
  const n = x.length;
  const period = p.period;
  const out = new Float64Array(n);
  const items = new Float64Array(period);
  let head = 0;
  let size = 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    if (v !== v) {
      out[i] = NaN;
      continue;
    }
    if (size < period) {
      items[size++] = v; // head stays 0 while the window fills
    } else {
      sum -= items[head]!;
      items[head] = v;
      head = head + 1 === period ? 0 : head + 1;
    }
    sum += v;
    out[i] = size === period ? sum / period : NaN;
  }
  return { value: out };
}

/** GPU: the window mean of the source (engine/batch/gpu). */
export const smaGpu: GpuBatch<{ period: number }> = {
  output: 'value',
  prepare: (inputs) => [inputs.source!],
  program: (p) => ({ name: 'window-mean', length: p.period, from: 0 }),
};

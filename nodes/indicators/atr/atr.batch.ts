import type { GpuBatch } from '../../../engine/core/node-definition.ts';

/**
 * Batch kernel of indicator.atr, both smoothings: `step`'s true range (the first complete bar only
 * opens the series), then TA_ATR's Wilder seed and update or TA_SMA's subtract-then-add window sum.
 */
export function atrBatch(inputs: Readonly<Record<string, Float64Array>>, p: { period: number; smoothing: 'wilder' | 'sma' }): Record<string, Float64Array> {
  const high = inputs.high!;
  const low = inputs.low!;
  const close = inputs.close!;
  const len = close.length;
  const out = new Float64Array(len);
  const n = p.period;
  const sma = p.smoothing === 'sma';
  const items = sma ? new Float64Array(n) : null;
  let head = 0;
  let size = 0;
  let pc = NaN;
  let count = 0;
  let sum = 0;
  let atr = NaN;
  for (let i = 0; i < len; i++) {
    const h = high[i]!;
    const l = low[i]!;
    const c = close[i]!;
    if (h !== h || l !== l || c !== c || pc !== pc) {
      if (c === c && h === h && l === l) pc = c;
      out[i] = NaN;
      continue;
    }
    const prev = pc;
    pc = c;
    let tr = h - l;
    const up = Math.abs(prev - h);
    if (up > tr) tr = up;
    const down = Math.abs(prev - l);
    if (down > tr) tr = down;
    if (items !== null) {
      if (size < n) items[size++] = tr;
      else {
        sum -= items[head]!;
        items[head] = tr;
        head = head + 1 === n ? 0 : head + 1;
      }
      sum += tr;
      out[i] = size === n ? sum / n : NaN;
      continue;
    }
    if (count < n) {
      sum += tr;
      if (++count < n) {
        out[i] = NaN;
        continue;
      }
      atr = sum / n;
    } else {
      atr = (atr * (n - 1) + tr) / n;
    }
    out[i] = atr;
  }
  return { value: out };
}

/**
 * GPU: the true range, formed here in float64 (the first row only opens the series), then Wilder's
 * smoother seeded at row `period` with the mean of the first `period` ranges, or their window mean
 * (engine/batch/gpu).
 */
export const atrGpu: GpuBatch<{ period: number; smoothing: 'wilder' | 'sma' }> = {
  output: 'value',
  prepare: (inputs) => {
    const high = inputs.high!;
    const low = inputs.low!;
    const close = inputs.close!;
    const tr = new Float64Array(close.length);
    for (let j = 1; j < close.length; j++) {
      const pc = close[j - 1]!;
      const h = high[j]!;
      const l = low[j]!;
      tr[j] = Math.max(h - l, Math.abs(pc - h), Math.abs(pc - l));
    }
    return [tr];
  },
  program: (p) =>
    p.smoothing === 'sma'
      ? { name: 'window-mean', length: p.period, from: 1 }
      : { name: 'smoother', gain: 1 / p.period, seedAt: p.period, seedLength: p.period },
};

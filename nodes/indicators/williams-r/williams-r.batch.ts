import { highLowColumns } from '../stochastic/high-low-window.batch.ts';

/** Batch kernel of indicator.williams-r: the window extremes (highLowColumns), then `step`'s formula. */
export function williamsRBatch(inputs: Readonly<Record<string, Float64Array>>, p: { period: number }): Record<string, Float64Array> {
  const close = inputs.close!;
  const { hh, ll } = highLowColumns(inputs.high!, inputs.low!, close, p.period);
  const len = close.length;
  const out = hh; // reused: each row reads hh[i] before writing it
  for (let i = 0; i < len; i++) {
    const high = hh[i]!;
    if (high !== high) continue; // NaN stays NaN
    const span = high - ll[i]!;
    out[i] = span === 0 ? -50 : ((close[i]! - high) / span) * 100;
  }
  return { value: out };
}

import { highLowColumns } from './high-low-window.batch.ts';

/**
 * Batch kernel of indicator.stochastic: the window extremes (highLowColumns), then `step`'s raw %K
 * and its two SMA rings, re-added in storage order every firing as `mean` does.
 */
export function stochasticBatch(
  inputs: Readonly<Record<string, Float64Array>>,
  p: { kPeriod: number; smoothK: number; dPeriod: number },
): Record<string, Float64Array> {
  const close = inputs.close!;
  const { hh, ll } = highLowColumns(inputs.high!, inputs.low!, close, p.kPeriod);
  const len = close.length;
  const kOut = new Float64Array(len);
  const dOut = new Float64Array(len);
  const sk = p.smoothK;
  const dp = p.dPeriod;
  const raw = new Float64Array(sk);
  let rawHead = 0;
  let rawSize = 0;
  const ks = new Float64Array(dp);
  let kHead = 0;
  let kSize = 0;
  for (let i = 0; i < len; i++) {
    const high = hh[i]!;
    kOut[i] = NaN;
    dOut[i] = NaN;
    if (high !== high) continue;
    const low = ll[i]!;
    const span = high - low;
    const value = span === 0 ? 50 : ((close[i]! - low) / span) * 100;
    if (rawSize < sk) raw[rawSize++] = value;
    else {
      raw[rawHead] = value;
      rawHead = rawHead + 1 === sk ? 0 : rawHead + 1;
    }
    if (rawSize < sk) continue;
    let sum = 0;
    for (let j = 0; j < sk; j++) sum += raw[j]!;
    const k = sum / sk;
    if (kSize < dp) ks[kSize++] = k;
    else {
      ks[kHead] = k;
      kHead = kHead + 1 === dp ? 0 : kHead + 1;
    }
    kOut[i] = k;
    if (kSize === dp) {
      let s = 0;
      for (let j = 0; j < dp; j++) s += ks[j]!;
      dOut[i] = s / dp;
    }
  }
  return { k: kOut, d: dOut };
}

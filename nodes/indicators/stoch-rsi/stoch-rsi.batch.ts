import { rsiColumn } from '../rsi/rsi.batch.ts';

const neutral = 50;

/**
 * Batch kernel of indicator.stoch-rsi: the RSI column (rsiColumn, ≡ rsiUpdate), then `step`'s
 * window of RSI values with its slot-tracked extremes and the two re-summed SMA rings, each kept in
 * the same storage order as the node's state so every sum adds the same values in the same order.
 */
export function stochRsiBatch(
  inputs: Readonly<Record<string, Float64Array>>,
  p: { rsiPeriod: number; stochPeriod: number; kPeriod: number; dPeriod: number },
): Record<string, Float64Array> {
  const rsi = rsiColumn(inputs.source!, p.rsiPeriod);
  const len = rsi.length;
  const kOut = new Float64Array(len);
  const dOut = new Float64Array(len);
  const n = p.stochPeriod;
  const w = new Float64Array(n);
  let size = 0;
  let slot = 0;
  let maxSlot = 0;
  let minSlot = 0;
  let max = 0;
  let min = 0;
  const kP = p.kPeriod;
  const dP = p.dPeriod;
  const raw = new Float64Array(kP);
  let rawHead = 0;
  let rawSize = 0;
  const ks = new Float64Array(dP);
  let kHead = 0;
  let kSize = 0;
  for (let i = 0; i < len; i++) {
    const r = rsi[i]!;
    kOut[i] = NaN;
    dOut[i] = NaN;
    if (r !== r) continue;
    const at = slot;
    w[at] = r;
    if (size < n) size++;
    slot = at + 1 === n ? 0 : at + 1;
    if (at === maxSlot) {
      let best = r;
      for (let j = 0; j < size; j++) {
        if (w[j]! >= best) {
          best = w[j]!;
          maxSlot = j;
        }
      }
      max = best;
    } else if (r >= max) {
      max = r;
      maxSlot = at;
    }
    if (at === minSlot) {
      let best = r;
      for (let j = 0; j < size; j++) {
        if (w[j]! <= best) {
          best = w[j]!;
          minSlot = j;
        }
      }
      min = best;
    } else if (r <= min) {
      min = r;
      minSlot = at;
    }
    if (size < n) continue;

    const range = max - min;
    const value = range !== 0 ? ((r - min) / range) * 100 : neutral;
    if (rawSize < kP) raw[rawSize++] = value;
    else {
      raw[rawHead] = value;
      rawHead = rawHead + 1 === kP ? 0 : rawHead + 1;
    }
    if (rawSize < kP) continue;
    let sum = 0;
    for (let j = 0; j < kP; j++) sum += raw[j]!;
    const k = sum / kP;
    kOut[i] = k;
    if (kSize < dP) ks[kSize++] = k;
    else {
      ks[kHead] = k;
      kHead = kHead + 1 === dP ? 0 : kHead + 1;
    }
    if (kSize === dP) {
      let s = 0;
      for (let j = 0; j < dP; j++) s += ks[j]!;
      dOut[i] = s / dP;
    }
  }
  return { k: kOut, d: dOut };
}

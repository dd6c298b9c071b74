const neutral = 50;

/**
 * Batch kernel of indicator.kdj: `step`'s slot-tracked extremes and its K and D smoothings (same
 * coefficients, same operation order), over whole columns (rows with a NaN input not consumed).
 */
export function kdjBatch(
  inputs: Readonly<Record<string, Float64Array>>,
  p: { period: number; kSmoothing: number; dSmoothing: number },
): Record<string, Float64Array> {
  const high = inputs.high!;
  const low = inputs.low!;
  const close = inputs.close!;
  const len = close.length;
  const kOut = new Float64Array(len);
  const dOut = new Float64Array(len);
  const jOut = new Float64Array(len);
  const n = p.period;
  const highs = new Float64Array(n);
  const lows = new Float64Array(n);
  let size = 0;
  let slot = 0;
  let highSlot = 0;
  let lowSlot = 0;
  let highest = 0;
  let lowest = 0;
  const a = 1 / p.kSmoothing;
  const ca = 1 - 1 / p.kSmoothing;
  const b = 1 / p.dSmoothing;
  const cb = 1 - 1 / p.dSmoothing;
  let K = neutral;
  let D = neutral;
  for (let i = 0; i < len; i++) {
    const h = high[i]!;
    const l = low[i]!;
    const c = close[i]!;
    kOut[i] = NaN;
    dOut[i] = NaN;
    jOut[i] = NaN;
    if (h !== h || l !== l || c !== c) continue;
    const at = slot;
    highs[at] = h;
    lows[at] = l;
    if (size < n) size++;
    slot = at + 1 === n ? 0 : at + 1;
    if (at === highSlot) {
      let best = h;
      for (let j = 0; j < size; j++) {
        if (highs[j]! >= best) {
          best = highs[j]!;
          highSlot = j;
        }
      }
      highest = best;
    } else if (h >= highest) {
      highest = h;
      highSlot = at;
    }
    if (at === lowSlot) {
      let best = l;
      for (let j = 0; j < size; j++) {
        if (lows[j]! <= best) {
          best = lows[j]!;
          lowSlot = j;
        }
      }
      lowest = best;
    } else if (l <= lowest) {
      lowest = l;
      lowSlot = at;
    }
    if (size < n) continue;
    const range = highest - lowest;
    const rsv = range !== 0 ? ((c - lowest) / range) * 100 : neutral;
    const k = ca * K + a * rsv;
    const d = cb * D + b * k;
    K = k;
    D = d;
    kOut[i] = k;
    dOut[i] = d;
    jOut[i] = 3 * k - 2 * d;
  }
  return { k: kOut, d: dOut, j: jOut };
}

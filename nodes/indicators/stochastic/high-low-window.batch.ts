/**
 * The batch form of high-low-window.ts: highest high and lowest low of the last `period` consumed
 * bars at every row, with the same rescan-when-the-extreme-leaves scheme. A row with a NaN high, low
 * or close is not consumed (NaN out), as in Stochastic and Williams %R; rows before the window is
 * full are NaN too. (Extremes are exact whatever the scheme; the same one keeps the same speed.)
 */
export function highLowColumns(high: Float64Array, low: Float64Array, close: Float64Array, period: number): { hh: Float64Array; ll: Float64Array } {
  const len = high.length;
  const hh = new Float64Array(len);
  const ll = new Float64Array(len);
  const highs = new Float64Array(period);
  const lows = new Float64Array(period);
  let head = 0;
  let size = 0;
  let t = -1;
  let hi = 0;
  let hiAt = -period;
  let lo = 0;
  let loAt = -period;
  for (let i = 0; i < len; i++) {
    const h = high[i]!;
    const l = low[i]!;
    const c = close[i]!;
    if (h !== h || l !== l || c !== c) {
      hh[i] = NaN;
      ll[i] = NaN;
      continue;
    }
    if (size < period) {
      highs[size] = h;
      lows[size] = l;
      size++;
    } else {
      highs[head] = h;
      lows[head] = l;
      head = head + 1 === period ? 0 : head + 1;
    }
    t++;
    const oldest = t - period + 1;
    if (hiAt < oldest) {
      let k = head;
      let best = highs[k]!;
      let at = 0;
      for (let j = 1; j < size; j++) {
        if (++k === period) k = 0;
        const v = highs[k]!;
        if (v >= best) {
          best = v;
          at = j;
        }
      }
      hi = best;
      hiAt = t - size + 1 + at;
    } else if (h >= hi) {
      hi = h;
      hiAt = t;
    }
    if (loAt < oldest) {
      let k = head;
      let best = lows[k]!;
      let at = 0;
      for (let j = 1; j < size; j++) {
        if (++k === period) k = 0;
        const v = lows[k]!;
        if (v <= best) {
          best = v;
          at = j;
        }
      }
      lo = best;
      loAt = t - size + 1 + at;
    } else if (l <= lo) {
      lo = l;
      loAt = t;
    }
    if (t + 1 >= period) {
      hh[i] = hi;
      ll[i] = lo;
    } else {
      hh[i] = NaN;
      ll[i] = NaN;
    }
  }
  return { hh, ll };
}

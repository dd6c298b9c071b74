/**
 * Batch kernel of indicator.cci: `step`'s ring of typical prices, its running sum (re-added in
 * storage order when the head wraps to 0), flat-window rule and mean deviation read in storage order.
 */
export function cciBatch(inputs: Readonly<Record<string, Float64Array>>, p: { period: number }): Record<string, Float64Array> {
  const high = inputs.high!;
  const low = inputs.low!;
  const close = inputs.close!;
  const len = close.length;
  const out = new Float64Array(len);
  const n = p.period;
  const items = new Float64Array(n);
  let head = 0;
  let size = 0;
  let sum = 0;
  let last = 0;
  let run = 0;
  for (let i = 0; i < len; i++) {
    const h = high[i]!;
    const l = low[i]!;
    const c = close[i]!;
    if (h !== h || l !== l || c !== c) {
      out[i] = NaN;
      continue;
    }
    const tp = (h + l + c) / 3;
    if (size < n) items[size++] = tp;
    else {
      sum -= items[head]!;
      items[head] = tp;
      head = head + 1 === n ? 0 : head + 1;
    }
    sum += tp;
    run = tp === last ? Math.min(run + 1, n) : 1;
    last = tp;
    if (size < n) {
      out[i] = NaN;
      continue;
    }
    if (head === 0) {
      let s = 0;
      for (let j = 0; j < n; j++) s += items[j]!;
      sum = s;
    }
    if (run === n) {
      out[i] = 0;
      continue;
    }
    const mean = sum / n;
    let deviation = 0;
    for (let j = 0; j < n; j++) deviation += Math.abs(items[j]! - mean);
    out[i] = (tp - mean) / (0.015 * (deviation / n));
  }
  return { value: out };
}

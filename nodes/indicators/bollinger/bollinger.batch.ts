/** as in bollinger.node.ts */
const CHURN_LIMIT = 4096;
const RECOUNT_EVERY = 4096;

/**
 * Batch kernel of indicator.bollinger: `step`'s shifted running sums, churn accounting and exact
 * recounts (over the ring in storage order, shift = the value nearest the mean), with the same
 * short-circuit deciding when a recount happens, so every output matches bit for bit.
 */
export function bollingerBatch(inputs: Readonly<Record<string, Float64Array>>, p: { period: number; stdDev: number }): Record<string, Float64Array> {
  const x = inputs.source!;
  const len = x.length;
  const upperOut = new Float64Array(len);
  const middleOut = new Float64Array(len);
  const lowerOut = new Float64Array(len);
  const percentBOut = new Float64Array(len);
  const bandwidthOut = new Float64Array(len);
  const n = p.period;
  const stdDev = p.stdDev;
  const items = new Float64Array(n);
  let head = 0;
  let size = 0;
  let shift = 0;
  let S1 = 0;
  let S2 = 0;
  let churnSum = 0;
  let since = 0;
  for (let i = 0; i < len; i++) {
    const v = x[i]!;
    if (v !== v) {
      upperOut[i] = middleOut[i] = lowerOut[i] = percentBOut[i] = bandwidthOut[i] = NaN;
      continue;
    }
    let evicted = NaN;
    if (size < n) items[size++] = v;
    else {
      evicted = items[head]!;
      items[head] = v;
      head = head + 1 === n ? 0 : head + 1;
    }
    const d = v - shift;
    let s1 = S1 + d;
    let s2 = S2 + d * d;
    let churn = churnSum + d * d;
    if (evicted === evicted) {
      const e = evicted - shift;
      s1 -= e;
      s2 -= e * e;
      churn += e * e;
    }
    S1 = s1;
    S2 = s2;
    churnSum = churn + Math.abs(s2);
    if (size < n) {
      upperOut[i] = middleOut[i] = lowerOut[i] = percentBOut[i] = bandwidthOut[i] = NaN;
      continue;
    }
    let m2 = s2 - (s1 * s1) / n;
    if (churnSum > CHURN_LIMIT * m2 || ++since >= RECOUNT_EVERY) {
      // recount(): exact sums of the full window, shifted by the value nearest its mean
      let sum = 0;
      for (let j = 0; j < n; j++) sum += items[j]!;
      const mean = sum / n;
      let sh = items[0]!;
      let gap = Math.abs(sh - mean);
      for (let j = 1; j < n; j++) {
        const g = Math.abs(items[j]! - mean);
        if (g < gap) {
          gap = g;
          sh = items[j]!;
        }
      }
      let r1 = 0;
      let r2 = 0;
      for (let j = 0; j < n; j++) {
        const dd = items[j]! - sh;
        r1 += dd;
        r2 += dd * dd;
      }
      shift = sh;
      S1 = r1;
      S2 = r2;
      churnSum = r2;
      since = 0;
      m2 = S2 - (S1 * S1) / n;
    }
    const offset = S1 / n;
    const middle = shift + offset;
    const band = m2 > 0 ? stdDev * Math.sqrt(m2 / n) : 0;
    const upper = middle + band;
    const lower = middle - band;
    upperOut[i] = upper;
    middleOut[i] = middle;
    lowerOut[i] = lower;
    if (upper === lower) {
      percentBOut[i] = 0.5;
      bandwidthOut[i] = 0;
    } else {
      percentBOut[i] = 0.5 + (v - shift - offset) / (2 * band);
      bandwidthOut[i] = middle === 0 ? NaN : (2 * band) / middle;
    }
  }
  return { upper: upperOut, middle: middleOut, lower: lowerOut, percentB: percentBOut, bandwidth: bandwidthOut };
}

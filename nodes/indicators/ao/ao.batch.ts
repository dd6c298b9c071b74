/**
 * Batch kernel of indicator.ao: `step`'s ring of median prices, its two running sums (re-added from
 * the ring, in storage order, whenever the ring's head wraps to 0) and its flat-window rule.
 */
export function aoBatch(inputs: Readonly<Record<string, Float64Array>>, p: { fast: number; slow: number }): Record<string, Float64Array> {
  const high = inputs.high!;
  const low = inputs.low!;
  const len = high.length;
  const out = new Float64Array(len);
  const fast = p.fast;
  const slow = p.slow;
  const items = new Float64Array(slow);
  let head = 0;
  let size = 0;
  let fastSum = 0;
  let slowSum = 0;
  let last = 0;
  let run = 0;
  for (let i = 0; i < len; i++) {
    const h = high[i]!;
    const l = low[i]!;
    if (h !== h || l !== l) {
      out[i] = NaN;
      continue;
    }
    const m = (h + l) / 2;
    if (size < slow) {
      items[size++] = m;
    } else {
      slowSum -= items[head]!;
      items[head] = m;
      head = head + 1 === slow ? 0 : head + 1;
    }
    slowSum += m;
    if (size > fast) {
      // ringAt(r, size − 1 − fast): the value `fast` places before the newest
      const k = head + size - 1 - fast;
      fastSum -= items[k >= slow ? k - slow : k]!;
    }
    fastSum += m;
    run = m === last ? Math.min(run + 1, slow) : 1;
    last = m;
    if (size < slow) {
      out[i] = NaN;
      continue;
    }
    if (head === 0) {
      let sl = 0;
      for (let j = 0; j < slow - fast; j++) sl += items[j]!;
      let sum = 0;
      for (let j = slow - fast; j < slow; j++) sum += items[j]!;
      fastSum = sum;
      slowSum = sl + sum;
    }
    out[i] = run === slow ? 0 : fastSum / fast - slowSum / slow;
  }
  return { value: out };
}

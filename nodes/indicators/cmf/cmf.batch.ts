/**
 * Batch kernel of indicator.cmf: `step`'s flow and volume rings, running sums and re-summations
 * (when the volume ring's head is 0 — every bar while it fills — or the volume sum collapses), in
 * the same order, so the outputs match bit for bit.
 */
export function cmfBatch(inputs: Readonly<Record<string, Float64Array>>, p: { period: number }): Record<string, Float64Array> {
  const high = inputs.high!;
  const low = inputs.low!;
  const close = inputs.close!;
  const volume = inputs.volume!;
  const len = close.length;
  const out = new Float64Array(len);
  const n = p.period;
  const collapse = 3e4 / n;
  const flows = new Float64Array(n);
  const volumes = new Float64Array(n);
  let head = 0;
  let size = 0;
  let flowSum = 0;
  let volSum = 0;
  let peak = 0;
  for (let i = 0; i < len; i++) {
    const h = high[i]!;
    const l = low[i]!;
    const c = close[i]!;
    const v = volume[i]!;
    if (h !== h || l !== l || c !== c || v !== v) {
      out[i] = NaN;
      continue;
    }
    const range = h - l;
    const flow = range > 0 ? (((c - l) - (h - c)) / range) * v : 0;
    if (size < n) {
      flows[size] = flow;
      volumes[size] = v;
      size++;
    } else {
      const oldFlow = flows[head]!;
      const oldVol = volumes[head]!;
      flows[head] = flow;
      volumes[head] = v;
      head = head + 1 === n ? 0 : head + 1;
      flowSum -= oldFlow;
      volSum -= oldVol;
    }
    flowSum += flow;
    volSum += v;
    if (volSum > peak) peak = volSum;
    else if (volSum * collapse < peak || head === 0) {
      let fs = 0;
      let vs = 0;
      for (let k = 0; k < size; k++) {
        fs += flows[k]!;
        vs += volumes[k]!;
      }
      flowSum = fs;
      volSum = vs;
      peak = vs;
    }
    if (size < n) out[i] = NaN;
    else if (volSum === 0) out[i] = 0;
    else out[i] = flowSum / volSum;
  }
  return { value: out };
}

/** Batch kernel of indicator.obv: `step`'s running total over whole columns (rows with a NaN input not consumed). */
export function obvBatch(inputs: Readonly<Record<string, Float64Array>>): Record<string, Float64Array> {
  const close = inputs.close!;
  const volume = inputs.volume!;
  const len = close.length;
  const out = new Float64Array(len);
  let pc = NaN;
  let obv = 0;
  for (let i = 0; i < len; i++) {
    const c = close[i]!;
    const v = volume[i]!;
    if (c !== c || v !== v) {
      out[i] = NaN;
      continue;
    }
    if (pc !== pc) obv = v;
    else if (c > pc) obv += v;
    else if (c < pc) obv -= v;
    pc = c;
    out[i] = obv;
  }
  return { value: out };
}

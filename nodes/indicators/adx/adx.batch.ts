/** TA_IS_ZERO (ta_utility.h: TA_EPSILON = 1e-14), as in adx.node.ts */
const EPS = 1e-14;

/**
 * Batch kernel of indicator.adx: `step`'s Wilder sums of +DM, −DM and TR (seeded over period − 1
 * moves), DX and ADX seeding and update, in TA-Lib's operation order, over whole columns (rows with
 * a NaN input not consumed).
 */
export function adxBatch(inputs: Readonly<Record<string, Float64Array>>, p: { period: number }): Record<string, Float64Array> {
  const high = inputs.high!;
  const low = inputs.low!;
  const close = inputs.close!;
  const len = close.length;
  const adxOut = new Float64Array(len);
  const plusOut = new Float64Array(len);
  const minusOut = new Float64Array(len);
  const n = p.period;
  let prevHigh = NaN;
  let prevLow = NaN;
  let prevClose = NaN;
  let bars = 0;
  let plusDmSum = 0;
  let minusDmSum = 0;
  let trSum = 0;
  let adx = 0;
  for (let i = 0; i < len; i++) {
    const h = high[i]!;
    const l = low[i]!;
    const c = close[i]!;
    if (h !== h || l !== l || c !== c) {
      adxOut[i] = plusOut[i] = minusOut[i] = NaN;
      continue;
    }
    const diffP = h - prevHigh;
    const diffM = prevLow - l;
    const pc = prevClose;
    prevHigh = h;
    prevLow = l;
    prevClose = c;
    const b = ++bars;
    if (b === 1) {
      adxOut[i] = plusOut[i] = minusOut[i] = NaN;
      continue;
    }
    let tr = h - l;
    const up = Math.abs(h - pc);
    if (up > tr) tr = up;
    const down = Math.abs(l - pc);
    if (down > tr) tr = down;
    if (b <= n) {
      if (diffM > 0 && diffP < diffM) minusDmSum += diffM;
      else if (diffP > 0 && diffP > diffM) plusDmSum += diffP;
      trSum += tr;
      adxOut[i] = plusOut[i] = minusOut[i] = NaN;
      continue;
    }
    let minusDm = minusDmSum - minusDmSum / n;
    let plusDm = plusDmSum - plusDmSum / n;
    if (diffM > 0 && diffP < diffM) minusDm += diffM;
    else if (diffP > 0 && diffP > diffM) plusDm += diffP;
    const trs = trSum - trSum / n + tr;
    minusDmSum = minusDm;
    plusDmSum = plusDm;
    trSum = trs;

    let dx = NaN;
    if (-EPS < trs && trs < EPS) {
      plusOut[i] = minusOut[i] = 0;
    } else {
      const minusDi = 100 * (minusDm / trs);
      const plusDi = 100 * (plusDm / trs);
      plusOut[i] = plusDi;
      minusOut[i] = minusDi;
      const diSum = minusDi + plusDi;
      if (!(-EPS < diSum && diSum < EPS)) dx = 100 * (Math.abs(minusDi - plusDi) / diSum);
    }

    if (b < 2 * n) {
      if (dx === dx) adx += dx;
      adxOut[i] = NaN;
    } else if (b === 2 * n) {
      if (dx === dx) adx += dx;
      adx /= n;
      adxOut[i] = adx;
    } else {
      bars = 2 * n;
      if (dx === dx) adx = (adx * (n - 1) + dx) / n;
      adxOut[i] = adx;
    }
  }
  return { adx: adxOut, plusDi: plusOut, minusDi: minusOut };
}

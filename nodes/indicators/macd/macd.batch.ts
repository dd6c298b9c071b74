/**
 * Batch kernel of indicator.macd: `step`'s seeds (both EMAs seeded at input slow − 1, the signal at
 * its `signal`-th MACD value) and `(x − ema)·k + ema` updates, over a whole column (NaN inputs
 * skipped, not consumed). A warm-up loop follows `step` branch for branch until everything is
 * seeded; the steady loop then runs the three updates alone, writing each output once.
 */
export function macdBatch(inputs: Readonly<Record<string, Float64Array>>, p: { fast: number; slow: number; signal: number }): Record<string, Float64Array> {
  const x = inputs.source!;
  const len = x.length;
  const macdOut = new Float64Array(len);
  const signalOut = new Float64Array(len);
  const histOut = new Float64Array(len);
  const kFast = 2 / (p.fast + 1);
  const kSlow = 2 / (p.slow + 1);
  const kSignal = 2 / (p.signal + 1);
  const fastP = p.fast;
  const slowP = p.slow;
  const skip = slowP - fastP;
  const sigP = p.signal;
  let count = 0;
  let fastSum = 0;
  let slowSum = 0;
  let fast = NaN;
  let slow = NaN;
  let signalCount = 0;
  let signalSum = 0;
  let signal = NaN;
  let i = 0;
  for (; i < len && signalCount < sigP; i++) {
    const v = x[i]!;
    signalOut[i] = NaN;
    histOut[i] = NaN;
    if (v !== v) {
      macdOut[i] = NaN;
      continue;
    }
    if (count === slowP) {
      fast = (v - fast) * kFast + fast;
      slow = (v - slow) * kSlow + slow;
    } else {
      slowSum += v;
      if (count >= skip) fastSum += v;
      if (++count < slowP) {
        macdOut[i] = NaN;
        continue;
      }
      fast = fastSum / fastP;
      slow = slowSum / slowP;
    }
    const m = fast - slow;
    macdOut[i] = m;
    signalSum += m;
    if (++signalCount < sigP) continue;
    signal = signalSum / sigP;
    signalOut[i] = signal;
    histOut[i] = m - signal;
  }
  for (; i < len; i++) {
    const v = x[i]!;
    if (v !== v) {
      macdOut[i] = NaN;
      signalOut[i] = NaN;
      histOut[i] = NaN;
      continue;
    }
    fast = (v - fast) * kFast + fast;
    slow = (v - slow) * kSlow + slow;
    const m = fast - slow;
    signal = (m - signal) * kSignal + signal;
    macdOut[i] = m;
    signalOut[i] = signal;
    histOut[i] = m - signal;
  }
  return { macd: macdOut, signal: signalOut, histogram: histOut };
}

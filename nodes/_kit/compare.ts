import { expect } from 'vitest';

/**
 * "≤ 1e-9 relative", made precise: |a − b| ≤ tol × max(|b|, scale), where scale is the mean
 * absolute value of the reference after warm-up. Pure relative error is meaningless where a value
 * crosses zero (MACD, AO, CCI): there the error is judged against the series' own magnitude.
 */
export function expectSeriesClose(
  label: string,
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  options: { from: number; tolerance?: number; to?: number },
): { compared: number; worst: number } {
  const tolerance = options.tolerance ?? 1e-9;
  const to = options.to ?? expected.length;
  let scale = 0;
  let count = 0;
  for (let i = options.from; i < to; i++) {
    const v = expected[i]!;
    if (Number.isFinite(v)) {
      scale += Math.abs(v);
      count++;
    }
  }
  scale = count > 0 ? scale / count : 1;
  if (scale === 0) scale = 1;
  let worst = 0;
  let compared = 0;
  for (let i = options.from; i < to; i++) {
    const a = actual[i]!;
    const b = expected[i]!;
    if (!Number.isFinite(b)) {
      expect(Number.isFinite(a), `${label}[${i}]: reference is ${b}, ours is ${a}`).toBe(false);
      continue;
    }
    const err = Math.abs(a - b) / Math.max(Math.abs(b), scale);
    if (!(err <= tolerance)) {
      expect.fail(`${label}[${i}]: ours ${a}, reference ${b}, relative error ${err.toExponential(2)} > ${tolerance}`);
    }
    if (err > worst) worst = err;
    compared++;
  }
  expect(compared, `${label}: nothing was compared`).toBeGreaterThan(0);
  return { compared, worst };
}

/** Aligns a reference library's output (which starts at `begIndex`) to full length, NaN before it. */
export function alignAt(values: ArrayLike<number>, begIndex: number, length: number): Float64Array {
  const out = new Float64Array(length).fill(NaN);
  for (let i = 0; i < values.length && begIndex + i < length; i++) out[begIndex + i] = values[i]!;
  return out;
}

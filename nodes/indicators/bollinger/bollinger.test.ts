import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { BollingerBands, BollingerBandsWidth, PercentB } from 'trading-signals';
import { describe, expect, it } from 'vitest';
import { describeNodeContract } from '../../_kit/contract.ts';
import { expectSeriesClose } from '../../_kit/compare.ts';
import { columnsOf, loadEmbedded } from '../../_kit/reference-data.ts';
import { paramsOf, runNode } from '../../_kit/run-node.ts';
import { TA_MA, talibRun } from '../../_kit/talib.ts';
import { bollinger } from './bollinger.node.ts';

const DATA = {
  'ETH 5m': columnsOf(loadEmbedded('eth-5m')).close,
  'BTC 5m': columnsOf(loadEmbedded('btc-5m')).close,
  'ETH 4h': columnsOf(loadEmbedded('eth-4h')).close,
};
const OUTPUTS = ['upper', 'middle', 'lower', 'percentB', 'bandwidth'] as const;
type Output = (typeof OUTPUTS)[number];
const PARAM_SETS = [
  { period: 20, stdDev: 2 },
  { period: 50, stdDev: 2.5 },
  { period: 10, stdDev: 1 },
];

const run = (x: ArrayLike<number>, period: number, stdDev: number) =>
  runNode(bollinger, paramsOf(bollinger, { period, stdDev }), { source: x }) as Record<Output, Float64Array>;

/**
 * The accurate reference: deviations from the newest value (exact for prices within a factor 2),
 * their mean, then a second pass around it. Its σ agrees with 100-digit decimal arithmetic to ~4e-16
 * (checked below), where TA-Lib's running Σx² − (Σx)²/n is off by up to 3e-8 on BTC 5m.
 */
function exactBollinger(x: ArrayLike<number>, period: number, k: number): Record<Output | 'sigma', Float64Array> {
  const n = x.length;
  const col = () => new Float64Array(n).fill(NaN);
  const o = { upper: col(), middle: col(), lower: col(), percentB: col(), bandwidth: col(), sigma: col() };
  for (let i = period - 1; i < n; i++) {
    const c = x[i]!;
    let s1 = 0;
    for (let j = i - period + 1; j <= i; j++) s1 += x[j]! - c;
    const offset = s1 / period;
    let s2 = 0;
    for (let j = i - period + 1; j <= i; j++) s2 += (x[j]! - c - offset) ** 2;
    const sigma = Math.sqrt(s2 / period);
    const mean = c + offset;
    const upper = mean + k * sigma;
    const lower = mean - k * sigma;
    o.sigma[i] = sigma;
    o.upper[i] = upper;
    o.middle[i] = mean;
    o.lower[i] = lower;
    o.percentB[i] = upper === lower ? 0.5 : 0.5 - offset / (2 * k * sigma);
    o.bandwidth[i] = upper === lower ? 0 : (2 * k * sigma) / mean;
  }
  return o;
}

/** Indices whose window of `period` values is flat (zero-width bands). */
function flatWindows(x: ArrayLike<number>, period: number): number[] {
  const flat: number[] = [];
  let run = 0;
  for (let i = 0; i < x.length; i++) {
    run = i > 0 && x[i] === x[i - 1] ? run + 1 : 1;
    if (run >= period) flat.push(i);
  }
  return flat;
}

function withNaNAt(series: ArrayLike<number>, at: number[]): Float64Array {
  const out = Float64Array.from(series);
  for (const i of at) out[i] = NaN;
  return out;
}

describe('indicator.bollinger', () => {
  for (const [name, x] of Object.entries(DATA)) {
    for (const { period, stdDev } of PARAM_SETS) {
      it(`matches the exact two-pass reference on all five outputs, BB(${period}, ${stdDev}) on ${name}`, () => {
        const ours = run(x, period, stdDev);
        const ref = exactBollinger(x, period, stdDev);
        for (const k of OUTPUTS) expectSeriesClose(k, ours[k], ref[k], { from: period - 1 });
      });

      it(`matches TA-Lib BBANDS(${period}, ${stdDev}, SMA) upper/middle/lower on ${name} outside flat windows`, () => {
        const ours = run(x, period, stdDev);
        const ta = talibRun('BBANDS', { inReal: x, optInTimePeriod: period, optInNbDevUp: stdDev, optInNbDevDn: stdDev, optInMAType: TA_MA.SMA }, x.length);
        // TA-Lib keeps √(rounding residue of Σx² − (Σx)²/n), ~1e-3 at BTC prices, as σ of a flat window
        const flat = flatWindows(x, period);
        const mask = (a: ArrayLike<number>) => withNaNAt(a, flat);
        expectSeriesClose('upper', mask(ours.upper), mask(ta.outRealUpperBand!), { from: period - 1 });
        expectSeriesClose('middle', mask(ours.middle), mask(ta.outRealMiddleBand!), { from: period - 1 });
        expectSeriesClose('lower', mask(ours.lower), mask(ta.outRealLowerBand!), { from: period - 1 });
      });
    }
  }

  for (const { period, stdDev } of PARAM_SETS.slice(0, 2)) {
    it(`matches trading-signals BollingerBands, PercentB and BollingerBandsWidth (${period}, ${stdDev}) on BTC 5m`, () => {
      const x = DATA['BTC 5m'];
      const bands = new BollingerBands(period, stdDev);
      const width = new BollingerBandsWidth(new BollingerBands(period, stdDev));
      const pb = new PercentB({ interval: period, deviationMultiplier: stdDev });
      const ref = { upper: [] as number[], middle: [] as number[], lower: [] as number[], percentB: [] as number[], bandwidth: [] as number[] };
      for (const v of x) {
        const b = bands.add(v);
        ref.upper.push(b?.upper ?? NaN);
        ref.middle.push(b?.middle ?? NaN);
        ref.lower.push(b?.lower ?? NaN);
        ref.percentB.push(pb.add(v) ?? NaN);
        ref.bandwidth.push(width.add(v) ?? NaN);
      }
      const ours = run(x, period, stdDev);
      for (const k of OUTPUTS) expectSeriesClose(k, ours[k], ref[k], { from: period - 1 });
    });
  }

  it('is ~1e-13 accurate in σ on BTC 5m, where TA-Lib BBANDS drifts past 1e-9 (so %B and bandwidth are not checked against it)', () => {
    const x = DATA['BTC 5m'];
    const ours = run(x, 20, 1);
    const ref = exactBollinger(x, 20, 1);
    const ta = talibRun('BBANDS', { inReal: x, optInTimePeriod: 20, optInNbDevUp: 1, optInNbDevDn: 1, optInMAType: TA_MA.SMA }, x.length);
    let worstOurs = 0;
    let worstTa = 0;
    for (let i = 19; i < x.length; i++) {
      const sigma = ref.sigma[i]!;
      worstOurs = Math.max(worstOurs, Math.abs((ours.upper[i]! - ours.lower[i]!) / 2 - sigma) / sigma);
      worstTa = Math.max(worstTa, Math.abs(ta.outRealUpperBand![i]! - ta.outRealMiddleBand![i]! - sigma) / sigma);
    }
    expect(worstOurs).toBeLessThan(1e-12); // measured 1.5e-13, partly the rounding of the bands at 50 000
    expect(worstTa).toBeGreaterThan(1e-9);
  });

  it('has an exact reference: σ agrees with 100-digit decimal arithmetic on sampled BTC 5m windows', () => {
    Decimal.set({ precision: 100 });
    // toFixed(80) spells out the double exactly; Decimal(number) would round it to 17 digits
    const exact = (v: number) => new Decimal(v.toFixed(80));
    const x = DATA['BTC 5m'];
    const ref = exactBollinger(x, 20, 1);
    for (let i = 19; i < x.length; i += 211) {
      const window = x.slice(i - 19, i + 1).map(exact);
      const mean = window.reduce((a, b) => a.plus(b), new Decimal(0)).div(20);
      const sigma = window.reduce((a, b) => a.plus(b.minus(mean).pow(2)), new Decimal(0)).div(20).sqrt().toNumber();
      expect(Math.abs(ref.sigma[i]! - sigma) / sigma, `window ending ${i}`).toBeLessThan(1e-14);
    }
  });

  it('matches the exact reference on arbitrary series: flat runs, spikes leaving, offsets up to 1e6', () => {
    const step = fc.oneof({ weight: 6, arbitrary: fc.constant(0) }, { weight: 6, arbitrary: fc.integer({ min: -3, max: 3 }) }, { weight: 1, arbitrary: fc.integer({ min: -5000, max: 5000 }) });
    fc.assert(
      fc.property(
        fc.constantFrom(0.001, 1, 615.06, 50_000, 1e6),
        fc.constantFrom(1e-9, 1e-4, 1e-2),
        fc.array(step, { minLength: 2, maxLength: 400 }),
        fc.integer({ min: 2, max: 30 }),
        fc.constantFrom(0.5, 2, 3),
        (base, tick, steps, period, stdDev) => {
          let level = 0;
          const x = steps.map((s) => base * (1 + tick * (level += s)));
          if (x.length < period || x.some((v) => !(v > 0))) return;
          const ours = run(x, period, stdDev);
          const ref = exactBollinger(x, period, stdDev);
          for (const k of OUTPUTS) expectSeriesClose(k, ours[k], ref[k], { from: period - 1 });
        },
      ),
      { numRuns: 400, seed: 20_240_601 },
    );
  });

  it('gives zero-width bands on a flat window: upper = middle = lower, %B 0.5, bandwidth 0', () => {
    // a spike, then a flat run that outlasts the window: the sums must cancel to exact zeros
    const x = [608.31, 612.5, 700, 608.31, 608.31, 608.31, 608.31, 608.31, 608.31];
    const out = run(x, 4, 2);
    for (let i = 6; i < x.length; i++) {
      expect(out.upper[i], `upper[${i}]`).toBe(608.31);
      expect(out.middle[i], `middle[${i}]`).toBe(608.31);
      expect(out.lower[i], `lower[${i}]`).toBe(608.31);
      expect(out.percentB[i], `percentB[${i}]`).toBe(0.5);
      expect(out.bandwidth[i], `bandwidth[${i}]`).toBe(0);
    }
    expect(out.upper[5]).toBeGreaterThan(out.lower[5]!);
  });

  it('gives zero-width bands in the flat windows of the ETH 5m outage bars', () => {
    const x = DATA['ETH 5m'];
    const flat = flatWindows(x, 10);
    expect(flat.length, 'the data holds flat windows').toBeGreaterThan(0);
    const out = run(x, 10, 2);
    for (const i of flat) {
      expect([out.upper[i], out.middle[i], out.lower[i], out.percentB[i], out.bandwidth[i]], `at ${i}`).toEqual([x[i], x[i], x[i], 0.5, 0]);
    }
  });

  it('gives NaN bandwidth where the middle band is exactly 0, and a negative one below it', () => {
    const out = run([-1, 1, -1, 1, -3, -1], 2, 2);
    expect(Array.from(out.middle)).toEqual([NaN, 0, 0, 0, -1, -2]);
    expect(Array.from(out.bandwidth)).toEqual([NaN, NaN, NaN, NaN, -8, -2]);
  });

  it('gives %B 1 at the upper band and 0 at the lower band', () => {
    // window [1, 3]: middle 2, σ 1, stdDev 1 → bands 1..3, the newest value 3 sits on the upper band
    const out = run([1, 3, 1], 2, 1);
    expect(out.percentB[1]).toBe(1);
    expect(out.percentB[2]).toBe(0);
  });

  it('skips NaN inputs (an upstream still warming up) without consuming them', () => {
    const withGaps = run([NaN, 1, 3, NaN, 5], 2, 1);
    const clean = run([1, 3, 5], 2, 1);
    for (const k of OUTPUTS) expect(Array.from(withGaps[k]), k).toEqual([NaN, NaN, clean[k][1], NaN, clean[k][2]]);
  });
});

describeNodeContract(bollinger, paramsOf(bollinger), { source: DATA['ETH 5m'].slice(0, 300) });
// Bars 20650..20949 of ETH 5m hold a 17-bar exchange outage: with period 10 the bands go to zero
// width and back under snapshot/restore and replace-last-bar.
describeNodeContract(bollinger, paramsOf(bollinger, { period: 10 }), { source: DATA['ETH 5m'].slice(20_650, 20_950) });

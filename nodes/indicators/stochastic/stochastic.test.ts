import { describe, expect, it } from 'vitest';
import { describeNodeContract } from '../../_kit/contract.ts';
import { expectSeriesClose } from '../../_kit/compare.ts';
import { columnsOf, loadEmbedded } from '../../_kit/reference-data.ts';
import { paramsOf, runNode } from '../../_kit/run-node.ts';
import { TA_MA, talibRun } from '../../_kit/talib.ts';
import { stochastic } from './stochastic.node.ts';

const DATA = {
  'ETH 5m': columnsOf(loadEmbedded('eth-5m')),
  'BTC 5m': columnsOf(loadEmbedded('btc-5m')),
  'ETH 4h': columnsOf(loadEmbedded('eth-4h')),
};
type Candles = (typeof DATA)['ETH 5m'];

const PARAM_SETS = [
  { kPeriod: 14, smoothK: 3, dPeriod: 3 },
  { kPeriod: 5, smoothK: 1, dPeriod: 4 },
  { kPeriod: 21, smoothK: 7, dPeriod: 5 },
];

/** Indices whose kPeriod window is flat (highest high == lowest low): barflow's raw %K is 50 there, TA-Lib's 0. */
function flatWindows(c: Candles, kPeriod: number): number[] {
  const flat: number[] = [];
  for (let i = kPeriod - 1; i < c.close.length; i++) {
    let hh = -Infinity;
    let ll = Infinity;
    for (let j = i - kPeriod + 1; j <= i; j++) {
      hh = Math.max(hh, c.high[j]!);
      ll = Math.min(ll, c.low[j]!);
    }
    if (hh === ll) flat.push(i);
  }
  return flat;
}

/** Copies `series` with NaN wherever a flat window lies within the last `reach` bars. */
function masked(series: ArrayLike<number>, flat: number[], reach: number): Float64Array {
  const out = Float64Array.from(series);
  for (const f of flat) for (let i = f; i < f + reach && i < out.length; i++) out[i] = NaN;
  return out;
}

function talibStoch(c: Candles, p: (typeof PARAM_SETS)[number]) {
  const hlc = { high: c.high, low: c.low, close: c.close };
  const slow = talibRun('STOCH', {
    ...hlc,
    optInFastK_Period: p.kPeriod,
    optInSlowK_Period: p.smoothK,
    optInSlowK_MAType: TA_MA.SMA,
    optInSlowD_Period: p.dPeriod,
    optInSlowD_MAType: TA_MA.SMA,
  }, c.close.length);
  // STOCH starts both lines at d's warm-up; STOCHF's fast %D is the same SMA of raw %K from k's own warm-up.
  const fast = talibRun('STOCHF', { ...hlc, optInFastK_Period: p.kPeriod, optInFastD_Period: p.smoothK, optInFastD_MAType: TA_MA.SMA }, c.close.length);
  // and with a 1-bar %D it gives raw %K from kPeriod − 1
  const raw = talibRun('STOCHF', { ...hlc, optInFastK_Period: p.kPeriod, optInFastD_Period: 1, optInFastD_MAType: TA_MA.SMA }, c.close.length);
  return { k: slow.outSlowK!, d: slow.outSlowD!, kFromStart: fast.outFastD!, raw: raw.outFastK! };
}

/** TA-Lib SMA over `series` from index `from` on (where it turns finite), aligned to full length. */
function talibSmaAfter(series: ArrayLike<number>, from: number, period: number): Float64Array {
  const n = series.length;
  // the binding reads plain arrays only (a Float64Array comes back as garbage)
  const part = talibRun('SMA', { inReal: Array.from(series).slice(from), optInTimePeriod: period }, n - from).outReal!;
  const out = new Float64Array(n).fill(NaN);
  out.set(part, from);
  return out;
}

describe('indicator.stochastic', () => {
  for (const [name, c] of Object.entries(DATA)) {
    for (const p of PARAM_SETS) {
      const label = `STOCH(${p.kPeriod}, ${p.smoothK}, ${p.dPeriod})`;
      it(`matches TA-Lib ${label} on ${name} outside flat windows`, () => {
        const params = paramsOf(stochastic, p) as typeof p;
        const ours = runNode(stochastic, params, { high: c.high, low: c.low, close: c.close });
        const ref = talibStoch(c, p);
        const w = stochastic.warmup(params) as { k: number; d: number };
        const flat = flatWindows(c, p.kPeriod);
        const kReach = p.smoothK;
        const dReach = p.smoothK + p.dPeriod - 1;
        expectSeriesClose('k', masked(ours.k!, flat, kReach), masked(ref.kFromStart, flat, kReach), { from: w.k });
        expectSeriesClose('k', masked(ours.k!, flat, kReach), masked(ref.k, flat, kReach), { from: w.d });
        expectSeriesClose('d', masked(ours.d!, flat, dReach), masked(ref.d, flat, dReach), { from: w.d });
      });
    }
  }

  it('matches TA-Lib with raw %K set to 50 in flat windows, on the ETH 5m outage bars', () => {
    const c = DATA['ETH 5m'];
    const p = PARAM_SETS[0]!;
    const flat = flatWindows(c, p.kPeriod);
    expect(flat.length, 'the data holds flat windows').toBeGreaterThan(0);
    const ref = talibStoch(c, p);
    const raw = Float64Array.from(ref.raw, (v, i) => (flat.includes(i) ? 50 : v));
    const k = talibSmaAfter(raw, p.kPeriod - 1, p.smoothK);
    const d = talibSmaAfter(k, p.kPeriod + p.smoothK - 2, p.dPeriod);
    const ours = runNode(stochastic, paramsOf(stochastic, p), { high: c.high, low: c.low, close: c.close });
    expectSeriesClose('k', ours.k!, k, { from: p.kPeriod + p.smoothK - 2 });
    expectSeriesClose('d', ours.d!, d, { from: p.kPeriod + p.smoothK + p.dPeriod - 3 });
    // the documented difference, where a whole smoothing window is flat
    const last = flat[flat.length - 1]!;
    expect(ref.raw[last]).toBe(0);
    expect(ref.k[last]).toBeCloseTo(0, 9); // TA-Lib's running sum leaves a residue
    expect(ours.k![last]).toBe(50); // exactly: no running-sum residue
  });

  it('gives 50 when the whole window is flat (TA-Lib gives 0)', () => {
    const flat = Array(8).fill(100);
    const out = runNode(stochastic, paramsOf(stochastic, { kPeriod: 3, smoothK: 2, dPeriod: 2 }), { high: flat, low: flat, close: flat });
    expect(Array.from(out.k!)).toEqual([NaN, NaN, NaN, 50, 50, 50, 50, 50]);
    expect(Array.from(out.d!)).toEqual([NaN, NaN, NaN, NaN, 50, 50, 50, 50]);
  });

  it('stays within 0..100 and reads 100 at the highest high, 0 at the lowest low', () => {
    const high = [10, 11, 12, 13, 12, 11];
    const low = [9, 10, 11, 12, 11, 10];
    const close = [9.5, 10.5, 11.5, 13, 11.5, 10];
    const out = runNode(stochastic, paramsOf(stochastic, { kPeriod: 3, smoothK: 1, dPeriod: 1 }), { high, low, close });
    expect(out.k![3]).toBe(100);
    expect(out.k![5]).toBe(0);
    const c = DATA['ETH 4h'];
    const raw = runNode(stochastic, paramsOf(stochastic, { kPeriod: 14, smoothK: 1, dPeriod: 1 }), { high: c.high, low: c.low, close: c.close }).k!;
    for (let i = 13; i < raw.length; i++) expect(raw[i]! >= 0 && raw[i]! <= 100, `raw %K[${i}] = ${raw[i]}`).toBe(true);
  });

  it('skips NaN inputs (an upstream still warming up) without consuming them', () => {
    const high = [NaN, 10, 11, NaN, 12, 13];
    const low = [NaN, 9, 10, 10, 11, 12];
    const close = [NaN, 9.5, 10.5, 10.5, 11.5, NaN];
    const p = paramsOf(stochastic, { kPeriod: 2, smoothK: 1, dPeriod: 2 });
    const withGaps = runNode(stochastic, p, { high, low, close });
    const clean = runNode(stochastic, p, { high: [10, 11, 12], low: [9, 10, 11], close: [9.5, 10.5, 11.5] });
    expect(Array.from(withGaps.k!)).toEqual([NaN, NaN, clean.k![1], NaN, clean.k![2], NaN]);
    expect(Array.from(withGaps.d!)).toEqual([NaN, NaN, NaN, NaN, clean.d![2], NaN]);
  });
});

// Bars 20650..20949 of ETH 5m hold a 17-bar exchange outage (flat candles), so the flat-window
// branch is exercised by snapshot/restore and replace-last-bar too.
const slice = (a: number[]) => a.slice(20_650, 20_950);
const eth = DATA['ETH 5m'];
describeNodeContract(stochastic, paramsOf(stochastic), { high: slice(eth.high), low: slice(eth.low), close: slice(eth.close) });

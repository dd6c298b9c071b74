import { WilliamsR } from 'trading-signals';
import { describe, expect, it } from 'vitest';
import { describeNodeContract } from '../../_kit/contract.ts';
import { expectSeriesClose } from '../../_kit/compare.ts';
import { columnsOf, loadEmbedded } from '../../_kit/reference-data.ts';
import { paramsOf, runNode } from '../../_kit/run-node.ts';
import { talibRun } from '../../_kit/talib.ts';
import { williamsR } from './williams-r.node.ts';

const DATA = {
  'ETH 5m': columnsOf(loadEmbedded('eth-5m')),
  'BTC 5m': columnsOf(loadEmbedded('btc-5m')),
  'ETH 4h': columnsOf(loadEmbedded('eth-4h')),
};
type Candles = (typeof DATA)['ETH 5m'];

/** Indices whose window is flat (highest high == lowest low): barflow gives −50 there, TA-Lib 0. */
function flatWindows(c: Candles, period: number): number[] {
  const flat: number[] = [];
  for (let i = period - 1; i < c.close.length; i++) {
    let hh = -Infinity;
    let ll = Infinity;
    for (let j = i - period + 1; j <= i; j++) {
      hh = Math.max(hh, c.high[j]!);
      ll = Math.min(ll, c.low[j]!);
    }
    if (hh === ll) flat.push(i);
  }
  return flat;
}

function withNaNAt(series: ArrayLike<number>, at: number[]): Float64Array {
  const out = Float64Array.from(series);
  for (const i of at) out[i] = NaN;
  return out;
}

const run = (c: Candles, period: number) => runNode(williamsR, paramsOf(williamsR, { period }), { high: c.high, low: c.low, close: c.close }).value!;

describe('indicator.williams-r', () => {
  for (const [name, c] of Object.entries(DATA)) {
    for (const period of [14, 5, 50]) {
      it(`matches TA-Lib WILLR(${period}) on ${name} outside flat windows`, () => {
        const ref = talibRun('WILLR', { high: c.high, low: c.low, close: c.close, optInTimePeriod: period }, c.close.length).outReal!;
        const flat = flatWindows(c, period);
        expectSeriesClose('williams-r', withNaNAt(run(c, period), flat), withNaNAt(ref, flat), { from: period - 1 });
      });
    }
  }

  it('matches trading-signals WilliamsR(14) on BTC 5m outside flat windows', () => {
    const c = DATA['BTC 5m'];
    const ind = new WilliamsR(14);
    const ref = c.close.map((close, i) => ind.add({ high: c.high[i]!, low: c.low[i]!, close }) ?? NaN);
    const flat = flatWindows(c, 14);
    expectSeriesClose('williams-r', withNaNAt(run(c, 14), flat), withNaNAt(ref, flat), { from: 13 });
  });

  it('gives −50 in the flat windows of the ETH 5m outage bars, where TA-Lib gives 0', () => {
    const c = DATA['ETH 5m'];
    const flat = flatWindows(c, 14);
    expect(flat.length, 'the data holds flat windows').toBeGreaterThan(0);
    const ours = run(c, 14);
    const ref = talibRun('WILLR', { high: c.high, low: c.low, close: c.close, optInTimePeriod: 14 }, c.close.length).outReal!;
    for (const i of flat) {
      expect(ours[i], `ours at ${i}`).toBe(-50);
      expect(ref[i], `TA-Lib at ${i}`).toBe(0);
    }
  });

  it('stays within −100..0 and reads 0 at the highest high, −100 at the lowest low', () => {
    const high = [10, 11, 12, 13, 12, 11];
    const low = [9, 10, 11, 12, 11, 10];
    const close = [9.5, 10.5, 11.5, 13, 11.5, 10];
    const out = runNode(williamsR, paramsOf(williamsR, { period: 3 }), { high, low, close }).value!;
    expect(out[3]).toBe(0);
    expect(out[5]).toBe(-100);
    const real = run(DATA['ETH 4h'], 14);
    for (let i = 13; i < real.length; i++) expect(real[i]! >= -100 && real[i]! <= 0, `value[${i}] = ${real[i]}`).toBe(true);
  });

  it('skips NaN inputs (an upstream still warming up) without consuming them', () => {
    const p = paramsOf(williamsR, { period: 2 });
    const withGaps = runNode(williamsR, p, { high: [NaN, 10, 11, NaN, 12], low: [NaN, 9, 10, 10, 11], close: [NaN, 9.5, 10.5, 10.5, 11.5] }).value!;
    const clean = runNode(williamsR, p, { high: [10, 11, 12], low: [9, 10, 11], close: [9.5, 10.5, 11.5] }).value!;
    expect(Array.from(withGaps)).toEqual([NaN, NaN, clean[1], NaN, clean[2]]);
  });
});

// Bars 20650..20949 of ETH 5m hold a 17-bar exchange outage (flat candles), so the flat-window
// branch is exercised by snapshot/restore and replace-last-bar too.
const slice = (a: number[]) => a.slice(20_650, 20_950);
const eth = DATA['ETH 5m'];
describeNodeContract(williamsR, paramsOf(williamsR), { high: slice(eth.high), low: slice(eth.low), close: slice(eth.close) });

import { CCI } from 'trading-signals';
import { describe, expect, it } from 'vitest';
import { describeNodeContract } from '../../_kit/contract.ts';
import { expectSeriesClose } from '../../_kit/compare.ts';
import { columnsOf, loadEmbedded } from '../../_kit/reference-data.ts';
import { paramsOf, runNode } from '../../_kit/run-node.ts';
import { talibRun } from '../../_kit/talib.ts';
import { cci } from './cci.node.ts';

const DATA = {
  'ETH 5m': columnsOf(loadEmbedded('eth-5m')),
  'BTC 5m': columnsOf(loadEmbedded('btc-5m')),
  'ETH 4h': columnsOf(loadEmbedded('eth-4h')),
};
type Candles = (typeof DATA)['ETH 5m'];

const run = (c: Candles, period: number) => runNode(cci, paramsOf(cci, { period }), { high: c.high, low: c.low, close: c.close }).value!;
const talibCci = (c: Candles, period: number) =>
  talibRun('CCI', { high: c.high, low: c.low, close: c.close, optInTimePeriod: period }, c.close.length).outReal!;

describe('indicator.cci', () => {
  for (const [name, c] of Object.entries(DATA)) {
    for (const period of [20, 5, 100]) {
      it(`matches TA-Lib CCI(${period}) on ${name}`, () => {
        expectSeriesClose('cci', run(c, period), talibCci(c, period), { from: period - 1 });
      });
    }
  }

  it('matches trading-signals CCI(20) on ETH 5m outside flat windows', () => {
    const c = DATA['ETH 5m'];
    const ind = new CCI(20);
    const ref = c.close.map((close, i) => ind.add({ high: c.high[i]!, low: c.low[i]!, close }) ?? NaN);
    // trading-signals divides 0 by 0 where TA-Lib and barflow give 0; no 20-bar window of this data is flat
    expectSeriesClose('cci', run(c, 20), ref, { from: 19 });
  });

  it('gives 0 in the flat windows of the ETH 5m outage bars; TA-Lib does at period 5 but gives ±66.67 at 14', () => {
    const c = DATA['ETH 5m'];
    for (const period of [5, 14]) {
      const ours = run(c, period);
      const ref = talibCci(c, period);
      let flat = 0;
      for (let i = period - 1; i < c.close.length; i++) {
        let same = true;
        for (let j = i - period + 1; j <= i && same; j++) same = c.high[j] === c.high[i] && c.low[j] === c.low[i] && c.close[j] === c.close[i];
        if (!same) continue;
        flat++;
        expect(ours[i], `ours at ${i}, period ${period}`).toBe(0);
        // the mean of the equal typical prices rounds an ulp off, and TA-Lib divides that rounding by itself
        if (period === 5) expect(ref[i], `TA-Lib at ${i}, period 5`).toBe(0);
        else expect(Math.abs(ref[i]!), `TA-Lib at ${i}, period ${period}`).toBeCloseTo(1 / 0.015, 9);
      }
      expect(flat, 'the data holds flat windows').toBeGreaterThan(0);
    }
  });

  it('gives 0 in a flat 20-bar window even where TA-Lib rounding gives ±66.67', () => {
    for (const price of [608.31, 22646.53, 0.1]) {
      const flat = Array(25).fill(price);
      const ours = runNode(cci, paramsOf(cci, { period: 20 }), { high: flat, low: flat, close: flat }).value!;
      const ref = talibRun('CCI', { high: flat, low: flat, close: flat, optInTimePeriod: 20 }, 25).outReal!;
      expect(Array.from(ours.subarray(19)), `ours at ${price}`).toEqual([0, 0, 0, 0, 0, 0]);
      expect(Math.abs(ref[19]!), `TA-Lib at ${price}`).toBeCloseTo(1 / 0.015, 9);
    }
  });

  it('gives 0 when the typical price equals its mean', () => {
    const out = runNode(cci, paramsOf(cci, { period: 3 }), { high: [3, 5, 4], low: [3, 5, 4], close: [3, 5, 4] }).value!;
    expect(out[2]).toBe(0);
  });

  it('scales the distance by 0.015 × mean deviation', () => {
    // typical prices 1, 2, 6: mean 3, mean deviation (2 + 1 + 3) / 3 = 2, CCI = 3 / 0.03 = 100
    const out = runNode(cci, paramsOf(cci, { period: 3 }), { high: [1, 2, 6], low: [1, 2, 6], close: [1, 2, 6] }).value!;
    expect(out[2]).toBeCloseTo(100, 12);
  });

  it('skips NaN inputs (an upstream still warming up) without consuming them', () => {
    const p = paramsOf(cci, { period: 3 });
    const withGaps = runNode(cci, p, { high: [NaN, 1, 2, NaN, 6], low: [NaN, 1, 2, 2, 6], close: [NaN, 1, 2, 2, 6] }).value!;
    expect(withGaps[4]).toBeCloseTo(100, 12);
    expect(Array.from(withGaps.subarray(0, 4))).toEqual([NaN, NaN, NaN, NaN]);
  });
});

// Bars 20650..20949 of ETH 5m hold a 17-bar exchange outage (flat candles): with period 10 the
// flat-window branch runs under snapshot/restore and replace-last-bar too.
const slice = (a: number[]) => a.slice(20_650, 20_950);
const eth = DATA['ETH 5m'];
describeNodeContract(cci, paramsOf(cci, { period: 10 }), { high: slice(eth.high), low: slice(eth.low), close: slice(eth.close) });

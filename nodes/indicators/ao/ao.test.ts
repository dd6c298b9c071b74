import { IndicatorsSync } from '@ixjb94/indicators';
import { AO } from 'trading-signals';
import { describe, expect, it } from 'vitest';
import { describeNodeContract } from '../../_kit/contract.ts';
import { alignAt, expectSeriesClose } from '../../_kit/compare.ts';
import { columnsOf, loadEmbedded } from '../../_kit/reference-data.ts';
import { bareContext, paramsOf, runNode } from '../../_kit/run-node.ts';
import { talibRun } from '../../_kit/talib.ts';
import { ao } from './ao.node.ts';

const DATA = {
  'ETH 5m': columnsOf(loadEmbedded('eth-5m')),
  'BTC 5m': columnsOf(loadEmbedded('btc-5m')),
  'ETH 4h': columnsOf(loadEmbedded('eth-4h')),
};
type Candles = (typeof DATA)['ETH 5m'];

const run = (c: Candles, fast: number, slow: number) => runNode(ao, paramsOf(ao, { fast, slow }), { high: c.high, low: c.low }).value!;

function talibAo(c: Candles, fast: number, slow: number): Float64Array {
  const n = c.close.length;
  // the binding reads plain arrays only
  const median = Array.from(talibRun('MEDPRICE', { high: c.high, low: c.low }, n).outReal!);
  const f = talibRun('SMA', { inReal: median, optInTimePeriod: fast }, n).outReal!;
  const s = talibRun('SMA', { inReal: median, optInTimePeriod: slow }, n).outReal!;
  return f.map((v, i) => v - s[i]!);
}

describe('indicator.ao', () => {
  for (const [name, c] of Object.entries(DATA)) {
    for (const [fast, slow] of [[5, 34], [3, 10], [10, 50]] as const) {
      it(`matches TA-Lib SMA(${fast}) − SMA(${slow}) of MEDPRICE on ${name}`, () => {
        expectSeriesClose('ao', run(c, fast, slow), talibAo(c, fast, slow), { from: slow - 1 });
      });
    }
  }

  for (const [fast, slow] of [[5, 34], [10, 50]] as const) {
    it(`matches trading-signals AO(${fast}, ${slow}) on BTC 5m`, () => {
      const c = DATA['BTC 5m'];
      const ind = new AO(fast, slow);
      const ref = c.high.map((high, i) => ind.add({ high, low: c.low[i]! }) ?? NaN);
      expectSeriesClose('ao', run(c, fast, slow), ref, { from: slow - 1 });
    });
  }

  it('matches @ixjb94/indicators ao (5, 34) on ETH 5m', () => {
    const c = DATA['ETH 5m'];
    const ref = new IndicatorsSync().ao(c.high, c.low);
    expectSeriesClose('ao', run(c, 5, 34), alignAt(ref, 33, c.close.length), { from: 33 });
  });

  it('rejects fast >= slow with a message naming both', () => {
    for (const given of [{ fast: 34, slow: 34 }, { fast: 40 }]) {
      const parsed = ao.params.safeParse(given);
      expect(parsed.success).toBe(false);
      expect(parsed.error!.issues[0]!.path).toEqual(['fast']);
      expect(parsed.error!.issues[0]!.message).toMatch(/^fast \(\d+\) must be shorter than slow \(34\)/);
    }
    expect(ao.params.safeParse({ fast: 33 }).success).toBe(true);
  });

  it('uses the median price (H + L) / 2 and ignores nothing else', () => {
    const high = [2, 4, 6, 8];
    const low = [0, 2, 4, 6];
    const out = runNode(ao, paramsOf(ao, { fast: 1, slow: 3 }), { high, low }).value!;
    // medians 1, 3, 5, 7: SMA(1) − SMA(3) = 5 − 3, then 7 − 5
    expect(Array.from(out)).toEqual([NaN, NaN, 2, 2]);
  });

  it('gives exactly 0 on a flat window, where TA-Lib leaves rounding noise of either sign', () => {
    for (const price of [0.1, 608.31, 22646.53]) {
      const flat = Array(40).fill(price);
      const ours = runNode(ao, paramsOf(ao), { high: flat, low: flat }).value!;
      expect(Array.from(ours.subarray(33)), `ours at ${price}`).toEqual([0, 0, 0, 0, 0, 0, 0]);
      const ref = talibAo({ high: flat, low: flat, close: flat } as Candles, 5, 34);
      expect(ref[39], `TA-Lib at ${price}`).not.toBe(0);
    }
    // one differing bar inside the window is not flat
    const almost = [...Array(20).fill(608.31), 608.32, ...Array(19).fill(608.31)];
    expect(runNode(ao, paramsOf(ao), { high: almost, low: almost }).value![39]).not.toBe(0);
  });

  it('skips NaN inputs (an upstream still warming up) without consuming them', () => {
    const p = paramsOf(ao, { fast: 1, slow: 2 });
    const withGaps = runNode(ao, p, { high: [NaN, 2, 4, NaN, 6], low: [NaN, 0, 2, 1, 4] }).value!;
    expect(Array.from(withGaps)).toEqual([NaN, NaN, 1, NaN, 1]);
  });

  it('stays within 1e-9 of freshly added sums over 1.3M bars of BTC prices', () => {
    // 20 passes over BTC 5m. Plain running sums drift to ~2.5e-9 here; re-adding each window keeps ~1e-10.
    const c = DATA['BTC 5m'];
    const params = ao.params.parse({});
    const state = ao.init(params);
    const out = { value: NaN };
    const ctx = bareContext();
    const n = c.close.length;
    const window: number[] = [];
    let worst = 0;
    for (let pass = 0; pass < 20; pass++) {
      for (let i = 0; i < n; i++) {
        ao.step(state, { high: c.high[i]!, low: c.low[i]! }, out, params, ctx);
        window.push((c.high[i]! + c.low[i]!) / 2);
        if (window.length > 34) window.shift();
        if (window.length < 34) continue;
        let fast = 0;
        let slow = 0;
        for (let j = 0; j < 34; j++) slow += window[j]!;
        for (let j = 29; j < 34; j++) fast += window[j]!;
        worst = Math.max(worst, Math.abs(out.value - (fast / 5 - slow / 34)));
      }
    }
    expect(worst).toBeLessThan(1e-9);
  });
});

describeNodeContract(ao, paramsOf(ao), { high: DATA['ETH 5m'].high.slice(0, 300), low: DATA['ETH 5m'].low.slice(0, 300) });

import { describe, expect, it } from 'vitest';
import { describeNodeContract } from '../../_kit/contract.ts';
import { expectSeriesClose } from '../../_kit/compare.ts';
import { columnsOf, loadEmbedded } from '../../_kit/reference-data.ts';
import { paramsOf, runNode } from '../../_kit/run-node.ts';
import { talibRun } from '../../_kit/talib.ts';
import { ema } from './ema.node.ts';

const data = {
  'ETH 5m': columnsOf(loadEmbedded('eth-5m')).close,
  'BTC 5m': columnsOf(loadEmbedded('btc-5m')).close,
  'BTC 4h': columnsOf(loadEmbedded('btc-4h')).close,
};

const emaOf = (source: ArrayLike<number>, period: number) => runNode(ema, paramsOf(ema, { period }), { source }).value!;

describe('indicator.ema', () => {
  for (const [name, close] of Object.entries(data)) {
    for (const period of [20, 2, 9, 50]) {
      it(`matches TA-Lib EMA(${period}) on ${name}`, () => {
        const ref = talibRun('EMA', { inReal: close, optInTimePeriod: period }, close.length).outReal!;
        expectSeriesClose('ema', emaOf(close, period), ref, { from: period - 1 });
      });
    }
  }

  it('seeds with the SMA of the first `period` values, then applies k = 2/(period+1)', () => {
    const out = Array.from(emaOf([1, 2, 3, 4, 10], 3));
    expect(out.slice(0, 2)).toEqual([NaN, NaN]);
    expect(out[2]).toBe(2);
    expect(out[3]).toBe(3);
    expect(out[4]).toBe(6.5);
  });

  it('stays exactly on a flat series', () => {
    const out = emaOf(new Array(60).fill(1234.5), 20);
    for (let i = 19; i < 60; i++) expect(out[i]).toBe(1234.5);
  });

  it('skips NaN inputs (an upstream still warming up) without consuming them', () => {
    const out = Array.from(emaOf([NaN, NaN, 1, 2, NaN, 3], 2));
    expect(out).toEqual([NaN, NaN, NaN, 1.5, NaN, 1.5 + (3 - 1.5) * (2 / 3)]);
  });

  it('declares settle = warm-up + ceil(ln 1e-11 / ln(1 − k))', () => {
    expect(ema.settle!(ema.params.parse({ period: 20 }))).toBe(19 + Math.ceil(Math.log(1e-11) / Math.log(1 - 2 / 21)));
    expect(ema.settle!(ema.params.parse({ period: 1 }))).toBe(0);
  });

  for (const period of [20, 50]) {
    it(`forgets its seed within settle: EMA(${period}) from bar 0 and from bar 5000 agree after 5000 + settle`, () => {
      const close = data['BTC 5m'];
      const settle = ema.settle!(ema.params.parse({ period }));
      const full = emaOf(close, period).subarray(5000);
      const late = emaOf(close.slice(5000), period);
      expectSeriesClose('ema', late, full, { from: settle });
    });
  }
});

describeNodeContract(ema, paramsOf(ema, { period: 10 }), { source: data['ETH 5m'].slice(0, 300) });

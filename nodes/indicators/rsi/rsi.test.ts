import { describe, expect, it } from 'vitest';
import { describeNodeContract } from '../../_kit/contract.ts';
import { expectSeriesClose } from '../../_kit/compare.ts';
import { columnsOf, loadEmbedded } from '../../_kit/reference-data.ts';
import { paramsOf, runNode } from '../../_kit/run-node.ts';
import { talibRun } from '../../_kit/talib.ts';
import { rsi } from './rsi.node.ts';

const data = {
  'ETH 5m': columnsOf(loadEmbedded('eth-5m')).close,
  'BTC 5m': columnsOf(loadEmbedded('btc-5m')).close,
  'BTC 4h': columnsOf(loadEmbedded('btc-4h')).close,
};

const rsiOf = (source: ArrayLike<number>, period: number) => runNode(rsi, paramsOf(rsi, { period }), { source }).value!;
const talibRsi = (source: number[], period: number) => talibRun('RSI', { inReal: source, optInTimePeriod: period }, source.length).outReal!;

describe('indicator.rsi', () => {
  for (const [name, close] of Object.entries(data)) {
    for (const period of [14, 2, 7, 30]) {
      it(`matches TA-Lib RSI(${period}) on ${name}`, () => {
        expectSeriesClose('rsi', rsiOf(close, period), talibRsi(close, period), { from: period });
      });
    }
  }

  it('emits its first value at index `period`, from the plain averages of the first `period` moves', () => {
    const out = rsiOf([10, 11, 10, 12], 3);
    expect(Array.from(out.subarray(0, 3))).toEqual([NaN, NaN, NaN]);
    // gains 1 + 2, losses 1: 100 · (3/3) / (3/3 + 1/3)
    expect(out[3]).toBeCloseTo(75, 12);
  });

  it('answers 0, as TA-Lib does, when the price never moves', () => {
    const flat = new Array(40).fill(100);
    const out = rsiOf(flat, 14);
    for (let i = 14; i < 40; i++) expect(out[i]).toBe(0);
    expectSeriesClose('rsi', out, talibRsi(flat, 14), { from: 14 });
  });

  it("uses TA-Lib's real zero threshold (TA_EPSILON = 1e-14, not 1e-8)", () => {
    for (const move of [1e-10, 1.2e-14, 8e-15]) {
      const zigzag = Array.from({ length: 40 }, (_, i) => (i % 2 ? move : 0));
      const ours = rsiOf(zigzag, 14);
      expectSeriesClose(`rsi move ${move}`, ours, talibRsi(zigzag, 14), { from: 14 });
      expect(ours[14]).toBe(move < 1e-14 ? 0 : 50);
    }
  });

  it('skips NaN inputs (an upstream still warming up) without consuming them', () => {
    const close = data['ETH 5m'].slice(0, 100);
    const ours = rsiOf([NaN, NaN, NaN, ...close.slice(0, 50), NaN, ...close.slice(50)], 14);
    const plain = rsiOf(close, 14);
    expect(Array.from(ours.subarray(0, 17)).every(Number.isNaN)).toBe(true);
    expect(ours[53]).toBeNaN();
    expect(Array.from(ours.subarray(3, 53))).toEqual(Array.from(plain.subarray(0, 50)));
    expect(Array.from(ours.subarray(54))).toEqual(Array.from(plain.subarray(50)));
  });

  it('declares settle = warm-up + ceil(ln 1e-11 / ln(1 − 1/period))', () => {
    expect(rsi.settle!(rsi.params.parse({}))).toBe(14 + Math.ceil(Math.log(1e-11) / Math.log(13 / 14)));
  });

  for (const period of [14, 30]) {
    it(`forgets its seed within settle: RSI(${period}) from bar 0 and from bar 5000 agree after 5000 + settle`, () => {
      for (const close of [data['ETH 5m'], data['BTC 4h']]) {
        const settle = rsi.settle!(rsi.params.parse({ period }));
        expectSeriesClose('rsi', rsiOf(close.slice(5000), period), rsiOf(close, period).subarray(5000), { from: settle });
      }
    });
  }
});

describeNodeContract(rsi, paramsOf(rsi, { period: 14 }), { source: data['ETH 5m'].slice(0, 300) });

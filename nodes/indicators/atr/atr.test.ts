import { describe, expect, it } from 'vitest';
import { describeNodeContract } from '../../_kit/contract.ts';
import { alignAt, expectSeriesClose } from '../../_kit/compare.ts';
import { columnsOf, loadEmbedded, type EmbeddedName } from '../../_kit/reference-data.ts';
import { paramsOf, runNode } from '../../_kit/run-node.ts';
import { talibRun } from '../../_kit/talib.ts';
import { atr } from './atr.node.ts';

const data = (name: EmbeddedName) => columnsOf(loadEmbedded(name));
const hlc = (c: ReturnType<typeof data>) => ({ high: c.high, low: c.low, close: c.close });

function talibAtr(c: ReturnType<typeof data>, period: number): Float64Array {
  return talibRun('ATR', { high: c.high, low: c.low, close: c.close, optInTimePeriod: period }, c.close.length).outReal!;
}

/** The 'sma' reference: TA-Lib SMA over TA-Lib TRANGE (whose first value is at bar 1). */
function talibSmaOfTrange(c: ReturnType<typeof data>, period: number): Float64Array {
  const n = c.close.length;
  const tr = talibRun('TRANGE', { high: c.high, low: c.low, close: c.close }, n).outReal!;
  const sma = talibRun('SMA', { inReal: Array.from(tr.subarray(1)), optInTimePeriod: period }, n - 1).outReal!;
  return alignAt(sma, 1, n);
}

describe('indicator.atr', () => {
  for (const name of ['eth-5m', 'btc-5m', 'btc-4h'] as const) {
    const c = data(name);
    for (const period of [14, 5, 50]) {
      it(`matches TA-Lib ATR(${period}) with wilder smoothing on ${name}`, () => {
        const ours = runNode(atr, paramsOf(atr, { period }), hlc(c)).value!;
        expectSeriesClose(`atr ${name}`, ours, talibAtr(c, period), { from: period });
      });
      it(`matches TA-Lib SMA(TRANGE, ${period}) with sma smoothing on ${name}`, () => {
        const ours = runNode(atr, paramsOf(atr, { period, smoothing: 'sma' }), hlc(c)).value!;
        expectSeriesClose(`atr sma ${name}`, ours, talibSmaOfTrange(c, period), { from: period });
      });
    }
  }

  it('defaults to period 14 with wilder smoothing', () => {
    expect(paramsOf(atr)).toEqual({ period: 14, smoothing: 'wilder' });
    expect(() => paramsOf(atr, { smoothing: 'ema' })).toThrow();
  });

  it('yields no true range on the first bar and seeds with the mean of the next `period`', () => {
    const bars = { high: [10, 12, 11, 15], low: [9, 10, 8, 14], close: [9.5, 11, 9, 14.5] };
    // TR: -, max(2, |12-9.5|, |10-9.5|) = 2.5, max(3, 0, 3) = 3, max(1, 6, 5) = 6
    expect(Array.from(runNode(atr, paramsOf(atr, { period: 2 }), bars).value!)).toEqual([NaN, NaN, 2.75, (2.75 * 1 + 6) / 2]);
    expect(Array.from(runNode(atr, paramsOf(atr, { period: 2, smoothing: 'sma' }), bars).value!)).toEqual([NaN, NaN, 2.75, 4.5]);
  });

  it('gives a zero true range on a flat bar at the previous close', () => {
    const bars = { high: [10, 10, 10], low: [9, 10, 10], close: [10, 10, 10] };
    expect(Array.from(runNode(atr, paramsOf(atr, { period: 1 }), bars).value!)).toEqual([NaN, 0, 0]);
  });

  it('measures a gap against the previous close, not the bar range', () => {
    const bars = { high: [10, 21], low: [9, 20], close: [10, 20.5] };
    expect(runNode(atr, paramsOf(atr, { period: 1 }), bars).value![1]).toBe(11);
  });

  it('skips NaN inputs (an upstream still warming up) without consuming them', () => {
    const bars = { high: [NaN, 10, 12, NaN, 11, 15], low: [NaN, 9, 10, 7, 8, 14], close: [NaN, 9.5, 11, 9, 9, 14.5] };
    for (const smoothing of ['wilder', 'sma'] as const) {
      const out = runNode(atr, paramsOf(atr, { period: 2, smoothing }), bars).value!;
      const clean = runNode(atr, paramsOf(atr, { period: 2, smoothing }), {
        high: [10, 12, 11, 15],
        low: [9, 10, 8, 14],
        close: [9.5, 11, 9, 14.5],
      }).value!;
      expect(Array.from(out)).toEqual([NaN, NaN, NaN, NaN, clean[2], clean[3]]);
    }
  });

  it('settles: a feed started 5000 bars later agrees from 5000 + settle on ETH 5m', () => {
    const c = data('eth-5m');
    for (const period of [14, 50]) {
      const params = paramsOf(atr, { period }) as { period: number; smoothing: 'wilder' };
      const start = 5000;
      const settle = atr.settle!(params);
      const full = runNode(atr, params, hlc(c)).value!;
      const late = runNode(atr, params, {
        high: c.high.slice(start),
        low: c.low.slice(start),
        close: c.close.slice(start),
      }).value!;
      expectSeriesClose('atr settle', late, full.subarray(start), { from: settle });
    }
  });
});

const sample = hlc(data('eth-5m'));
const first300 = { high: sample.high.slice(0, 300), low: sample.low.slice(0, 300), close: sample.close.slice(0, 300) };
describeNodeContract(atr, paramsOf(atr, { period: 14 }), first300);
describeNodeContract(atr, paramsOf(atr, { period: 14, smoothing: 'sma' }), first300);

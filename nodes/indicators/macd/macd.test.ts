import { describe, expect, it } from 'vitest';
import { describeNodeContract } from '../../_kit/contract.ts';
import { expectSeriesClose } from '../../_kit/compare.ts';
import { columnsOf, loadEmbedded } from '../../_kit/reference-data.ts';
import { paramsOf, runNode } from '../../_kit/run-node.ts';
import { talibRun } from '../../_kit/talib.ts';
import { macd } from './macd.node.ts';

const data = {
  'ETH 5m': columnsOf(loadEmbedded('eth-5m')).close,
  'BTC 5m': columnsOf(loadEmbedded('btc-5m')).close,
  'BTC 4h': columnsOf(loadEmbedded('btc-4h')).close,
};

interface P {
  fast: number;
  slow: number;
  signal: number;
}

const run = (source: ArrayLike<number>, p: Partial<P>) => runNode(macd, paramsOf(macd, p), { source });
const warmups = (p: P) => macd.warmup(p) as { macd: number; signal: number; histogram: number };

/**
 * MACD from bar slow−1, where TA_MACD says nothing yet, rebuilt from TA-Lib EMAs: the fast EMA
 * run on the series from index slow−fast (so its SMA seed ends at slow−1) minus the slow EMA.
 */
function macdFromEmas(close: number[], p: P): Float64Array {
  const shift = p.slow - p.fast;
  const fast = talibRun('EMA', { inReal: close.slice(shift), optInTimePeriod: p.fast }, close.length - shift).outReal!;
  const slow = talibRun('EMA', { inReal: close, optInTimePeriod: p.slow }, close.length).outReal!;
  const out = new Float64Array(close.length).fill(NaN);
  for (let i = p.slow - 1; i < close.length; i++) out[i] = fast[i - shift]! - slow[i]!;
  return out;
}

describe('indicator.macd', () => {
  const sets: P[] = [
    { fast: 12, slow: 26, signal: 9 },
    { fast: 5, slow: 35, signal: 5 },
    { fast: 3, slow: 10, signal: 16 },
  ];
  for (const [name, close] of Object.entries(data)) {
    for (const p of sets) {
      const label = `MACD(${p.fast},${p.slow},${p.signal})`;
      it(`matches TA-Lib ${label} macd, signal and histogram on ${name}`, () => {
        const ours = run(close, p);
        const ref = talibRun('MACD', { inReal: close, optInFastPeriod: p.fast, optInSlowPeriod: p.slow, optInSignalPeriod: p.signal }, close.length);
        const from = warmups(p).signal;
        expectSeriesClose('macd', ours.macd!, ref.outMACD!, { from });
        expectSeriesClose('signal', ours.signal!, ref.outMACDSignal!, { from });
        expectSeriesClose('histogram', ours.histogram!, ref.outMACDHist!, { from });
      });
      it(`matches TA-Lib EMA(fast) − EMA(slow) with TA_MACD's fast seed from bar slow−1, ${label} on ${name}`, () => {
        expectSeriesClose('macd', run(close, p).macd!, macdFromEmas(close, p), { from: p.slow - 1 });
      });
    }
  }

  it('seeds the fast EMA with the SMA of the `fast` values ending at bar slow−1', () => {
    const out = run([1, 2, 3, 4, 5, 6], { fast: 2, slow: 4, signal: 2 });
    // fast seed (3 + 4)/2, slow seed (1 + 2 + 3 + 4)/4
    expect(out.macd![3]).toBe(3.5 - 2.5);
    expect(out.signal![3]).toBeNaN();
    // fast 3.5 + (5 − 3.5)·2/3 = 4.5, slow 2.5 + (5 − 2.5)·2/5 = 3.5; signal seed (1 + 1)/2
    expect(out.macd![4]).toBeCloseTo(1, 14);
    expect(out.signal![4]).toBeCloseTo(1, 14);
    expect(out.histogram![4]).toBeCloseTo(0, 14);
  });

  it('rejects fast >= slow with a message naming both', () => {
    for (const given of [{ fast: 26, slow: 26 }, { fast: 30 }]) {
      const parsed = macd.params.safeParse(given);
      expect(parsed.success).toBe(false);
      const issue = parsed.error!.issues[0]!;
      expect(issue.path).toEqual(['fast']);
      expect(issue.message).toBe(`fast (${given.fast}) must be shorter than slow (${given.slow ?? 26})`);
    }
  });

  it('with signal = 1 gives signal = macd and histogram 0 (TA-Lib shifts its signal line there)', () => {
    const close = data['ETH 5m'].slice(0, 300);
    const ours = run(close, { fast: 12, slow: 26, signal: 1 });
    for (let i = 25; i < 300; i++) {
      expect(ours.signal![i]).toBe(ours.macd![i]);
      expect(ours.histogram![i]).toBe(0);
    }
  });

  it('skips NaN inputs (an upstream still warming up) without consuming them', () => {
    const close = data['ETH 5m'].slice(0, 200);
    const ours = run([NaN, NaN, ...close.slice(0, 60), NaN, ...close.slice(60)], {});
    const plain = run(close, {});
    for (const port of ['macd', 'signal', 'histogram']) {
      expect(ours[port]![62]).toBeNaN();
      expect(Array.from(ours[port]!.subarray(2, 62))).toEqual(Array.from(plain[port]!.subarray(0, 60)));
      expect(Array.from(ours[port]!.subarray(63))).toEqual(Array.from(plain[port]!.subarray(60)));
    }
  });

  for (const p of sets) {
    it(`forgets its seeds within settle: MACD(${p.fast},${p.slow},${p.signal}) from bar 0 and from bar 5000 agree after 5000 + settle`, () => {
      for (const close of [data['BTC 5m'], data['BTC 4h']]) {
        const settle = macd.settle!(p);
        const full = run(close, p);
        const late = run(close.slice(5000), p);
        for (const port of ['macd', 'signal', 'histogram']) {
          expectSeriesClose(port, late[port]!, full[port]!.subarray(5000), { from: settle });
        }
      }
    });
  }
});

describeNodeContract(macd, paramsOf(macd, {}), { source: data['ETH 5m'].slice(0, 300) });

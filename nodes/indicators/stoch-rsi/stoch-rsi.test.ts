import { describe, expect, it } from 'vitest';
import { describeNodeContract } from '../../_kit/contract.ts';
import { expectSeriesClose } from '../../_kit/compare.ts';
import { columnsOf, loadEmbedded } from '../../_kit/reference-data.ts';
import { paramsOf, runNode } from '../../_kit/run-node.ts';
import { TA_MA, talibRun } from '../../_kit/talib.ts';
import { stochRsi } from './stoch-rsi.node.ts';

const data = {
  'ETH 5m': columnsOf(loadEmbedded('eth-5m')).close,
  'BTC 5m': columnsOf(loadEmbedded('btc-5m')).close,
  'BTC 4h': columnsOf(loadEmbedded('btc-4h')).close,
};

interface P {
  rsiPeriod: number;
  stochPeriod: number;
  kPeriod: number;
  dPeriod: number;
}

const run = (source: ArrayLike<number>, p: Partial<P>) => runNode(stochRsi, paramsOf(stochRsi, p), { source });

/**
 * TA-Lib STOCH over TA-Lib's RSI series (high = low = close = RSI). k comes from a run with
 * slowD = 1, so it is available from k's own warm-up. Indices whose k or d depends on a flat RSI
 * window (raw 50 here, 0 in TA-Lib) are NaN in both columns, so they are skipped.
 */
function reference(close: number[], p: P, ours: Record<string, Float64Array>) {
  const n = close.length;
  const rsi = talibRun('RSI', { inReal: close, optInTimePeriod: p.rsiPeriod }, n).outReal!;
  const r = Array.from(rsi.subarray(p.rsiPeriod));
  const stoch = (slowD: number) =>
    talibRun('STOCH', { high: r, low: r, close: r, optInFastK_Period: p.stochPeriod, optInSlowK_Period: p.kPeriod, optInSlowK_MAType: TA_MA.SMA, optInSlowD_Period: slowD, optInSlowD_MAType: TA_MA.SMA }, r.length);
  const k = new Float64Array(n).fill(NaN);
  const d = new Float64Array(n).fill(NaN);
  k.set(stoch(1).outSlowK!, p.rsiPeriod);
  d.set(stoch(p.dPeriod).outSlowD!, p.rsiPeriod);
  let flat = 0;
  for (let i = p.rsiPeriod + p.stochPeriod - 1; i < n; i++) {
    let max = -Infinity;
    let min = Infinity;
    for (let j = i - p.stochPeriod + 1; j <= i; j++) {
      max = Math.max(max, rsi[j]!);
      min = Math.min(min, rsi[j]!);
    }
    if (max !== min) continue;
    flat++;
    for (let j = i; j < Math.min(n, i + p.kPeriod + p.dPeriod - 1); j++) {
      if (j < i + p.kPeriod) k[j] = ours.k![j] = NaN;
      d[j] = ours.d![j] = NaN;
    }
  }
  return { k, d, flat };
}

const warmups = (p: P) => stochRsi.warmup(p) as { k: number; d: number };

describe('indicator.stoch-rsi', () => {
  const sets: P[] = [
    { rsiPeriod: 14, stochPeriod: 14, kPeriod: 3, dPeriod: 3 },
    { rsiPeriod: 7, stochPeriod: 21, kPeriod: 5, dPeriod: 4 },
  ];
  for (const [name, close] of Object.entries(data)) {
    for (const p of sets) {
      it(`matches TA-Lib STOCH of TA-Lib RSI, StochRSI(${Object.values(p).join(',')}), on ${name}`, () => {
        const ours = run(close, p);
        const ref = reference(close, p, ours);
        expectSeriesClose('k', ours.k!, ref.k, { from: warmups(p).k });
        expectSeriesClose('d', ours.d!, ref.d, { from: warmups(p).d });
      });
    }
    it(`matches TA-Lib STOCHRSI (fastK, fastD) with kPeriod = 1 on ${name}`, () => {
      const p = { rsiPeriod: 14, stochPeriod: 14, kPeriod: 1, dPeriod: 3 };
      const ours = run(close, p);
      const ref = talibRun('STOCHRSI', { inReal: close, optInTimePeriod: 14, optInFastK_Period: 14, optInFastD_Period: 3, optInFastD_MAType: TA_MA.SMA }, close.length);
      expectSeriesClose('k', ours.k!, ref.outFastK!, { from: warmups(p).d });
      expectSeriesClose('d', ours.d!, ref.outFastD!, { from: warmups(p).d });
    });
  }

  it('matches TA-Lib away from flat RSI windows, which short periods hit on real data', () => {
    const p = { rsiPeriod: 2, stochPeriod: 3, kPeriod: 2, dPeriod: 2 };
    const close = data['ETH 5m'];
    const ours = run(close, p);
    const ref = reference(close, p, ours);
    expect(ref.flat).toBeGreaterThan(0);
    expectSeriesClose('k', ours.k!, ref.k, { from: warmups(p).k });
    expectSeriesClose('d', ours.d!, ref.d, { from: warmups(p).d });
  });

  it('reads a flat RSI window as 50 (neutral), where TA-Lib reads 0', () => {
    const flat = new Array(60).fill(100);
    const p = { rsiPeriod: 14, stochPeriod: 14, kPeriod: 3, dPeriod: 3 };
    const ours = run(flat, p);
    const talib = talibRun('STOCHRSI', { inReal: flat, optInTimePeriod: 14, optInFastK_Period: 14, optInFastD_Period: 3, optInFastD_MAType: TA_MA.SMA }, 60);
    for (let i = warmups(p).d; i < 60; i++) {
      expect(ours.k![i]).toBe(50);
      expect(ours.d![i]).toBe(50);
      expect(talib.outFastK![i]).toBe(0);
    }
  });

  it('stays within 0..100 on real data (no running-sum drift past the bounds)', () => {
    for (const close of Object.values(data)) {
      const ours = run(close, {});
      const outside = [...ours.k!, ...ours.d!].filter((v) => v < 0 || v > 100);
      expect(outside).toEqual([]);
    }
  });

  it('skips NaN inputs (an upstream still warming up) without consuming them', () => {
    const close = data['ETH 5m'].slice(0, 200);
    const ours = run([NaN, NaN, ...close.slice(0, 80), NaN, ...close.slice(80)], {});
    const plain = run(close, {});
    expect(ours.k![82]).toBeNaN();
    expect(ours.d![82]).toBeNaN();
    for (const port of ['k', 'd']) {
      expect(Array.from(ours[port]!.subarray(2, 82))).toEqual(Array.from(plain[port]!.subarray(0, 80)));
      expect(Array.from(ours[port]!.subarray(83))).toEqual(Array.from(plain[port]!.subarray(80)));
    }
  });

  it('forgets the RSI seed within settle: runs from bar 0 and from bar 5000 agree after 5000 + settle', () => {
    for (const close of [data['BTC 5m'], data['BTC 4h']]) {
      const settle = stochRsi.settle!(stochRsi.params.parse({}));
      const full = run(close, {});
      const late = run(close.slice(5000), {});
      expectSeriesClose('k', late.k!, full.k!.subarray(5000), { from: settle });
      expectSeriesClose('d', late.d!, full.d!.subarray(5000), { from: settle });
    }
  });
});

describeNodeContract(stochRsi, paramsOf(stochRsi, {}), { source: data['ETH 5m'].slice(0, 300) });
describeNodeContract(stochRsi, paramsOf(stochRsi, { rsiPeriod: 2, stochPeriod: 3, kPeriod: 1, dPeriod: 2 }), { source: data['ETH 5m'].slice(0, 300) });

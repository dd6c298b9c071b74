import { describe, expect, it } from 'vitest';
import { describeNodeContract } from '../../_kit/contract.ts';
import { expectSeriesClose } from '../../_kit/compare.ts';
import { columnsOf, loadEmbedded } from '../../_kit/reference-data.ts';
import { paramsOf, runNode } from '../../_kit/run-node.ts';
import { TA_MA, talibRun } from '../../_kit/talib.ts';
import { kdj } from './kdj.node.ts';

const pick = (name: 'eth-5m' | 'btc-5m' | 'btc-4h') => {
  const c = columnsOf(loadEmbedded(name));
  return { high: c.high, low: c.low, close: c.close };
};
type Bars = ReturnType<typeof pick>;
const data = { 'ETH 5m': pick('eth-5m'), 'BTC 5m': pick('btc-5m'), 'BTC 4h': pick('btc-4h') };

interface P {
  period: number;
  kSmoothing: number;
  dSmoothing: number;
}

const run = (bars: Bars, p: Partial<P>) => runNode(kdj, paramsOf(kdj, p), bars);
const slice = (bars: Bars, from: number, to?: number): Bars => ({
  high: bars.high.slice(from, to),
  low: bars.low.slice(from, to),
  close: bars.close.slice(from, to),
});

/**
 * TA-Lib STOCH with EMA smoothings of period 2n−1 (k = 1/n). It seeds its EMAs with SMAs where
 * we start from 50, so the two meet once the seeds have decayed (our settle). A flat window
 * (RSV 50 here, 0 in TA-Lib) opens a gap that decays the same way: those stretches are NaN in
 * both columns, so they are skipped.
 */
function reference(bars: Bars, p: P, ours: Record<string, Float64Array>) {
  const n = bars.close.length;
  const st = talibRun(
    'STOCH',
    { ...bars, optInFastK_Period: p.period, optInSlowK_Period: 2 * p.kSmoothing - 1, optInSlowK_MAType: TA_MA.EMA, optInSlowD_Period: 2 * p.dSmoothing - 1, optInSlowD_MAType: TA_MA.EMA },
    n,
  );
  const ref = { k: st.outSlowK!, d: st.outSlowD!, j: st.outSlowK!.map((k, i) => 3 * k - 2 * st.outSlowD![i]!) };
  const decay = kdj.settle!(p) - (p.period - 1);
  let flat = 0;
  for (let i = p.period - 1; i < n; i++) {
    let hh = -Infinity;
    let ll = Infinity;
    for (let j = i - p.period + 1; j <= i; j++) {
      hh = Math.max(hh, bars.high[j]!);
      ll = Math.min(ll, bars.low[j]!);
    }
    if (hh !== ll) continue;
    flat++;
    for (let j = i; j < Math.min(n, i + decay); j++) for (const port of ['k', 'd', 'j'] as const) ref[port][j] = ours[port]![j] = NaN;
  }
  return { ...ref, flat };
}

describe('indicator.kdj', () => {
  const sets: P[] = [
    { period: 9, kSmoothing: 3, dSmoothing: 3 },
    { period: 14, kSmoothing: 5, dSmoothing: 2 },
    { period: 5, kSmoothing: 1, dSmoothing: 1 },
  ];
  for (const [name, bars] of Object.entries(data)) {
    for (const p of sets) {
      it(`matches TA-Lib STOCH(${p.period}, EMA ${2 * p.kSmoothing - 1}, EMA ${2 * p.dSmoothing - 1}) after settle on ${name}, flat windows aside`, () => {
        const ours = run(bars, p);
        const ref = reference(bars, p, ours);
        const from = kdj.settle!(p);
        for (const port of ['k', 'd', 'j'] as const) expectSeriesClose(port, ours[port]!, ref[port], { from });
      });
    }
  }

  it('finds flat windows in the 5m data, where the reference comparison skips a stretch', () => {
    const p = { period: 9, kSmoothing: 3, dSmoothing: 3 };
    expect(reference(data['ETH 5m'], p, run(data['ETH 5m'], p)).flat).toBeGreaterThan(0);
    expect(reference(data['BTC 4h'], p, run(data['BTC 4h'], p)).flat).toBe(0);
  });

  it('starts K and D from 50 at the first RSV (index period − 1)', () => {
    const bars = { high: [10, 12, 11], low: [8, 9, 7], close: [9, 11, 10] };
    const out = run(bars, { period: 2, kSmoothing: 3, dSmoothing: 2 });
    expect(out.k![0]).toBeNaN();
    // RSV = (11 − 8) / (12 − 8) · 100 = 75
    const k = (2 / 3) * 50 + 75 / 3;
    const d = 0.5 * 50 + 0.5 * k;
    expect(out.k![1]).toBeCloseTo(k, 12);
    expect(out.d![1]).toBeCloseTo(d, 12);
    expect(out.j![1]).toBeCloseTo(3 * k - 2 * d, 12);
  });

  it('reads a flat window (highest high = lowest low) as RSV 50, where TA-Lib reads 0', () => {
    const bars = { high: new Array(40).fill(5), low: new Array(40).fill(5), close: new Array(40).fill(5) };
    const out = run(bars, {});
    for (let i = 8; i < 40; i++) for (const port of ['k', 'd', 'j']) expect(out[port]![i]).toBe(50);
    const ta = talibRun('STOCH', { ...bars, optInFastK_Period: 9, optInSlowK_Period: 5, optInSlowK_MAType: TA_MA.EMA, optInSlowD_Period: 5, optInSlowD_MAType: TA_MA.EMA }, 40);
    expect(ta.outSlowK![39]).toBe(0);
  });

  it('skips a bar with any NaN input (an upstream still warming up) without consuming it', () => {
    const bars = slice(data['BTC 4h'], 0, 150);
    const holed = slice(bars, 0);
    holed.high.splice(50, 0, 1);
    holed.low.splice(50, 0, NaN);
    holed.close.splice(50, 0, 1);
    const ours = run(holed, {});
    const plain = run(bars, {});
    for (const port of ['k', 'd', 'j']) {
      expect(ours[port]![50]).toBeNaN();
      expect(Array.from(ours[port]!.subarray(0, 50))).toEqual(Array.from(plain[port]!.subarray(0, 50)));
      expect(Array.from(ours[port]!.subarray(51))).toEqual(Array.from(plain[port]!.subarray(50)));
    }
  });

  for (const p of sets) {
    it(`forgets its seeds within settle: KDJ(${p.period},${p.kSmoothing},${p.dSmoothing}) from bar 0 and from bar 5000 agree after 5000 + settle`, () => {
      for (const bars of [data['BTC 5m'], data['BTC 4h']]) {
        const settle = kdj.settle!(p);
        const full = run(bars, p);
        const late = run(slice(bars, 5000), p);
        for (const port of ['k', 'd', 'j']) expectSeriesClose(port, late[port]!, full[port]!.subarray(5000), { from: settle });
      }
    });
  }
});

describeNodeContract(kdj, paramsOf(kdj, {}), slice(data['ETH 5m'], 0, 300));

import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { describeNodeContract } from '../../_kit/contract.ts';
import { alignAt, expectSeriesClose } from '../../_kit/compare.ts';
import { columnsOf, loadEmbedded, type EmbeddedName } from '../../_kit/reference-data.ts';
import { paramsOf, runNode } from '../../_kit/run-node.ts';
import { talibRun } from '../../_kit/talib.ts';
import { cmf } from './cmf.node.ts';

const require = createRequire(import.meta.url);
const { CMF } = require('trading-signals') as {
  CMF: new (period: number) => { update(c: { high: number; low: number; close: number; volume: number }, replace: boolean): number | null };
};
const { IndicatorsSync } = require('@ixjb94/indicators') as {
  IndicatorsSync: new () => { cmf(h: number[], l: number[], c: number[], v: number[], period: number): number[] };
};

type Hlcv = { high: number[]; low: number[]; close: number[]; volume: number[] };
const data = (name: EmbeddedName): Hlcv => columnsOf(loadEmbedded(name));
const hlcv = (c: Hlcv) => ({ high: c.high, low: c.low, close: c.close, volume: c.volume });

/** trading-signals re-adds the whole window every bar: no drift, and 0 for a window without volume. */
function tradingSignalsCmf(c: Hlcv, period: number): Float64Array {
  const indicator = new CMF(period);
  const out = new Float64Array(c.close.length).fill(NaN);
  for (let k = 0; k < out.length; k++) {
    const r = indicator.update({ high: c.high[k]!, low: c.low[k]!, close: c.close[k]!, volume: c.volume[k]! }, false);
    if (r !== null) out[k] = r;
  }
  return out;
}

/** CMF_t = (AD_t − AD_{t−period}) / SUM(V, period)_t from TA-Lib AD and SUM; 0 where the window has no volume. */
function talibIdentityCmf(c: Hlcv, period: number): Float64Array {
  const n = c.close.length;
  const ad = talibRun('AD', hlcv(c), n).outReal!;
  const volume = talibRun('SUM', { inReal: c.volume, optInTimePeriod: period }, n).outReal!;
  const out = new Float64Array(n).fill(NaN);
  for (let k = period - 1; k < n; k++) {
    const empty = c.volume.slice(k - period + 1, k + 1).every((v) => v === 0);
    out[k] = empty ? 0 : (ad[k]! - (k >= period ? ad[k - period]! : 0)) / volume[k]!;
  }
  return out;
}

const zeroVolumeWindows = (c: Hlcv, period: number) => {
  const at: number[] = [];
  for (let k = period - 1; k < c.volume.length; k++) if (c.volume.slice(k - period + 1, k + 1).every((v) => v === 0)) at.push(k);
  return at;
};

describe('indicator.cmf', () => {
  for (const name of ['eth-5m', 'btc-5m', 'btc-4h'] as const) {
    const c = data(name);
    for (const period of [20, 10, 5]) {
      it(`matches trading-signals CMF(${period}) and the TA-Lib AD/SUM identity on ${name}`, () => {
        const ours = runNode(cmf, paramsOf(cmf, { period }), hlcv(c)).value!;
        expectSeriesClose(`cmf vs trading-signals ${name}`, ours, tradingSignalsCmf(c, period), { from: period - 1 });
        expectSeriesClose(`cmf vs TA-Lib AD/SUM ${name}`, ours, talibIdentityCmf(c, period), { from: period - 1 });
      });
    }
    it(`matches @ixjb94/indicators cmf(20) on ${name} (no zero-volume window at this period)`, () => {
      expect(zeroVolumeWindows(c, 20)).toEqual([]);
      const ours = runNode(cmf, paramsOf(cmf), hlcv(c)).value!;
      const ref = alignAt(new IndicatorsSync().cmf(c.high, c.low, c.close, c.volume, 20), 19, c.close.length);
      expectSeriesClose(`cmf vs ixjb ${name}`, ours, ref, { from: 19 });
    });
  }

  it('outputs exactly 0 on the real zero-volume windows of ETH 5m (period 10)', () => {
    const c = data('eth-5m');
    const at = zeroVolumeWindows(c, 10);
    expect(at.length).toBeGreaterThan(0);
    const ours = runNode(cmf, paramsOf(cmf, { period: 10 }), hlcv(c)).value!;
    for (const k of at) expect(ours[k]).toBe(0);
    expect(Number.isFinite(ours[at[at.length - 1]! + 1]!)).toBe(true);
  });

  it('takes MFM as 0 on a flat bar and weights the rest by volume', () => {
    // bar 0: close at the high, MFM 1; bar 1: flat; bar 2: close at the low, MFM −1
    const bars = { high: [11, 10, 12], low: [9, 10, 8], close: [11, 10, 8], volume: [3, 100, 1] };
    const out = runNode(cmf, paramsOf(cmf, { period: 3 }), bars).value!;
    expect(out[2]).toBeCloseTo((3 - 1) / 104, 15);
  });

  it('gives 0, not 0/0, for a window without volume, and recovers when volume returns', () => {
    const bars = { high: [11, 11, 11, 11, 11], low: [9, 9, 9, 9, 9], close: [11, 10.5, 10, 10.5, 9], volume: [2, 0, 0, 0, 4] };
    expect(Array.from(runNode(cmf, paramsOf(cmf, { period: 3 }), bars).value!)).toEqual([NaN, NaN, 1, 0, -1]);
  });

  it('stays within 1e-9 when a volume spike leaves the window mid-cycle (where running sums drift)', () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const n = 4000;
    const c: Hlcv = { high: [], low: [], close: [], volume: [] };
    let price = 100;
    for (let k = 0; k < n; k++) {
      price += rand() - 0.5;
      const low = price - rand();
      const high = price + rand();
      c.high.push(high);
      c.low.push(low);
      c.close.push(low + (high - low) * rand());
      c.volume.push((k % 1000 < 307 ? 1e9 : 1e-3) * (0.5 + rand()));
    }
    const period = 20;
    const ref = tradingSignalsCmf(c, period);
    const plain = new IndicatorsSync().cmf(c.high, c.low, c.close, c.volume, period);
    const plainWorst = plain.reduce((w, v, k) => Math.max(w, Math.abs(v - ref[k + period - 1]!)), 0);
    expect(plainWorst).toBeGreaterThan(1e-6);
    const ours = runNode(cmf, paramsOf(cmf, { period }), hlcv(c)).value!;
    expectSeriesClose('cmf after spikes', ours, ref, { from: period - 1 });
  });

  it('skips NaN inputs (an upstream still warming up) without consuming them', () => {
    const bars = {
      high: [NaN, 11, 10, 1, 12],
      low: [NaN, 9, 10, 1, 8],
      close: [NaN, 11, 10, 1, 8],
      volume: [1, 3, 100, NaN, 1],
    };
    const out = runNode(cmf, paramsOf(cmf, { period: 3 }), bars).value!;
    expect(out[3]).toBeNaN();
    expect(out[4]).toBeCloseTo((3 - 1) / 104, 15);
    expect(Array.from(out.subarray(0, 3))).toEqual([NaN, NaN, NaN]);
  });
});

const sample = columnsOf(loadEmbedded('eth-5m'), 300);
describeNodeContract(cmf, paramsOf(cmf, { period: 20 }), hlcv(sample));

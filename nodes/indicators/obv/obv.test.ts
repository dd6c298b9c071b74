import { describe, expect, it } from 'vitest';
import { describeNodeContract } from '../../_kit/contract.ts';
import { expectSeriesClose } from '../../_kit/compare.ts';
import { columnsOf, loadEmbedded } from '../../_kit/reference-data.ts';
import { paramsOf, runNode } from '../../_kit/run-node.ts';
import { talibRun } from '../../_kit/talib.ts';
import { obv } from './obv.node.ts';

describe('indicator.obv', () => {
  for (const name of ['eth-5m', 'btc-5m', 'btc-4h'] as const) {
    it(`matches TA-Lib OBV on ${name}`, () => {
      const c = columnsOf(loadEmbedded(name));
      const ours = runNode(obv, paramsOf(obv), { close: c.close, volume: c.volume }).value!;
      const ref = talibRun('OBV', { inReal: c.close, volume: c.volume }, c.close.length).outReal!;
      expectSeriesClose(`obv ${name}`, ours, ref, { from: 0 });
    });
  }

  it('matches TA-Lib OBV on ETH 5m fed from bar 30000 (TA-Lib started at the same bar)', () => {
    const c = columnsOf(loadEmbedded('eth-5m'));
    const close = c.close.slice(30_000);
    const volume = c.volume.slice(30_000);
    const ours = runNode(obv, paramsOf(obv), { close, volume }).value!;
    const ref = talibRun('OBV', { inReal: close, volume }, close.length).outReal!;
    expectSeriesClose('obv', ours, ref, { from: 0 });
  });

  it('takes no params', () => {
    expect(paramsOf(obv)).toEqual({});
  });

  it("starts at the first bar's volume, adds on up closes, subtracts on down closes, holds on equal ones", () => {
    const out = runNode(obv, paramsOf(obv), { close: [10, 11, 11, 9, 12, 12], volume: [5, 3, 7, 2, 0, 4] }).value!;
    expect(Array.from(out)).toEqual([5, 8, 8, 6, 6, 6]);
  });

  it('depends on where the feed started only by a constant level (historyDependent)', () => {
    expect(obv.historyDependent).toEqual(['value']);
    const c = columnsOf(loadEmbedded('btc-5m'));
    const start = 5000;
    const full = runNode(obv, paramsOf(obv), { close: c.close, volume: c.volume }).value!;
    const late = runNode(obv, paramsOf(obv), { close: c.close.slice(start), volume: c.volume.slice(start) }).value!;
    // the late feed's level differs, its changes do not
    expect(Math.abs(late[0]! - full[start]!)).toBeGreaterThan(1);
    const shifted = late.map((v) => v - late[0]! + full[start]!);
    expectSeriesClose('obv changes', shifted, full.subarray(start), { from: 0 });
  });

  it('skips NaN inputs (an upstream still warming up) without consuming them', () => {
    const out = runNode(obv, paramsOf(obv), {
      close: [NaN, 10, 11, NaN, 9, 12],
      volume: [1, 5, 3, 7, NaN, 4],
    }).value!;
    // bar 3 and 4 are skipped, so bar 5 compares 12 with 11
    expect(Array.from(out)).toEqual([NaN, 5, 8, NaN, NaN, 12]);
  });
});

const sample = columnsOf(loadEmbedded('eth-5m'), 300);
describeNodeContract(obv, paramsOf(obv), { close: sample.close, volume: sample.volume });

import { describe, expect, it } from 'vitest';
import { describeNodeContract } from '../../_kit/contract.ts';
import { expectSeriesClose } from '../../_kit/compare.ts';
import { columnsOf, loadEmbedded, type EmbeddedName } from '../../_kit/reference-data.ts';
import { paramsOf, runNode } from '../../_kit/run-node.ts';
import { talibRun } from '../../_kit/talib.ts';
import { adx } from './adx.node.ts';

const data = (name: EmbeddedName) => columnsOf(loadEmbedded(name));
const hlc = (c: { high: number[]; low: number[]; close: number[] }) => ({ high: c.high, low: c.low, close: c.close });

function talib(name: 'ADX' | 'PLUS_DI' | 'MINUS_DI', c: ReturnType<typeof data>, period: number): Float64Array {
  return talibRun(name, { high: c.high, low: c.low, close: c.close, optInTimePeriod: period }, c.close.length).outReal!;
}

describe('indicator.adx', () => {
  for (const name of ['eth-5m', 'btc-5m', 'btc-4h'] as const) {
    const c = data(name);
    for (const period of [14, 5, 30]) {
      it(`matches TA-Lib ADX, PLUS_DI and MINUS_DI (${period}) on ${name}`, () => {
        const ours = runNode(adx, paramsOf(adx, { period }), hlc(c));
        expectSeriesClose(`plusDi ${name}`, ours.plusDi!, talib('PLUS_DI', c, period), { from: period });
        expectSeriesClose(`minusDi ${name}`, ours.minusDi!, talib('MINUS_DI', c, period), { from: period });
        expectSeriesClose(`adx ${name}`, ours.adx!, talib('ADX', c, period), { from: 2 * period - 1 });
      });
    }
  }

  it('rejects period 1, as TA-Lib ADX does', () => {
    expect(() => paramsOf(adx, { period: 1 })).toThrow();
    expect(paramsOf(adx)).toEqual({ period: 14 });
  });

  it('outputs 0 DI and holds the ADX while the smoothed true range is zero (flat bars)', () => {
    const n = 12;
    const flat = Array.from({ length: n }, () => 100);
    const out = runNode(adx, paramsOf(adx, { period: 2 }), { high: flat, low: flat, close: flat });
    expect(Array.from(out.plusDi!.subarray(2))).toEqual(new Array(n - 2).fill(0));
    expect(Array.from(out.minusDi!.subarray(2))).toEqual(new Array(n - 2).fill(0));
    // no DX could be formed during the seed, so the first ADX is 0/period and then holds
    expect(Array.from(out.adx!.subarray(3))).toEqual(new Array(n - 3).fill(0));
    expect(Array.from(out.adx!)).toEqual(Array.from(talib('ADX', { high: flat, low: flat, close: flat } as ReturnType<typeof data>, 2)));
  });

  it('holds the ADX, as TA-Lib does, once a long flat run drives the smoothed true range under 1e-14', () => {
    const moves = [1, 1, 1, 1, 1, -1, -1, 1, -1];
    const close = [100];
    for (const m of moves) close.push(close[close.length - 1]! + m);
    for (let k = 0; k < 80; k++) close.push(close[close.length - 1]!);
    const high = close.map((v, k) => (k <= moves.length ? v + 0.5 : v));
    const low = close.map((v, k) => (k <= moves.length ? v - 0.5 : v));
    const out = runNode(adx, paramsOf(adx, { period: 2 }), { high, low, close });
    const c = { high, low, close } as ReturnType<typeof data>;
    expectSeriesClose('adx', out.adx!, talib('ADX', c, 2), { from: 3 });
    expectSeriesClose('plusDi', out.plusDi!, talib('PLUS_DI', c, 2), { from: 2 });
    const last = close.length - 1;
    expect(out.plusDi![last]).toBe(0);
    expect(out.minusDi![last]).toBe(0);
    expect(out.adx![last]).toBe(out.adx![last - 20]);
    expect(out.adx![last]).toBeGreaterThan(0);
  });

  it('skips NaN inputs (an upstream still warming up) without consuming them', () => {
    const c = data('btc-4h');
    const clean = runNode(adx, paramsOf(adx, { period: 5 }), {
      high: c.high.slice(0, 60),
      low: c.low.slice(0, 60),
      close: c.close.slice(0, 60),
    });
    // a NaN in any one input skips the whole bar
    const high: number[] = [];
    const low: number[] = [];
    const close: number[] = [];
    const skipped: boolean[] = [];
    for (let k = 0; k < 60; k++) {
      if (k % 9 === 0) {
        const which = (k / 9) % 3;
        high.push(which === 0 ? NaN : 1);
        low.push(which === 1 ? NaN : 1);
        close.push(which === 2 ? NaN : 1);
        skipped.push(true);
      }
      high.push(c.high[k]!);
      low.push(c.low[k]!);
      close.push(c.close[k]!);
      skipped.push(false);
    }
    const out = runNode(adx, paramsOf(adx, { period: 5 }), { high, low, close });
    for (const port of ['adx', 'plusDi', 'minusDi'] as const) {
      expect(Array.from(out[port]!).filter((_, k) => !skipped[k])).toEqual(Array.from(clean[port]!));
      expect(Array.from(out[port]!).filter((_, k) => skipped[k]).every((v) => Number.isNaN(v))).toBe(true);
    }
  });

  it('settles: a feed started 5000 bars later agrees from 5000 + settle on ETH 5m', () => {
    const c = data('eth-5m');
    for (const period of [14, 30]) {
      const params = paramsOf(adx, { period }) as { period: number };
      const start = 5000;
      const settle = adx.settle!(params);
      const full = runNode(adx, params, hlc(c));
      const late = runNode(adx, params, { high: c.high.slice(start), low: c.low.slice(start), close: c.close.slice(start) });
      for (const port of ['adx', 'plusDi', 'minusDi'] as const) {
        expectSeriesClose(`${port} settle`, late[port]!, full[port]!.subarray(start), { from: settle });
      }
    }
  });
});

const sample = data('eth-5m');
describeNodeContract(adx, paramsOf(adx, { period: 14 }), {
  high: sample.high.slice(0, 300),
  low: sample.low.slice(0, 300),
  close: sample.close.slice(0, 300),
});

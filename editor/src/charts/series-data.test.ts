import { describe, expect, it } from 'vitest';
import type { Candles } from '../api/client.ts';
import { alignEquity, candleIntervalMs, defaultTimeframe, emptyCandles, MAX_UPDATES, mergeCandles, observedInterval, requestTimeframe, samePoint, timeframeMs, updatePlan, windowAround } from './series-data.ts';

const M5 = 5 * 60_000;
const M30 = 30 * 60_000;
const T0 = Date.UTC(2021, 0, 4);

function candles(times: number[], close = (k: number) => 100 + k): Candles {
  return { time: times, open: times.map((_, k) => close(k)), high: times.map((_, k) => close(k) + 1), low: times.map((_, k) => close(k) - 1), close: times.map((_, k) => close(k)), volume: times.map(() => 1) };
}

describe('timeframes', () => {
  it('parses the choices and never goes below the data', () => {
    expect(timeframeMs('30m')).toBe(M30);
    expect(timeframeMs('4h')).toBe(4 * 3_600_000);
    expect(timeframeMs('1d')).toBe(86_400_000);
    expect(timeframeMs('base')).toBeNull();
    expect(timeframeMs('0m')).toBeNull();
    expect(candleIntervalMs('30m', M5)).toBe(M30);
    expect(candleIntervalMs('30m', 4 * 3_600_000)).toBe(4 * 3_600_000);
    expect(candleIntervalMs('base', M5)).toBe(M5);
    expect(requestTimeframe('base', '5m')).toBe('5m');
    expect(requestTimeframe('base', null)).toBe('1m');
    expect(requestTimeframe('1h', '5m')).toBe('1h');
  });

  it('opens short runs on base bars and the rest on 30m', () => {
    expect(defaultTimeframe(500)).toBe('base');
    expect(defaultTimeframe(65_742)).toBe('30m');
    expect(defaultTimeframe(null)).toBe('30m');
  });

  it('reads the interval off the candles, gaps left aside', () => {
    expect(observedInterval([T0, T0 + M5, T0 + 4 * M5, T0 + 5 * M5])).toBe(M5);
    expect(observedInterval([T0])).toBeNull();
  });

  it('centres a window on a time', () => {
    expect(windowAround(T0, M30, 10)).toEqual({ from: T0 - 5 * M30, to: T0 + 5 * M30 - 1 });
  });
});

describe('mergeCandles', () => {
  it('replaces the forming candle and appends the new ones', () => {
    const old = candles([T0, T0 + M30, T0 + 2 * M30]);
    const tail = candles([T0 + 2 * M30, T0 + 3 * M30], (k) => 500 + k);
    const merged = mergeCandles(old, tail);
    expect(merged.time).toEqual([T0, T0 + M30, T0 + 2 * M30, T0 + 3 * M30]);
    expect(merged.close).toEqual([100, 101, 500, 501]);
    expect(mergeCandles(old, emptyCandles())).toBe(old);
    expect(mergeCandles(emptyCandles(), tail).time).toEqual(tail.time);
  });
});

describe('updatePlan', () => {
  const same = (a: number, b: number) => a === b;
  it('updates in place when only the last point changed or points were appended', () => {
    expect(updatePlan([1, 2, 3], [1, 2, 3], same)).toEqual({ mode: 'none' });
    expect(updatePlan([1, 2, 3], [1, 2, 4], same)).toEqual({ mode: 'update', from: 2 });
    expect(updatePlan([1, 2, 3], [1, 2, 3, 4, 5], same)).toEqual({ mode: 'update', from: 3 });
    expect(updatePlan([1, 2, 3], [1, 2, 9, 4], same)).toEqual({ mode: 'update', from: 2 });
  });
  it('resets when older points changed, points were removed, or there was nothing', () => {
    expect(updatePlan([1, 2, 3], [1, 9, 3], same)).toEqual({ mode: 'set' });
    expect(updatePlan([1, 2, 3], [1, 2], same)).toEqual({ mode: 'set' });
    expect(updatePlan([], [1], same)).toEqual({ mode: 'set' });
  });
  it('sets a long run of appended points at once instead of updating them one by one', () => {
    const old = Array.from({ length: 100 }, (_, k) => k);
    expect(updatePlan(old, Array.from({ length: 100 + MAX_UPDATES }, (_, k) => k), same)).toEqual({ mode: 'update', from: 100 });
    expect(updatePlan(old, Array.from({ length: 101 + MAX_UPDATES }, (_, k) => k), same)).toEqual({ mode: 'set' });
    expect(updatePlan(old, Array.from({ length: 110 }, (_, k) => k), same, 5)).toEqual({ mode: 'set' });
  });
  it('compares line points with whitespace', () => {
    expect(samePoint({ time: 1, value: 2 }, { time: 1, value: 2 })).toBe(true);
    expect(samePoint({ time: 1 }, { time: 1 })).toBe(true);
    expect(samePoint({ time: 1 }, { time: 1, value: 2 })).toBe(false);
    expect(samePoint({ time: 1, value: 2 }, { time: 1 })).toBe(false);
    expect(samePoint({ time: 1, value: 2, color: 'red' }, { time: 1, value: 2 })).toBe(false);
  });
});

describe('alignEquity', () => {
  it('puts the last equity and the deepest drawdown of each candle on the candle, carries thinned gaps, whitespace outside', () => {
    const times = [T0, T0 + M30, T0 + 2 * M30, T0 + 3 * M30, T0 + 4 * M30];
    const curve = {
      time: [T0 + M30, T0 + M30 + M5, T0 + M30 + 2 * M5, T0 + 3 * M30 + M5],
      equity: [100, 98, 99, 103],
      drawdownPct: [0, 2, 1, 0],
    };
    const { equity, drawdown } = alignEquity(times, M30, curve);
    expect(equity).toEqual([{ time: T0 }, { time: T0 + M30, value: 99 }, { time: T0 + 2 * M30, value: 99 }, { time: T0 + 3 * M30, value: 103 }, { time: T0 + 4 * M30 }]);
    expect(drawdown).toEqual([{ time: T0 }, { time: T0 + M30, value: -2 }, { time: T0 + 2 * M30, value: -1 }, { time: T0 + 3 * M30, value: -0 }, { time: T0 + 4 * M30 }]);
    expect(equity.map((p) => p.time)).toEqual(times);
  });

  it('gives points in a data gap to the candle before it, and is all whitespace without a curve', () => {
    const times = [T0, T0 + 3 * M30];
    const { equity } = alignEquity(times, M30, { time: [T0 + M5, T0 + M30 + M5], equity: [1, 2], drawdownPct: [0, 0] });
    expect(equity).toEqual([{ time: T0, value: 2 }, { time: T0 + 3 * M30 }]);
    expect(alignEquity(times, M30, { time: [], equity: [], drawdownPct: [] }).equity).toEqual([{ time: T0 }, { time: T0 + 3 * M30 }]);
  });
});

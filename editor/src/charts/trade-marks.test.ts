import { describe, expect, it } from 'vitest';
import type { TradeInfo } from '../api/client.ts';
import { candleIndexAt, EXIT_COLOURS, exitClass, GAP_COLOUR, isGapExit, stopPathLanes, tradeAt, tradeEvents, tradeMarkers, type LinePoint } from './trade-marks.ts';

const M5 = 5 * 60_000;
const M30 = 30 * 60_000;
const T0 = Date.UTC(2021, 0, 4);

function trade(over: Partial<TradeInfo> & Pick<TradeInfo, 'id' | 'entryTime' | 'exitTime'>): TradeInfo {
  return {
    side: 'long',
    entryPrice: '100',
    exitPrice: '101',
    lots: '10',
    netPnl: '1.00000000',
    grossPnl: '1.20000000',
    fees: '0.20000000',
    funding: '0.00000000',
    slippage: '0.01000000',
    roiPct: 1,
    entryReason: 'enygma',
    entryDetail: { score: 86.4, confidence: 0.93 },
    exitReason: 'trail',
    exits: [],
    stopPath: [],
    ...over,
  };
}

/** 30m candles from T0, `n` of them, leaving out the indices in `missing` (a data gap). */
function candles30(n: number, missing: number[] = []): number[] {
  const out: number[] = [];
  for (let k = 0; k < n; k++) if (!missing.includes(k)) out.push(T0 + k * M30);
  return out;
}

describe('exitClass', () => {
  it('groups the venue reasons', () => {
    expect(exitClass('stop')).toBe('stop');
    expect(exitClass('hard limit')).toBe('stop');
    expect(exitClass('break-even')).toBe('break-even');
    expect(exitClass('lock 2.5 ROI')).toBe('lock');
    expect(exitClass('trail')).toBe('trail');
    expect(exitClass('partial 1 at 4 ROI')).toBe('partial');
    expect(exitClass('take-profit')).toBe('take-profit');
    expect(exitClass('liquidation')).toBe('liquidation');
    expect(exitClass('trail (gap)')).toBe('trail');
    expect(exitClass('stop (gap)')).toBe('stop');
    expect(exitClass('exit signal')).toBe('close');
    expect(isGapExit('lock 1.5 ROI (gap)')).toBe(true);
    expect(isGapExit('lock 1.5 ROI')).toBe(false);
  });

  it('gives every class its own colour', () => {
    expect(new Set(Object.values(EXIT_COLOURS)).size).toBe(Object.keys(EXIT_COLOURS).length);
  });
});

describe('candleIndexAt', () => {
  const times = candles30(10, [4, 5]);
  it('finds the candle holding a time, a gap going to the candle before it', () => {
    expect(candleIndexAt(times, M30, T0)).toBe(0);
    expect(candleIndexAt(times, M30, T0 + M30 - 1)).toBe(0);
    expect(candleIndexAt(times, M30, T0 + 3 * M30 + 5)).toBe(3);
    expect(candleIndexAt(times, M30, T0 + 5 * M30)).toBe(3); // inside the gap
    expect(candleIndexAt(times, M30, T0 + 6 * M30)).toBe(4);
  });
  it('is −1 before the first candle and after the last one', () => {
    expect(candleIndexAt(times, M30, T0 - 1)).toBe(-1);
    expect(candleIndexAt(times, M30, T0 + 10 * M30)).toBe(-1);
    expect(candleIndexAt(times, M30, T0 + 10 * M30 - 1)).toBe(7);
    expect(candleIndexAt([], M30, T0)).toBe(-1);
    expect(candleIndexAt(times, M30, Number.NaN)).toBe(-1);
  });
});

describe('tradeEvents and tradeMarkers', () => {
  const times = candles30(20);
  const long = trade({
    id: 1,
    entryTime: T0 + M30 + 2 * M5,
    exitTime: T0 + 4 * M30 + M5,
    exits: [
      { time: T0 + 3 * M30, price: '104', lots: '2', reason: 'partial 1 at 4 ROI' },
      { time: T0 + 4 * M30 + M5, price: '102', lots: '8', reason: 'lock 2.5 ROI' },
    ],
  });
  const short = trade({ id: 2, side: 'short', entryTime: T0 + 6 * M30, exitTime: T0 + 7 * M30, entryDetail: null, exitReason: 'stop' });

  it('places entries and each exit on their candles, with reason, score and the final flag', () => {
    const events = tradeEvents([long, short], times, M30);
    expect([...events.keys()].sort((a, b) => a - b)).toEqual([1, 3, 4, 6, 7]);
    const entry = events.get(1)![0]!;
    expect(entry).toMatchObject({ kind: 'entry', side: 'long', reason: 'enygma', score: 86.4, confidence: 0.93, price: 100 });
    expect(events.get(3)![0]).toMatchObject({ kind: 'exit', cls: 'partial', final: false, price: 104 });
    expect(events.get(4)![0]).toMatchObject({ kind: 'exit', cls: 'lock', final: true });
    // a trade without recorded exits still shows its closing exit
    expect(events.get(7)![0]).toMatchObject({ kind: 'exit', cls: 'stop', final: true, price: 101 });
  });

  it('draws ▲ for longs below the fill, ▼ for shorts above it, exits at their price, sorted by time', () => {
    const markers = tradeMarkers([short, long], times, M30);
    expect(markers.map((m) => m.time)).toEqual([...markers.map((m) => m.time)].sort((a, b) => a - b));
    const up = markers.find((m) => m.id === 'entry-1')!;
    expect(up).toMatchObject({ time: times[1], shape: 'arrowUp', position: 'atPriceTop', price: 100 });
    const down = markers.find((m) => m.id === 'entry-2')!;
    expect(down).toMatchObject({ time: times[6], shape: 'arrowDown', position: 'atPriceBottom' });
    const exits = markers.filter((m) => m.id.startsWith('exit-1'));
    expect(exits.map((m) => [m.shape, m.color])).toEqual([
      ['circle', EXIT_COLOURS.partial],
      ['square', EXIT_COLOURS.lock],
    ]);
  });

  it('leaves out what falls outside the loaded candles', () => {
    const late = trade({ id: 3, entryTime: T0 + 30 * M30, exitTime: T0 + 31 * M30 });
    expect(tradeMarkers([late], times, M30)).toEqual([]);
  });
});

describe('stopPathLanes', () => {
  const times = candles30(20);
  const G = GAP_COLOUR;
  const values = (lane: LinePoint[]) => lane.map((p) => ('value' in p ? [(p.time - T0) / M30, p.value, p.color ?? ''] : [(p.time - T0) / M30, null, '']));

  it('steps at the candles where the stop in force at the close changes and ends, invisibly, at the exit candle', () => {
    const t = trade({
      id: 1,
      entryTime: T0 + M30 + M5,
      exitTime: T0 + 5 * M30 + 2 * M5,
      stopPath: [
        { time: T0 + M30 + M5, price: 99, reason: 'stop' },
        { time: T0 + 2 * M30 + M5, price: 99.5, reason: 'break-even' },
        { time: T0 + 2 * M30 + 4 * M5, price: 100.2, reason: 'lock 1 ROI' }, // same candle: the last one counts
        { time: T0 + 4 * M30, price: 101, reason: 'trail' },
      ],
    });
    const lanes = stopPathLanes([t], times, M30);
    expect(lanes).toHaveLength(1);
    expect(values(lanes[0]!)).toEqual([
      [1, 99, ''],
      [2, 100.2, ''],
      [4, 101, ''],
      [5, 101, G],
    ]);
  });

  it('joins trades on one lane invisibly at the next level, and puts touching or adjacent trades on other lanes', () => {
    const a = trade({ id: 1, entryTime: T0, exitTime: T0 + 2 * M30, stopPath: [{ time: T0, price: 1, reason: 'stop' }] });
    const b = trade({ id: 2, entryTime: T0 + 2 * M30 + M5, exitTime: T0 + 3 * M30, stopPath: [{ time: T0 + 2 * M30 + M5, price: 2, reason: 'stop' }] });
    const c = trade({ id: 3, entryTime: T0 + 4 * M30, exitTime: T0 + 5 * M30, stopPath: [{ time: T0 + 4 * M30, price: 3, reason: 'stop' }] });
    const d = trade({ id: 4, entryTime: T0 + 6 * M30, exitTime: T0 + 7 * M30, stopPath: [{ time: T0 + 6 * M30, price: 4, reason: 'stop' }] });
    const lanes = stopPathLanes([a, b, c, d], times, M30);
    expect(lanes).toHaveLength(2);
    for (const lane of lanes) {
      const ts = lane.map((p) => p.time);
      expect(new Set(ts).size).toBe(ts.length);
      expect(ts).toEqual([...ts].sort((x, y) => x - y));
    }
    expect(values(lanes[0]!)).toEqual([
      [0, 1, ''],
      [2, 1, G],
      [3, 3, G],
      [4, 3, ''],
      [5, 3, G],
    ]);
    expect(values(lanes[1]!)).toEqual([
      [2, 2, ''],
      [3, 2, G],
      [4, 4, G],
      [6, 4, ''],
      [7, 4, G],
    ]);
  });

  it('clips to the loaded candles and skips trades without a stop path or inside one candle', () => {
    const early = trade({ id: 1, entryTime: T0 - 3 * M30, exitTime: T0 + M30, stopPath: [{ time: T0 - 3 * M30, price: 5, reason: 'stop' }, { time: T0 - M30, price: 6, reason: 'trail' }] });
    const none = trade({ id: 2, entryTime: T0 + 3 * M30, exitTime: T0 + 4 * M30 });
    const brief = trade({ id: 3, entryTime: T0 + 10 * M30, exitTime: T0 + 10 * M30 + 2 * M5, stopPath: [{ time: T0 + 10 * M30, price: 8, reason: 'stop' }] });
    const open = trade({ id: 4, entryTime: T0 + 18 * M30, exitTime: T0 + 40 * M30, stopPath: [{ time: T0 + 18 * M30, price: 7, reason: 'stop' }] });
    const lanes = stopPathLanes([early, none, brief, open], times, M30);
    expect(lanes.flat().filter((p) => 'value' in p && p.color === undefined)).toEqual([
      { time: times[0], value: 6 },
      { time: times[18], value: 7 },
    ]);
    expect(stopPathLanes([early], [], M30)).toEqual([]);
  });
});

describe('tradeAt', () => {
  it('finds the trade held at a time', () => {
    const a = trade({ id: 1, entryTime: 10, exitTime: 20 });
    const b = trade({ id: 2, entryTime: 30, exitTime: 40 });
    expect(tradeAt([a, b], 15)?.id).toBe(1);
    expect(tradeAt([a, b], 40)?.id).toBe(2);
    expect(tradeAt([a, b], 25)).toBeNull();
  });
});

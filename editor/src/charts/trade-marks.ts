import type { TradeInfo } from '../api/client.ts';

/**
 * Trades → what the candle chart draws: entry and exit markers and each trade's stop path, placed
 * on the candles actually loaded (any timeframe). Pure: times in ms UTC, no chart library here.
 */

/** The exit reasons the charts colour (the venue's reasons, venue.md "fills.csv"), grouped. */
export type ExitClass = 'stop' | 'break-even' | 'lock' | 'trail' | 'partial' | 'take-profit' | 'liquidation' | 'close';

export const EXIT_CLASSES: readonly ExitClass[] = ['stop', 'break-even', 'lock', 'trail', 'partial', 'take-profit', 'liquidation', 'close'];

export const EXIT_COLOURS: Readonly<Record<ExitClass, string>> = {
  stop: '#ef5350',
  'break-even': '#f5b83d',
  lock: '#4fc3f7',
  trail: '#b388ff',
  partial: '#80cbc4',
  'take-profit': '#00e676',
  liquidation: '#ff00c8',
  close: '#9e9e9e',
};

export const EXIT_LABELS: Readonly<Record<ExitClass, string>> = {
  stop: 'stop / hard limit',
  'break-even': 'break-even',
  lock: 'profit lock',
  trail: 'trailing stop',
  partial: 'partial exit',
  'take-profit': 'take-profit',
  liquidation: 'liquidation',
  close: 'close / other',
};

export const ENTRY_COLOURS = { long: '#26a69a', short: '#ef5350' } as const;
export const STOP_PATH_COLOUR = '#ffa726';

/** `stop`, `hard limit`, `break-even`, `lock 2.5 ROI`, `trail`, `partial 1 at 4 ROI`, `take-profit`, `liquidation`, each maybe `… (gap)`. */
export function exitClass(reason: string): ExitClass {
  const r = reason.replace(/\s*\(gap\)\s*$/i, '').trim().toLowerCase();
  if (r === 'stop' || r.startsWith('stop ') || r.startsWith('stop-') || r === 'hard limit' || r.startsWith('hard')) return 'stop';
  if (r.startsWith('break-even') || r.startsWith('breakeven') || r.startsWith('break even')) return 'break-even';
  if (r.startsWith('lock')) return 'lock';
  if (r.startsWith('trail')) return 'trail';
  if (r.startsWith('partial')) return 'partial';
  if (r.startsWith('take-profit') || r.startsWith('take profit') || r === 'tp') return 'take-profit';
  if (r.startsWith('liquidation')) return 'liquidation';
  return 'close';
}

export function isGapExit(reason: string): boolean {
  return /\(gap\)\s*$/i.test(reason);
}

/**
 * Index of the loaded candle holding time `t`: the last candle opening at or before `t`, or −1 when
 * `t` is before the first candle or at/after the end of the last one (not loaded yet). A time in a
 * data gap belongs to the candle before the gap.
 */
export function candleIndexAt(times: readonly number[], intervalMs: number, t: number): number {
  const n = times.length;
  if (n === 0 || !(t >= times[0]!) || t >= times[n - 1]! + intervalMs) return -1;
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (times[mid]! <= t) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export interface EntryEvent {
  kind: 'entry';
  trade: TradeInfo;
  time: number;
  price: number;
  side: 'long' | 'short';
  reason: string;
  score: number | null;
  confidence: number | null;
}

export interface ExitEvent {
  kind: 'exit';
  trade: TradeInfo;
  time: number;
  price: number;
  side: 'long' | 'short';
  reason: string;
  cls: ExitClass;
  lots: string;
  /** the exit that closed the position (the others are partials) */
  final: boolean;
}

export type TradeEvent = EntryEvent | ExitEvent;

function detailNumber(detail: Record<string, unknown> | null, key: string): number | null {
  const v = detail?.[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

export function entryScore(trade: TradeInfo): number | null {
  return detailNumber(trade.entryDetail, 'score');
}

export function entryConfidence(trade: TradeInfo): number | null {
  return detailNumber(trade.entryDetail, 'confidence');
}

/** Every entry and exit, by the index of the loaded candle it falls in (those outside the loaded candles are left out). */
export function tradeEvents(trades: readonly TradeInfo[], times: readonly number[], intervalMs: number): Map<number, TradeEvent[]> {
  const out = new Map<number, TradeEvent[]>();
  const add = (k: number, e: TradeEvent) => {
    if (k < 0) return;
    const list = out.get(k);
    if (list === undefined) out.set(k, [e]);
    else list.push(e);
  };
  for (const trade of trades) {
    add(candleIndexAt(times, intervalMs, trade.entryTime), {
      kind: 'entry',
      trade,
      time: trade.entryTime,
      price: Number(trade.entryPrice),
      side: trade.side,
      reason: trade.entryReason,
      score: entryScore(trade),
      confidence: entryConfidence(trade),
    });
    const exits = trade.exits.length > 0 ? trade.exits : [{ time: trade.exitTime, price: trade.exitPrice, lots: trade.lots, reason: trade.exitReason }];
    exits.forEach((x, k) =>
      add(candleIndexAt(times, intervalMs, x.time), { kind: 'exit', trade, time: x.time, price: Number(x.price), side: trade.side, reason: x.reason, cls: exitClass(x.reason), lots: x.lots, final: k === exits.length - 1 }),
    );
  }
  return out;
}

export type MarkerPosition = 'atPriceTop' | 'atPriceBottom' | 'atPriceMiddle';

export interface MarkerSpec {
  id: string;
  /** the candle's open time, ms UTC */
  time: number;
  position: MarkerPosition;
  price: number;
  shape: 'arrowUp' | 'arrowDown' | 'circle' | 'square';
  color: string;
  text?: string;
  size?: number;
}

/**
 * Entry markers (▲ long below its fill price, ▼ short above it; reason and score are in the tooltip) and exit
 * markers (a dot at the fill price, coloured by exit reason; a square for the exit that closed the
 * trade), sorted by time as the chart requires.
 */
export function tradeMarkers(trades: readonly TradeInfo[], times: readonly number[], intervalMs: number): MarkerSpec[] {
  const markers: MarkerSpec[] = [];
  for (const [k, events] of tradeEvents(trades, times, intervalMs)) {
    const time = times[k]!;
    for (const e of events) {
      if (e.kind === 'entry') {
        const long = e.side === 'long';
        markers.push({
          id: `entry-${e.trade.id}`,
          time,
          position: long ? 'atPriceTop' : 'atPriceBottom',
          price: e.price,
          shape: long ? 'arrowUp' : 'arrowDown',
          color: ENTRY_COLOURS[e.side],
        });
      } else {
        markers.push({ id: `exit-${e.trade.id}-${e.time}-${e.reason}`, time, position: 'atPriceMiddle', price: e.price, shape: e.final ? 'square' : 'circle', color: EXIT_COLOURS[e.cls], size: e.final ? 1 : 0.8 });
      }
    }
  }
  return markers.sort((a, b) => a.time - b.time);
}

/** A point of a line series: a value (with its own colour, maybe), or whitespace. */
export type LinePoint = { time: number; value: number; color?: string } | { time: number };

/**
 * Colour of the invisible joins between two trades on one stop-path lane. lightweight-charts does
 * not break a line at whitespace: a stepped line draws the horizontal run into a point in the
 * previous point's colour and the step at a point in that point's colour, so each trade's last
 * point and one point after it (already at the next trade's level) are drawn in this colour.
 */
export const GAP_COLOUR = 'rgba(0, 0, 0, 0)';

/**
 * Each trade's stop path as a stepped line over the loaded candles: a point where the stop in force
 * at a candle's close changes, and one at the exit candle (invisible: the line ends there), then,
 * when another trade follows on the same lane, an invisible point on the candle after the exit at
 * that trade's first level. Trades whose candles touch or are adjacent go to different lanes (one
 * line series each), so every lane has increasing, unique times and room for the join. A trade
 * inside one candle draws nothing (its markers say it all).
 */
export function stopPathLanes(trades: readonly TradeInfo[], times: readonly number[], intervalMs: number): LinePoint[][] {
  const n = times.length;
  if (n === 0) return [];
  const first = times[0]!;
  const segments: { start: number; end: number; points: { time: number; value: number }[] }[] = [];
  for (const trade of trades) {
    if (trade.stopPath.length === 0) continue;
    const path = [...trade.stopPath].sort((a, b) => a.time - b.time);
    const startTime = Math.min(trade.entryTime, path[0]!.time);
    if (trade.exitTime < first) continue;
    const start = startTime < first ? 0 : candleIndexAt(times, intervalMs, startTime);
    if (start < 0) continue;
    let end = candleIndexAt(times, intervalMs, trade.exitTime);
    if (end < 0) end = n - 1; // exits after the loaded candles: draw up to the last one
    const points: { time: number; value: number }[] = [];
    let p = 0;
    let value: number | null = null;
    for (let k = start; k <= end; k++) {
      const close = times[k]! + intervalMs;
      let next: number | null = value;
      while (p < path.length && path[p]!.time < close) next = path[p++]!.price;
      if (next === null) continue;
      if (next !== value || k === end) points.push({ time: times[k]!, value: next });
      value = next;
    }
    if (points.length < 2) continue;
    segments.push({ start, end, points });
  }
  segments.sort((a, b) => a.start - b.start);
  const lanes: { lastEnd: number; segments: typeof segments }[] = [];
  for (const s of segments) {
    let lane = lanes.find((l) => l.lastEnd + 1 < s.start);
    if (lane === undefined) {
      lane = { lastEnd: -2, segments: [] };
      lanes.push(lane);
    }
    lane.segments.push(s);
    lane.lastEnd = s.end;
  }
  return lanes.map((lane) => {
    const out: LinePoint[] = [];
    lane.segments.forEach((s, k) => {
      s.points.forEach((pt, j) => out.push(j === s.points.length - 1 ? { ...pt, color: GAP_COLOUR } : pt));
      const following = lane.segments[k + 1];
      if (following !== undefined) out.push({ time: times[s.end + 1]!, value: following.points[0]!.value, color: GAP_COLOUR });
    });
    return out;
  });
}

/** The trade whose holding period [entry candle, exit candle] holds time `t`, if any. */
export function tradeAt(trades: readonly TradeInfo[], t: number): TradeInfo | null {
  for (const trade of trades) if (t >= trade.entryTime && t <= trade.exitTime) return trade;
  return null;
}

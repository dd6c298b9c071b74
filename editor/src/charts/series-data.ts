import type { Candles } from '../api/client.ts';
import type { LinePoint } from './trade-marks.ts';

/**
 * Series data for the run charts, pure: timeframes, merging a freshly fetched tail of candles into
 * what is shown, deciding whether a series can be updated in place (no flicker) or must be reset,
 * and the equity curve put on the candles' own times so both charts share one time axis.
 */

export const TIMEFRAME_CHOICES = ['base', '5m', '15m', '30m', '1h', '4h', '1d'] as const;
export type TimeframeChoice = (typeof TIMEFRAME_CHOICES)[number];
/** ENYGMA's primary (signal) timeframe */
export const DEFAULT_TIMEFRAME: TimeframeChoice = '30m';
/** runs of at most this many base bars open on base bars */
export const SHORT_RUN_BARS = 2000;
/** most candles one request asks for (the server's limit) */
export const MAX_CANDLES = 20_000;
/** candles loaded around a trade when a run has more candles than MAX_CANDLES at that timeframe */
export const WINDOW_CANDLES = 8000;

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** '30m' → 1 800 000; anything else (including 'base') → null. */
export function timeframeMs(tf: string): number | null {
  const m = /^(\d+)\s*(s|m|h|d|w)$/i.exec(tf.trim());
  if (m === null) return null;
  const n = Number(m[1]);
  return n > 0 ? n * UNIT_MS[m[2]!.toLowerCase()]! : null;
}

/** The timeframe a run opens on: its base bars for a short run, else 30m. */
export function defaultTimeframe(barsTotal: number | null): TimeframeChoice {
  return barsTotal !== null && barsTotal > 0 && barsTotal <= SHORT_RUN_BARS ? 'base' : DEFAULT_TIMEFRAME;
}

/** What to ask the server for: base bars are asked as the base timeframe ('1m' when it is not known yet: the server never goes below the data). */
export function requestTimeframe(choice: TimeframeChoice, baseTimeframe: string | null): string {
  return choice === 'base' ? (baseTimeframe ?? '1m') : choice;
}

/** The candles' real interval: the choice, but never below the data's own bars. */
export function candleIntervalMs(choice: TimeframeChoice, baseMs: number | null): number {
  const chosen = choice === 'base' ? null : timeframeMs(choice);
  if (chosen === null) return baseMs ?? 60_000;
  return Math.max(chosen, baseMs ?? 0);
}

const KEYS = ['time', 'open', 'high', 'low', 'close', 'volume'] as const;

export function emptyCandles(): Candles {
  return { time: [], open: [], high: [], low: [], close: [], volume: [] };
}

/**
 * `old` with `tail` (candles from some time on, the last of `old` possibly still forming) laid over
 * it: the old candles before the tail's first time are kept, the rest replaced.
 */
export function mergeCandles(old: Candles, tail: Candles): Candles {
  if (tail.time.length === 0) return old;
  const from = tail.time[0]!;
  let keep = old.time.length;
  while (keep > 0 && old.time[keep - 1]! >= from) keep--;
  const out = emptyCandles();
  for (const key of KEYS) out[key] = old[key].slice(0, keep).concat(tail[key]);
  return out;
}

/** Index of the first element where `a` and `b` differ (the shorter length when one is a prefix of the other). */
export function firstDifference<T>(a: readonly T[], b: readonly T[], same: (x: T, y: T) => boolean): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (!same(a[i]!, b[i]!)) return i;
  return n;
}

export type UpdatePlan = { mode: 'none' } | { mode: 'update'; from: number } | { mode: 'set' };

/**
 * Above this many points to update, one `set` is cheaper: lightweight-charts' `update` is a small
 * redraw each, and a backtest at full speed appends thousands of candles between two refreshes
 * (updated one by one they froze the page for seconds).
 */
export const MAX_UPDATES = 64;

/**
 * How to bring a series from `old` to `next` without redrawing it from scratch: nothing, `update`
 * the points from `from` on (only the last point changed and/or a few points were appended), or `set`.
 */
export function updatePlan<T>(old: readonly T[], next: readonly T[], same: (x: T, y: T) => boolean, maxUpdates = MAX_UPDATES): UpdatePlan {
  const k = firstDifference(old, next, same);
  if (k === old.length && k === next.length) return { mode: 'none' };
  if (old.length > 0 && next.length >= old.length && k >= old.length - 1 && next.length - k <= maxUpdates) return { mode: 'update', from: k };
  return { mode: 'set' };
}

export function samePoint(a: LinePoint, b: LinePoint): boolean {
  if (a.time !== b.time) return false;
  if (!('value' in a) || !('value' in b)) return !('value' in a) && !('value' in b);
  return a.value === b.value && a.color === b.color;
}

export interface EquityCurve {
  time: number[];
  equity: number[];
  drawdownPct: number[];
}

/**
 * The equity curve on the candles' times (so both charts have exactly the same time points and can
 * share zoom, scroll and crosshair): per candle the last equity inside it and the deepest drawdown
 * inside it (as a negative %). Candles inside the curve with no point of their own (the server thins
 * long curves) carry the previous values; candles before the first point or after the last candle
 * holding a point are whitespace.
 */
export function alignEquity(candleTimes: readonly number[], intervalMs: number, curve: EquityCurve): { equity: LinePoint[]; drawdown: LinePoint[] } {
  const equity: LinePoint[] = [];
  const drawdown: LinePoint[] = [];
  const n = curve.time.length;
  let p = 0;
  let lastEquity: number | null = null;
  let lastDrawdown = 0;
  const lastPointTime = n > 0 ? curve.time[n - 1]! : -Infinity;
  for (let k = 0; k < candleTimes.length; k++) {
    const open = candleTimes[k]!;
    const end = k + 1 < candleTimes.length ? Math.max(candleTimes[k + 1]!, open + intervalMs) : open + intervalMs;
    // points in a data gap after a candle belong to it (as the candles do)
    while (p < n && curve.time[p]! < open) {
      lastEquity = curve.equity[p]!;
      lastDrawdown = curve.drawdownPct[p]!;
      p++;
    }
    let found = false;
    let worst = 0;
    while (p < n && curve.time[p]! < end) {
      if (!found || curve.drawdownPct[p]! > worst) worst = curve.drawdownPct[p]!;
      found = true;
      lastEquity = curve.equity[p]!;
      lastDrawdown = curve.drawdownPct[p]!;
      p++;
    }
    if (found) {
      equity.push({ time: open, value: lastEquity! });
      drawdown.push({ time: open, value: -worst });
    } else if (lastEquity !== null && open <= lastPointTime) {
      equity.push({ time: open, value: lastEquity });
      drawdown.push({ time: open, value: -lastDrawdown });
    } else {
      equity.push({ time: open });
      drawdown.push({ time: open });
    }
  }
  return { equity, drawdown };
}

/** A window of `count` candles of `intervalMs` centred on `center` (ms), for /candles?from&to. */
export function windowAround(center: number, intervalMs: number, count = WINDOW_CANDLES): { from: number; to: number } {
  const half = Math.floor(count / 2) * intervalMs;
  return { from: center - half, to: center + half - 1 };
}

/** The smallest step between consecutive candle times (their real interval when the base timeframe is not known yet); null under two candles. */
export function observedInterval(times: readonly number[]): number | null {
  let best = Infinity;
  for (let k = 1; k < times.length; k++) {
    const d = times[k]! - times[k - 1]!;
    if (d > 0 && d < best) best = d;
  }
  return Number.isFinite(best) ? best : null;
}

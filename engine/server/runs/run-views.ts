import { BarflowError } from '../../core/errors.ts';
import { isoTime, periodStart } from '../../core/timeframe.ts';
import { paperVenueOf } from '../../run/backtest.ts';
import { fillJson, tradeJson } from '../../run/json-reports.ts';
import { equityWindow, summarise } from '../../run/reports.ts';
import type { RunSession } from './run-session.ts';

/** Read-only views of a run for the editor: results, a thinned equity curve, candles. */
export function runResults(session: RunSession) {
  const result = session.result();
  const venue = paperVenueOf(result);
  const ready = session.lastIndex >= session.range.firstIndex;
  return {
    status: session.status(),
    summary: ready ? summarise(result, { split: undefined }) : null,
    trades: venue?.ledger.trades.map(tradeJson) ?? [],
    fills: venue?.ledger.fills.map(fillJson) ?? [],
    rejections: venue?.ledger.rejections ?? [],
  };
}

export function equityPoints(session: RunSession, maxPoints: number) {
  const venue = paperVenueOf(session.result());
  if (venue === null) return { time: [], equity: [], drawdownPct: [] };
  const window = equityWindow(session.result(), venue.ledger);
  const n = window.time.length;
  const stride = Math.max(1, Math.ceil(n / maxPoints));
  const time: number[] = [];
  const equity: number[] = [];
  const drawdownPct: number[] = [];
  let peak = -Infinity;
  for (let i = 0; i < n; i++) {
    const e = window.equityF[i]!;
    if (e > peak) peak = e;
    if (i % stride !== 0 && i !== n - 1) continue;
    time.push(window.time[i]!);
    equity.push(e);
    drawdownPct.push(peak > 0 ? ((peak - e) / peak) * 100 : 0);
  }
  return { time, equity, drawdownPct };
}

/** OHLCV of the run's data aggregated to `intervalMs` (UTC-aligned), over [from, to] of what is committed. */
export function candles(session: RunSession, intervalMs: number, from?: number, to?: number, maxBars = 5000) {
  const d = session.data;
  const last = session.lastIndex;
  const out = { time: [] as number[], open: [] as number[], high: [] as number[], low: [] as number[], close: [] as number[], volume: [] as number[] };
  let current = NaN;
  for (let i = session.range.start; i <= last; i++) {
    const t = d.time[i]!;
    if ((from !== undefined && t < from) || (to !== undefined && t > to)) continue;
    const p = periodStart(t, Math.max(intervalMs, d.intervalMs));
    if (p !== current) {
      current = p;
      out.time.push(p);
      out.open.push(d.open[i]!);
      out.high.push(d.high[i]!);
      out.low.push(d.low[i]!);
      out.close.push(d.close[i]!);
      out.volume.push(d.volume[i]!);
    } else {
      const k = out.time.length - 1;
      out.high[k] = Math.max(out.high[k]!, d.high[i]!);
      out.low[k] = Math.min(out.low[k]!, d.low[i]!);
      out.close[k] = d.close[i]!;
      out.volume[k]! += d.volume[i]!;
    }
  }
  if (out.time.length > maxBars) for (const key of Object.keys(out) as (keyof typeof out)[]) out[key] = out[key].slice(-maxBars);
  return out;
}

/**
 * The data index of the last committed base bar whose open time is ≤ `time` (ms UTC), so the editor
 * can turn a clicked candle (of any timeframe) into a bar index for /bars/:index. A time before the
 * run's first bar is refused; a time after the last committed bar gives the last committed bar.
 */
export function barIndexAt(session: RunSession, time: number): { index: number; time: number } {
  const t = session.data.time;
  const first = session.range.start;
  const last = session.lastIndex;
  if (last < first || !(time >= t[first]!)) {
    const start = last < first ? 'no bar has been committed yet' : `the run starts at ${isoTime(t[first]!)}`;
    throw new BarflowError('request.time', `no committed bar at or before ${Number.isFinite(time) ? isoTime(time) : String(time)}: ${start}`, { field: 'time' });
  }
  let lo = first;
  let hi = last;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (t[mid]! <= time) lo = mid;
    else hi = mid - 1;
  }
  return { index: lo, time: t[lo]! };
}

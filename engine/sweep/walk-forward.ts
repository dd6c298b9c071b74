import { Decimal } from 'decimal.js';
import { BarflowError } from '../core/errors.ts';
import { isoTime } from '../core/timeframe.ts';
import { fmtMoney, money } from '../venues/paper/money.ts';
import { csvLine } from '../run/csv.ts';
import type { Point } from './methods.ts';
import type { SweepMetrics } from './objective.ts';
import type { SweepParam, WalkForwardSpec } from './spec.ts';

/**
 * Walk-forward layout, in data indices (inclusive). The last `holdOut` fraction of the traded bars
 * is the hold-out, which no search sees. The bars before it are the search span, cut into
 * `windows` rolling windows: each an in-sample stretch (the search runs on it) followed by an
 * out-of-sample stretch (its best set is evaluated there); each window starts one out-of-sample
 * length after the previous one, and the last out-of-sample stretch ends right before the hold-out.
 *
 * Sizes: bars (a whole number ≥ 1) or a fraction (< 1) of the search span. Defaults: out-of-sample
 * = span / (windows + 3) and in-sample = the rest, about three out-of-sample lengths; given only
 * one of them, the other fills the span; given both, the windows end at the hold-out and any bars
 * left over at the start of the span go unused.
 */
export interface Span {
  start: number;
  end: number;
}

export interface WalkForwardWindow {
  index: number;
  inSample: Span;
  outOfSample: Span;
}

export interface WalkForwardLayout {
  search: Span;
  windows: WalkForwardWindow[];
  holdOut: Span;
}

export function walkForwardLayout(first: number, last: number, spec: WalkForwardSpec): WalkForwardLayout {
  const total = last - first + 1;
  const fail = (message: string) => new BarflowError('sweep.walk-forward', message, { field: '--walk-forward' }, spec.windows);
  const holdBars = Math.max(1, Math.round(total * spec.holdOut));
  const spanBars = total - holdBars;
  const n = spec.windows;
  const bars = (s: number | undefined) => (s === undefined ? undefined : s < 1 ? Math.max(1, Math.round(spanBars * s)) : s);
  let inSample = bars(spec.inSample);
  let outOfSample = bars(spec.outOfSample);
  if (inSample === undefined && outOfSample === undefined) {
    outOfSample = Math.floor(spanBars / (n + 3));
    inSample = spanBars - n * outOfSample;
  } else if (inSample === undefined) inSample = spanBars - n * outOfSample!;
  else if (outOfSample === undefined) outOfSample = Math.floor((spanBars - inSample) / n);
  const is = inSample!;
  const oos = outOfSample!;
  if (spanBars < 2 || oos < 1 || is < 1 || is + n * oos > spanBars) {
    throw fail(
      `${n} walk-forward window${n === 1 ? '' : 's'} (in-sample ${is} bars, out-of-sample ${oos} bars each) do not fit in the ${spanBars} bars before the hold-out ` +
        `(${holdBars} bars, ${spec.holdOut} of ${total}): use fewer windows, smaller --in-sample/--out-of-sample, or more data`,
    );
  }
  const searchStart = first;
  const searchEnd = first + spanBars - 1;
  const offset = searchStart + (spanBars - (is + n * oos));
  const windows: WalkForwardWindow[] = [];
  for (let k = 0; k < n; k++) {
    const s = offset + k * oos;
    windows.push({ index: k + 1, inSample: { start: s, end: s + is - 1 }, outOfSample: { start: s + is, end: s + is + oos - 1 } });
  }
  return { search: { start: searchStart, end: searchEnd }, windows, holdOut: { start: searchEnd + 1, end: last } };
}

export interface WindowResult {
  window: WalkForwardWindow;
  /** the best set on the in-sample stretch, its objective there and its metrics there */
  best: Point;
  isObjective: number;
  isMetrics: SweepMetrics;
  /** how many sets the search evaluated */
  sets: number;
  oosMetrics: SweepMetrics;
  oosObjective: number;
}

export interface CombinedOos {
  windows: number;
  positiveWindows: number;
  /** sum of the windows' net PnL (each window starts from the initial equity, flat) */
  netPnl: string;
  /** the windows' returns compounded */
  returnPct: number;
  /** the worst window's max drawdown */
  maxDrawdownPct: number;
  trades: number;
  wins: number;
  losses: number;
  winRatePct: number | null;
  fees: string;
  funding: string;
}

/** The out-of-sample windows taken together, as if traded one after another. */
export function combineOos(results: readonly WindowResult[]): CombinedOos {
  const ms = results.map((r) => r.oosMetrics);
  const sum = (f: (m: SweepMetrics) => string) => fmtMoney(ms.reduce((a, m) => a.plus(f(m)), money(0)));
  const growth = ms.reduce((g, m) => g * (1 + m.returnPct / 100), 1);
  const trades = ms.reduce((a, m) => a + m.trades, 0);
  const wins = ms.reduce((a, m) => a + m.wins, 0);
  return {
    windows: ms.length,
    positiveWindows: ms.filter((m) => new Decimal(m.netPnl).isPositive()).length,
    netPnl: sum((m) => m.netPnl),
    returnPct: round((growth - 1) * 100),
    maxDrawdownPct: ms.reduce((a, m) => Math.max(a, m.maxDrawdownPct), 0),
    trades,
    wins,
    losses: ms.reduce((a, m) => a + m.losses, 0),
    winRatePct: trades > 0 ? round((wins / trades) * 100) : null,
    fees: sum((m) => m.fees),
    funding: sum((m) => m.funding),
  };
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

const OOS_COLUMNS = ['netPnl', 'returnPct', 'maxDrawdownPct', 'sharpe', 'trades', 'wins', 'losses', 'winRatePct', 'profitFactor', 'fees', 'funding'] as const;

/**
 * walk-forward.csv: one row per window (its stretches, best params, in-sample objective and net
 * PnL, out-of-sample metrics and objective), then `oos-total` (combineOos) and `hold-out` (the last
 * window's best params on the hold-out).
 */
export function walkForwardCsv(params: readonly SweepParam[], time: Float64Array, results: readonly WindowResult[], combined: CombinedOos, holdOut: { span: Span; best: Point; metrics: SweepMetrics; objective: number }): string {
  const header = ['window', 'is_from', 'is_to', 'oos_from', 'oos_to', ...params.map((p) => p.name), 'is_objective', 'is_netPnl', ...OOS_COLUMNS.map((c) => `oos_${c}`), 'oos_objective'];
  const t = (i: number) => isoTime(time[i]!);
  const values = (point: Point) => params.map((p, i) => p.values[point[i]!]!.text);
  const lines = [csvLine(header)];
  for (const r of results) {
    lines.push(csvLine([r.window.index, t(r.window.inSample.start), t(r.window.inSample.end), t(r.window.outOfSample.start), t(r.window.outOfSample.end), ...values(r.best), r.isObjective, r.isMetrics.netPnl, ...OOS_COLUMNS.map((c) => r.oosMetrics[c]), r.oosObjective]));
  }
  const first = results[0]!.window.outOfSample.start;
  const last = results[results.length - 1]!.window.outOfSample.end;
  const c = combined as unknown as Record<string, unknown>;
  lines.push(csvLine(['oos-total', '', '', t(first), t(last), ...params.map(() => ''), '', '', ...OOS_COLUMNS.map((k) => c[k] ?? ''), '']));
  const lastIs = results[results.length - 1]!.window.inSample;
  lines.push(csvLine(['hold-out', t(lastIs.start), t(lastIs.end), t(holdOut.span.start), t(holdOut.span.end), ...values(holdOut.best), results[results.length - 1]!.isObjective, results[results.length - 1]!.isMetrics.netPnl, ...OOS_COLUMNS.map((k) => holdOut.metrics[k]), holdOut.objective]));
  return lines.join('\n') + '\n';
}

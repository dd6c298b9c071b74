import { Decimal } from 'decimal.js';
import type { PerformanceMetrics } from '../run/metrics.ts';
import { comparePoints, type Point } from './methods.ts';
import type { ObjectiveName } from './spec.ts';

/** The summary metrics a sweep keeps per parameter set (a results.csv row), in column order. */
export const METRIC_COLUMNS = ['netPnl', 'returnPct', 'maxDrawdownPct', 'maxDrawdown', 'sharpe', 'trades', 'wins', 'losses', 'winRatePct', 'profitFactor', 'fees', 'funding', 'slippage', 'exposurePct'] as const;
export type SweepMetrics = Pick<PerformanceMetrics, (typeof METRIC_COLUMNS)[number]>;

export function metricsOf(m: PerformanceMetrics): SweepMetrics {
  const out = {} as Record<string, unknown>;
  for (const k of METRIC_COLUMNS) out[k] = m[k];
  return out as unknown as SweepMetrics;
}

export interface Objective {
  name: ObjectiveName;
  /** drawdownBoundedReturn only: the largest max-drawdown (%) allowed */
  maxDrawdown: number;
}

/**
 * Higher is better. `netReturn`: returnPct. `sharpe`: the daily Sharpe ratio (−∞ when undefined:
 * fewer than three days, or flat equity). `profitFactor`: gross win / gross loss (+∞ with wins and
 * no losses, −∞ with no trades). `drawdownBoundedReturn`: returnPct, or −∞ when maxDrawdownPct is
 * above the bound.
 */
export function objectiveValue(objective: Objective, m: SweepMetrics): number {
  switch (objective.name) {
    case 'netReturn':
      return m.returnPct;
    case 'sharpe':
      return m.sharpe ?? -Infinity;
    case 'profitFactor':
      return m.profitFactor ?? (m.wins > 0 ? Infinity : -Infinity);
    case 'drawdownBoundedReturn':
      return m.maxDrawdownPct > objective.maxDrawdown ? -Infinity : m.returnPct;
  }
}

export interface ScoredRow {
  /** order of the set in the sweep (the grid's order, the order drawn, or the order first evaluated) */
  index: number;
  point: Point;
  metrics: SweepMetrics;
  objective: number;
}

export interface RankedRow extends ScoredRow {
  rank: number;
  /**
   * Which path gave the metrics: 'cpu' — the exact float64 path (every row of a CPU sweep, and the
   * re-checked top rows of a GPU sweep): `barflow run --set` reproduces them to the cent; 'gpu' —
   * a GPU sweep's float32 ranking, approximate. Absent means 'cpu'.
   */
  checked?: 'cpu' | 'gpu';
}

/** Best first: objective descending, then net PnL descending, then the params' canonical order. */
export function compareRows(a: Pick<ScoredRow, 'point' | 'metrics' | 'objective'>, b: Pick<ScoredRow, 'point' | 'metrics' | 'objective'>): number {
  const oa = Number.isNaN(a.objective) ? -Infinity : a.objective;
  const ob = Number.isNaN(b.objective) ? -Infinity : b.objective;
  if (oa !== ob) return oa > ob ? -1 : 1;
  const pnl = new Decimal(b.metrics.netPnl).comparedTo(new Decimal(a.metrics.netPnl));
  if (pnl !== 0) return pnl;
  return comparePoints(a.point, b.point);
}

/** Rows sorted best first with ranks 1…n (ties are already broken, so ranks are distinct). */
export function rankRows(rows: readonly ScoredRow[]): RankedRow[] {
  return [...rows].sort((a, b) => compareRows(a, b) || a.index - b.index).map((row, i) => ({ ...row, rank: i + 1 }));
}

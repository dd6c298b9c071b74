import type { SweepRow } from '../../../engine/server/protocol/rest.ts';

/** The sweep results table and heatmap: the metrics shown, their values as numbers, sorting. Pure. */

export type MetricKey = 'objective' | 'netPnl' | 'returnPct' | 'maxDrawdownPct' | 'sharpe' | 'profitFactor' | 'trades' | 'winRatePct' | 'fees';

export interface MetricDef {
  key: MetricKey;
  label: string;
  /** what "best" means for this metric, shown in the heatmap's legend */
  title: string;
  digits: number;
}

export const METRICS: readonly MetricDef[] = [
  { key: 'objective', label: 'objective', title: 'the objective the sweep ranked by', digits: 4 },
  { key: 'netPnl', label: 'net PnL', title: 'net profit and loss, USDT', digits: 2 },
  { key: 'returnPct', label: 'return %', title: 'return on the initial equity, %', digits: 3 },
  { key: 'maxDrawdownPct', label: 'max DD %', title: 'largest peak-to-trough drop of equity, %', digits: 3 },
  { key: 'sharpe', label: 'Sharpe', title: 'daily Sharpe ratio', digits: 3 },
  { key: 'profitFactor', label: 'PF', title: 'gross win ÷ gross loss', digits: 3 },
  { key: 'trades', label: 'trades', title: 'closed trades', digits: 0 },
  { key: 'winRatePct', label: 'win %', title: 'winning trades, %', digits: 1 },
  { key: 'fees', label: 'fees', title: 'fees paid, USDT', digits: 2 },
];

/** A row's metric as a number (null when undefined for it); infinite objectives are ±Infinity. */
export function metricValue(row: SweepRow, key: MetricKey): number | null {
  if (key === 'objective') return typeof row.objective === 'number' ? row.objective : Number(row.objective);
  const v = row.metrics[key];
  if (v === null || v === undefined) return null;
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isNaN(n) ? null : n;
}

/** sort by rank, a metric, or the k-th swept param (its values' order) */
export type SortKey = { kind: 'rank' } | { kind: 'metric'; key: MetricKey } | { kind: 'param'; index: number };

/**
 * Rows ordered by `key` (`desc`: largest first); rows without a value come last either way, and
 * equal values keep the ranking's order.
 */
export function sortRows(rows: readonly SweepRow[], key: SortKey, desc: boolean): SweepRow[] {
  const valueOf = (r: SweepRow): number | null => (key.kind === 'rank' ? r.rank : key.kind === 'param' ? (r.point[key.index] ?? null) : metricValue(r, key.key));
  return [...rows].sort((a, b) => {
    const va = valueOf(a);
    const vb = valueOf(b);
    if (va === null || vb === null) return va === vb ? a.rank - b.rank : va === null ? 1 : -1;
    if (va !== vb) return desc ? (vb > va ? 1 : -1) : va > vb ? 1 : -1;
    return a.rank - b.rank;
  });
}

/** The direction a first click sorts in: best first (low ranks, high metrics, low drawdown). */
export function defaultDescending(key: SortKey): boolean {
  if (key.kind === 'rank' || key.kind === 'param') return false;
  return key.key !== 'maxDrawdownPct' && key.key !== 'fees';
}

export function formatMetric(value: number | null, digits: number): string {
  if (value === null) return '—';
  if (value === Infinity) return '+∞';
  if (value === -Infinity) return '−∞';
  const text = value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return text.replace(/^-/, '−');
}

/** A fork name for a row that is not taken yet: `<pipeline>-r<rank>`, then -2, -3… */
export function forkNameFor(pipeline: string, rank: number, taken: ReadonlySet<string>): string {
  const base = `${pipeline.slice(0, 56)}-r${rank}`;
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`;
}

/** "120 / 450 sets (26.7%)" */
export function progressText(done: number, total: number): { fraction: number; text: string } {
  const fraction = total > 0 ? Math.min(1, Math.max(0, done / total)) : 0;
  return { fraction, text: `${done.toLocaleString('en-US')} / ${total.toLocaleString('en-US')} sets (${(fraction * 100).toFixed(fraction > 0 && fraction < 1 ? 1 : 0)}%)` };
}

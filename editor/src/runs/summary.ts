import type { TradeInfo } from '../api/client.ts';
import { EXIT_CLASSES, exitClass, type ExitClass } from '../charts/trade-marks.ts';

/**
 * The summary metrics the editor shows (run charts and run comparison), how each is formatted, and
 * which direction is better. Pure. Money arrives as exact decimal strings (8 places): it is shown
 * with 2 decimals, the full value kept for the title attribute.
 */

export type MetricKind = 'money' | 'pct' | 'ratio' | 'count';

export interface MetricDef {
  /** the summary field (and the data-testid suffix: metric-<key>) */
  key: string;
  label: string;
  kind: MetricKind;
  /** which way is better when two runs are compared; null: neither */
  better: 'higher' | 'lower' | null;
  /** the field compared, when not `key` (max drawdown compares its %) */
  compareKey?: string;
  /** a second field shown after the value, e.g. the drawdown's % */
  secondaryKey?: string;
  help: string;
}

export const SUMMARY_METRICS: readonly MetricDef[] = [
  { key: 'netPnl', label: 'Net PnL', kind: 'money', better: 'higher', help: 'final equity − initial equity (an open position counts at its unrealised PnL)' },
  { key: 'returnPct', label: 'Return', kind: 'pct', better: 'higher', help: 'net PnL / initial equity' },
  { key: 'maxDrawdown', label: 'Max drawdown', kind: 'money', better: 'lower', compareKey: 'maxDrawdownPct', secondaryKey: 'maxDrawdownPct', help: 'largest fall of bar-close equity below its running peak' },
  { key: 'sharpe', label: 'Sharpe', kind: 'ratio', better: 'higher', help: 'daily (UTC) returns, mean / sd × √365; none under three days' },
  { key: 'winRatePct', label: 'Win rate', kind: 'pct', better: 'higher', help: 'closed trades with net PnL > 0' },
  { key: 'profitFactor', label: 'Profit factor', kind: 'ratio', better: 'higher', help: 'winning net PnL / |losing net PnL|' },
  { key: 'trades', label: 'Trades', kind: 'count', better: null, help: 'closed trades' },
  { key: 'fees', label: 'Fees', kind: 'money', better: 'lower', help: 'all fees paid' },
  { key: 'funding', label: 'Funding', kind: 'money', better: 'lower', help: 'funding paid (negative: received)' },
  { key: 'slippage', label: 'Slippage', kind: 'money', better: 'lower', help: 'cost of slippage (already inside the fill prices)' },
  { key: 'exposurePct', label: 'Exposure', kind: 'pct', better: null, help: 'share of bars with a position at the close' },
];

export type Summary = Record<string, unknown>;

/** A summary field as a number: decimal strings parsed; null, missing or not finite → null. A profit factor without a loss but with a win is +∞. */
export function metricNumber(summary: Summary | null, key: string): number | null {
  if (summary === null) return null;
  const v = summary[key];
  if (key === 'profitFactor' && v === null && Number(summary['wins'] ?? 0) > 0 && Number(summary['losses'] ?? 0) === 0) return Infinity;
  if (typeof v === 'number') return Number.isNaN(v) ? null : v;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

const money2 = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const ratio2 = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const int0 = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** Money with 2 decimals (thousands grouped); the minus sign is a real minus. */
export function formatMoney(value: number | string | null | undefined): string {
  if (value === null || value === undefined) return '—';
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n)) return '—';
  const text = money2.format(Math.abs(n));
  return n < 0 && text !== '0.00' ? `−${text}` : text;
}

export function formatPct(value: number | null, digits = 2): string {
  if (value === null || !Number.isFinite(value)) return '—';
  const text = Math.abs(value).toFixed(digits);
  return `${value < 0 && Number(text) !== 0 ? '−' : ''}${text}%`;
}

export function formatNumber(value: number | null, kind: MetricKind): string {
  if (value === null) return '—';
  if (value === Infinity) return '∞';
  switch (kind) {
    case 'money':
      return formatMoney(value);
    case 'pct':
      return formatPct(value);
    case 'ratio': {
      const text = ratio2.format(Math.abs(value));
      return value < 0 && text !== '0.00' ? `−${text}` : text;
    }
    case 'count':
      return `${value < 0 ? '−' : ''}${int0.format(Math.abs(value))}`;
  }
}

export interface FormattedMetric {
  text: string;
  /** the full value, for the title attribute */
  title: string;
}

export function formatMetric(summary: Summary | null, def: MetricDef): FormattedMetric {
  const raw = summary?.[def.key];
  const n = metricNumber(summary, def.key);
  let text = formatNumber(n, def.kind);
  let title = raw === null || raw === undefined ? `${def.label}: —` : `${def.label}: ${String(raw)}${def.kind === 'money' ? ' USDT' : def.kind === 'pct' ? '%' : ''}`;
  if (def.secondaryKey !== undefined) {
    const second = metricNumber(summary, def.secondaryKey);
    if (second !== null) {
      text += ` (${formatPct(second)})`;
      title += ` (${String(summary?.[def.secondaryKey])}%)`;
    }
  }
  if (n === Infinity) title = `${def.label}: no losing trade`;
  return { text, title: `${title} — ${def.help}` };
}

export type Verdict = 'better' | 'worse' | 'same' | null;

export interface MetricDiff {
  def: MetricDef;
  a: FormattedMetric;
  b: FormattedMetric;
  /** b − a on the compared field (null when either side has none) */
  delta: number | null;
  deltaText: string;
  /** b compared with a */
  verdict: Verdict;
}

const EPSILON = 1e-9;

/** `b` (the fork) against `a` (the baseline), metric by metric. */
export function diffSummaries(a: Summary | null, b: Summary | null, metrics: readonly MetricDef[] = SUMMARY_METRICS): MetricDiff[] {
  return metrics.map((def) => {
    const key = def.compareKey ?? def.key;
    const va = metricNumber(a, key);
    const vb = metricNumber(b, key);
    let delta: number | null = null;
    let verdict: Verdict = null;
    let deltaText = '';
    if (va !== null && vb !== null) {
      if (va === vb) delta = 0;
      else if (Number.isFinite(va) && Number.isFinite(vb)) delta = vb - va;
      else delta = vb > va ? Infinity : -Infinity;
      const scale = Math.max(1, Math.abs(va), Math.abs(vb));
      const same = delta === 0 || (Number.isFinite(delta) && Math.abs(delta) <= EPSILON * scale);
      verdict = same ? 'same' : def.better === null ? null : (delta > 0) === (def.better === 'higher') ? 'better' : 'worse';
      const kind: MetricKind = def.compareKey === undefined ? def.kind : 'pct';
      deltaText = same ? '=' : !Number.isFinite(delta) ? (delta > 0 ? '+∞' : '−∞') : `${delta > 0 ? '+' : ''}${formatNumber(delta, kind)}`;
    }
    return { def, a: formatMetric(a, def), b: formatMetric(b, def), delta, deltaText, verdict };
  });
}

/** Closed trades by the class of the exit that closed them. */
export function exitReasonCounts(trades: readonly TradeInfo[]): Record<ExitClass, number> {
  const counts = Object.fromEntries(EXIT_CLASSES.map((c) => [c, 0])) as Record<ExitClass, number>;
  for (const t of trades) counts[exitClass(t.exitReason)]++;
  return counts;
}

/** Both runs' trade counts by exit reason, the classes neither run used left out. */
export function compareExitCounts(a: readonly TradeInfo[], b: readonly TradeInfo[]): { cls: ExitClass; a: number; b: number }[] {
  const ca = exitReasonCounts(a);
  const cb = exitReasonCounts(b);
  return EXIT_CLASSES.filter((c) => ca[c] > 0 || cb[c] > 0).map((cls) => ({ cls, a: ca[cls], b: cb[cls] }));
}

/** '2021-01-04 10:30' (UTC), the way the charts label time. */
export function formatUtc(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}

/** A price as the data gives it, without trailing noise: at most 8 decimals. */
export function formatPrice(value: number | string): string {
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n)) return String(value);
  return String(Number(n.toFixed(8)));
}

/** How values read in cards, tables and tooltips: short, stable, never "NaN" or "[object Object]". */

const DASH = '—';

const big = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const mid = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2, useGrouping: false });
const small = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 3 });

export function formatNumber(n: number): string {
  if (Number.isNaN(n)) return DASH;
  if (n === Infinity) return '∞';
  if (n === -Infinity) return '−∞';
  const a = Math.abs(n);
  if (a === 0) return '0';
  if (a >= 1e9) return `${(n / 1e9).toFixed(2)}B`;
  if (a >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (a >= 1000) return big.format(n);
  if (a >= 1) return mid.format(n);
  return small.format(n);
}

/** ms since epoch → `2020-12-06 05:00` (UTC). */
export function formatTime(ms: number): string {
  if (!Number.isFinite(ms)) return DASH;
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(1, max - 1))}…`;
}

/** Ports whose numbers are times (bar open times, ms UTC). */
export function isTimePort(port: string | undefined): boolean {
  return port === 'time' || (port !== undefined && /Time$/.test(port));
}

/** One value, short: numbers formatted, bools ✓/✗, text truncated, records summarised. */
export function formatValue(value: unknown, port?: string, max = 28): string {
  if (value === undefined || value === null) return DASH;
  if (typeof value === 'number') {
    if (isTimePort(port) && value > 1e11) return formatTime(value);
    return formatNumber(value);
  }
  if (typeof value === 'boolean') return value ? '✓' : '✗';
  if (typeof value === 'string') return value === '' ? DASH : truncate(value, max);
  if (Array.isArray(value)) return `[${value.length}]`;
  if (typeof value === 'object') return truncate(summariseRecord(value as Record<string, unknown>), max);
  return truncate(String(value), max);
}

function summariseRecord(record: Record<string, unknown>): string {
  if (typeof record.side === 'string') {
    const lots = record.lots ?? record.size;
    return lots !== undefined ? `${record.side} ${String(lots)}` : String(record.side);
  }
  if (typeof record.indicator === 'string' && typeof record.points === 'number') return `${formatNumber(record.points)} pts`;
  if (typeof record.classification === 'string') return String(record.classification);
  if (typeof record.total === 'number') return `total ${formatNumber(record.total)}`;
  if (typeof record.equity === 'number') return `equity ${formatNumber(record.equity)}`;
  if (typeof record.kind === 'string') return String(record.kind);
  if (typeof record.type === 'string') return String(record.type);
  return `{${Object.keys(record).length}}`;
}

/** A value in full for tooltips and tables (records as compact JSON). */
export function formatFull(value: unknown, port?: string): string {
  if (value === undefined || value === null) return DASH;
  if (typeof value === 'number' || typeof value === 'boolean') return formatValue(value, port);
  if (typeof value === 'string') return value === '' ? DASH : value;
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

/** A param value for a card line: lists and records summarised, file paths by their base name. */
export function formatParam(value: unknown, max = 22): string {
  if (value === undefined || value === null) return DASH;
  if (typeof value === 'string') return truncate(value.includes('/') ? value.slice(value.lastIndexOf('/') + 1) : value, max);
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'boolean') return value ? '✓' : '✗';
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v === 'number' || typeof v === 'string')) return truncate(value.join(', '), max);
    return `[${value.length} items]`;
  }
  return `{${Object.keys(value as object).length} keys}`;
}

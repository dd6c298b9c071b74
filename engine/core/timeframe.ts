import { BarflowError, quote } from './errors.ts';

const UNIT_MS: Record<string, number> = {
  m: 60_000,
  min: 60_000,
  h: 3_600_000,
  hour: 3_600_000,
  d: 86_400_000,
  day: 86_400_000,
};

/**
 * Accepts both the short form (`5m`, `4h`, `1d`) and KuCoin's (`5min`, `1hour`), because the
 * ENYGMA spec is written in the latter and users paste either.
 */
export function parseTimeframe(text: string): number {
  const match = /^(\d+)\s*(m|min|h|hour|d|day)s?$/.exec(text.trim());
  if (match === null) {
    throw new BarflowError('timeframe.syntax', `timeframe ${quote(text)} is not like 5m, 15min, 1h, 4hour or 1d`, {}, text);
  }
  const count = Number(match[1]);
  const unit = UNIT_MS[match[2]!]!;
  if (count < 1) throw new BarflowError('timeframe.range', `timeframe ${quote(text)} must be at least 1 unit`, {}, text);
  return count * unit;
}

/** Whether `text` is a timeframe parseTimeframe accepts (for params schemas, which refuse it with their own message). */
export function isTimeframe(text: string): boolean {
  try {
    parseTimeframe(text);
    return true;
  } catch {
    return false;
  }
}

export function formatTimeframe(ms: number): string {
  if (ms % 86_400_000 === 0) return `${ms / 86_400_000}d`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  return `${ms / 60_000}m`;
}

/** Start of the period containing `time`; periods are aligned to the UTC epoch (4h bars at 00, 04 …). */
export function periodStart(time: number, periodMs: number): number {
  return time - (((time % periodMs) + periodMs) % periodMs);
}

export function isoTime(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

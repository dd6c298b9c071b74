import type { History } from '../api/client.ts';

export interface ChartPort {
  port: string;
  key: string;
  /** bools are drawn as 0/1 steps */
  kind: 'series' | 'bool';
}

/** Typical size of a series (median of |v|), to tell prices from ratios. */
function magnitude(values: readonly unknown[]): number {
  const abs = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v)).map(Math.abs).sort((a, b) => a - b);
  return abs.length === 0 ? NaN : abs[Math.floor(abs.length / 2)]!;
}

/**
 * Series far smaller than the largest (a %B beside its bands, a lot count beside equity) go on
 * the left price scale, so neither is flattened against the other.
 */
export function scaleSides(history: Pick<History, 'values'>, ports: readonly ChartPort[]): Map<string, 'left' | 'right'> {
  const sizes = ports.map((p) => magnitude(history.values[p.key] ?? []));
  const largest = Math.max(...sizes.filter((m) => Number.isFinite(m)), 0);
  return new Map(ports.map((p, i) => [p.key, largest > 0 && Number.isFinite(sizes[i]!) && sizes[i]! * 20 < largest ? 'left' : 'right']));
}

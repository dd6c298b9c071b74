import { describe, expect, it } from 'vitest';
import type { SweepRow } from '../../../engine/server/protocol/rest.ts';
import { defaultDescending, forkNameFor, formatMetric, metricValue, progressText, sortRows } from './results.ts';

const metrics = (netPnl: string, over: Partial<SweepRow['metrics']> = {}): SweepRow['metrics'] => ({
  netPnl,
  returnPct: Number(netPnl) / 100,
  maxDrawdownPct: 1,
  maxDrawdown: '10',
  sharpe: null,
  trades: 3,
  wins: 1,
  losses: 2,
  winRatePct: 33.3,
  profitFactor: null,
  fees: '1.5',
  funding: '0',
  slippage: '0',
  exposurePct: 5,
  ...over,
});
const rows: SweepRow[] = [
  { rank: 1, index: 2, point: [1, 0], values: ['20', 'a'], objective: 0.5, metrics: metrics('50.00000000', { sharpe: 1.2, maxDrawdownPct: 3 }) },
  { rank: 2, index: 0, point: [0, 0], values: ['10', 'a'], objective: 0.1, metrics: metrics('10.00000000', { sharpe: 2.5 }) },
  { rank: 3, index: 1, point: [0, 1], values: ['10', 'b'], objective: '-Infinity', metrics: metrics('-5.00000000', { maxDrawdownPct: 9 }) },
];

describe('results table', () => {
  it('reads metrics as numbers: decimal text, nulls, infinite objectives', () => {
    expect(metricValue(rows[0]!, 'netPnl')).toBe(50);
    expect(metricValue(rows[2]!, 'objective')).toBe(-Infinity);
    expect(metricValue(rows[2]!, 'sharpe')).toBeNull();
    expect(metricValue(rows[0]!, 'trades')).toBe(3);
  });

  it('sorts by any metric or param, missing values last, ties in rank order', () => {
    expect(sortRows(rows, { kind: 'metric', key: 'sharpe' }, true).map((r) => r.rank)).toEqual([2, 1, 3]);
    expect(sortRows(rows, { kind: 'metric', key: 'sharpe' }, false).map((r) => r.rank)).toEqual([1, 2, 3]);
    expect(sortRows(rows, { kind: 'metric', key: 'maxDrawdownPct' }, false).map((r) => r.rank)).toEqual([1, 2, 3].sort((a, b) => [3, 1, 9][a - 1]! - [3, 1, 9][b - 1]!));
    expect(sortRows(rows, { kind: 'metric', key: 'objective' }, false).map((r) => r.rank)).toEqual([3, 2, 1]);
    expect(sortRows(rows, { kind: 'param', index: 0 }, false).map((r) => r.rank)).toEqual([2, 3, 1]);
    expect(sortRows(rows, { kind: 'rank' }, true).map((r) => r.rank)).toEqual([3, 2, 1]);
    // equal trades: the ranking's order
    expect(sortRows(rows, { kind: 'metric', key: 'trades' }, true).map((r) => r.rank)).toEqual([1, 2, 3]);
    expect(defaultDescending({ kind: 'metric', key: 'netPnl' })).toBe(true);
    expect(defaultDescending({ kind: 'metric', key: 'maxDrawdownPct' })).toBe(false);
    expect(defaultDescending({ kind: 'rank' })).toBe(false);
  });

  it('formats metrics, names forks and describes progress', () => {
    expect(formatMetric(-1234.5, 2)).toBe('−1,234.50');
    expect(formatMetric(null, 2)).toBe('—');
    expect(formatMetric(-Infinity, 2)).toBe('−∞');
    expect(formatMetric(Infinity, 2)).toBe('+∞');
    expect(forkNameFor('sw', 3, new Set())).toBe('sw-r3');
    expect(forkNameFor('sw', 3, new Set(['sw-r3', 'sw-r3-2']))).toBe('sw-r3-3');
    expect(progressText(3, 12)).toEqual({ fraction: 0.25, text: '3 / 12 sets (25.0%)' });
    expect(progressText(0, 0)).toEqual({ fraction: 0, text: '0 / 0 sets (0%)' });
  });
});

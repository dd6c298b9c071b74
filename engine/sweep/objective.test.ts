import { describe, expect, it } from 'vitest';
import { compareRows, objectiveValue, rankRows, type ScoredRow, type SweepMetrics } from './objective.ts';

const metrics = (m: Partial<SweepMetrics>): SweepMetrics => ({
  netPnl: '0.00000000',
  returnPct: 0,
  maxDrawdownPct: 0,
  maxDrawdown: '0.00000000',
  sharpe: null,
  trades: 0,
  wins: 0,
  losses: 0,
  winRatePct: null,
  profitFactor: null,
  fees: '0.00000000',
  funding: '0.00000000',
  slippage: '0.00000000',
  exposurePct: 0,
  ...m,
});

describe('objectives', () => {
  const m = metrics({ netPnl: '150.00000000', returnPct: 1.5, maxDrawdownPct: 25, sharpe: 0.8, profitFactor: 1.3, trades: 10, wins: 6, losses: 4 });
  it('net return, Sharpe, profit factor', () => {
    expect(objectiveValue({ name: 'netReturn', maxDrawdown: 20 }, m)).toBe(1.5);
    expect(objectiveValue({ name: 'sharpe', maxDrawdown: 20 }, m)).toBe(0.8);
    expect(objectiveValue({ name: 'profitFactor', maxDrawdown: 20 }, m)).toBe(1.3);
  });
  it('max-drawdown-bounded return is −∞ past the bound', () => {
    expect(objectiveValue({ name: 'drawdownBoundedReturn', maxDrawdown: 20 }, m)).toBe(-Infinity);
    expect(objectiveValue({ name: 'drawdownBoundedReturn', maxDrawdown: 25 }, m)).toBe(1.5);
  });
  it('undefined ratios rank last (or first: a profit factor with wins and no losses)', () => {
    expect(objectiveValue({ name: 'sharpe', maxDrawdown: 20 }, metrics({}))).toBe(-Infinity);
    expect(objectiveValue({ name: 'profitFactor', maxDrawdown: 20 }, metrics({}))).toBe(-Infinity);
    expect(objectiveValue({ name: 'profitFactor', maxDrawdown: 20 }, metrics({ trades: 2, wins: 2 }))).toBe(Infinity);
  });
});

describe('ranking', () => {
  const row = (index: number, point: number[], objective: number, netPnl: string): ScoredRow => ({ index, point, objective, metrics: metrics({ netPnl }) });
  it('orders by objective, then net PnL, then the params canonical order; ranks are distinct', () => {
    const rows = [row(0, [2, 0], 1, '5.00000000'), row(1, [0, 1], 3, '1.00000000'), row(2, [1, 1], 1, '9.00000000'), row(3, [0, 0], 1, '5.00000000'), row(4, [3, 3], -Infinity, '100.00000000'), row(5, [4, 0], NaN, '1.00000000')];
    const ranked = rankRows(rows);
    expect(ranked.map((r) => [r.index, r.rank])).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
      [0, 4],
      [4, 5],
      [5, 6],
    ]);
    // independent of the input order
    expect(rankRows([...rows].reverse()).map((r) => r.index)).toEqual(ranked.map((r) => r.index));
    expect(compareRows(rows[0]!, rows[3]!)).toBeGreaterThan(0);
  });
  it('compares net PnL exactly, as decimals', () => {
    expect(compareRows(row(0, [0], 1, '0.00000002'), row(1, [1], 1, '0.00000001'))).toBeLessThan(0);
    expect(compareRows(row(0, [0], 1, '-10.00000000'), row(1, [1], 1, '-9.00000000'))).toBeGreaterThan(0);
  });
});

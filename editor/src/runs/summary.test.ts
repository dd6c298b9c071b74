import { describe, expect, it } from 'vitest';
import type { TradeInfo } from '../api/client.ts';
import { compareExitCounts, diffSummaries, exitReasonCounts, formatMetric, formatMoney, formatPct, metricNumber, SUMMARY_METRICS } from './summary.ts';

const base = {
  netPnl: '-243.04688594',
  returnPct: -2.430469,
  maxDrawdownPct: 2.535883,
  maxDrawdown: '253.84839032',
  sharpe: -2.576319,
  trades: 118,
  wins: 50,
  losses: 68,
  winRatePct: 42.372881,
  profitFactor: 0.557182,
  fees: '206.26796970',
  funding: '0.83161624',
  slippage: '69.83056312',
  exposurePct: 1.195583,
};

const metric = (key: string) => SUMMARY_METRICS.find((m) => m.key === key)!;

describe('formatting', () => {
  it('shows money with 2 decimals and keeps the full value for the title', () => {
    expect(formatMoney('10003.04662300')).toBe('10,003.05');
    expect(formatMoney('-243.04688594')).toBe('−243.05');
    expect(formatMoney('-0.001')).toBe('0.00');
    expect(formatMoney(null)).toBe('—');
    const pnl = formatMetric(base, metric('netPnl'));
    expect(pnl.text).toBe('−243.05');
    expect(pnl.title).toContain('-243.04688594 USDT');
  });

  it('shows percentages, ratios, counts, the drawdown with its %, and none as a dash', () => {
    expect(formatPct(-2.430469)).toBe('−2.43%');
    expect(formatMetric(base, metric('returnPct')).text).toBe('−2.43%');
    expect(formatMetric(base, metric('maxDrawdown')).text).toBe('253.85 (2.54%)');
    expect(formatMetric(base, metric('sharpe')).text).toBe('−2.58');
    expect(formatMetric(base, metric('trades')).text).toBe('118');
    expect(formatMetric({ ...base, sharpe: null }, metric('sharpe')).text).toBe('—');
    expect(formatMetric(null, metric('netPnl')).text).toBe('—');
  });

  it('reads a profit factor without losses as ∞ only when there were wins', () => {
    expect(metricNumber({ profitFactor: null, wins: 3, losses: 0 }, 'profitFactor')).toBe(Infinity);
    expect(metricNumber({ profitFactor: null, wins: 0, losses: 0 }, 'profitFactor')).toBeNull();
    expect(formatMetric({ profitFactor: null, wins: 3, losses: 0 }, metric('profitFactor')).text).toBe('∞');
  });
});

describe('diffSummaries', () => {
  it('colours each metric by its better direction', () => {
    const fork = { ...base, netPnl: '12.5', returnPct: 0.125, maxDrawdownPct: 3.1, maxDrawdown: '310', fees: '150', trades: 90, exposurePct: 0.9, sharpe: -2.576319 };
    const rows = Object.fromEntries(diffSummaries(base, fork).map((r) => [r.def.key, r]));
    expect(rows['netPnl']!.verdict).toBe('better');
    expect(rows['netPnl']!.deltaText).toBe('+255.55');
    expect(rows['returnPct']!.verdict).toBe('better');
    expect(rows['maxDrawdown']!.verdict).toBe('worse'); // compared on the %
    expect(rows['maxDrawdown']!.deltaText).toBe('+0.56%');
    expect(rows['fees']!.verdict).toBe('better');
    expect(rows['trades']!.verdict).toBeNull();
    expect(rows['trades']!.deltaText).toBe('−28');
    expect(rows['exposurePct']!.verdict).toBeNull();
    expect(rows['sharpe']!.verdict).toBe('same');
    expect(rows['sharpe']!.deltaText).toBe('=');
  });

  it('has no verdict where a side has no value, and handles ∞', () => {
    const rows = Object.fromEntries(diffSummaries(base, { ...base, sharpe: null, profitFactor: null, wins: 2, losses: 0 }).map((r) => [r.def.key, r]));
    expect(rows['sharpe']!.verdict).toBeNull();
    expect(rows['sharpe']!.deltaText).toBe('');
    expect(rows['profitFactor']!.verdict).toBe('better');
    expect(rows['profitFactor']!.deltaText).toBe('+∞');
    expect(diffSummaries(null, base).every((r) => r.verdict === null)).toBe(true);
  });
});

describe('exit reason counts', () => {
  const t = (exitReason: string) => ({ exitReason }) as TradeInfo;
  it('counts closed trades by the class of their closing exit', () => {
    const counts = exitReasonCounts([t('trail'), t('trail (gap)'), t('lock 2.5 ROI'), t('stop'), t('hard limit')]);
    expect(counts).toMatchObject({ trail: 2, lock: 1, stop: 2, 'take-profit': 0 });
    expect(compareExitCounts([t('trail'), t('stop')], [t('trail'), t('take-profit'), t('take-profit')])).toEqual([
      { cls: 'stop', a: 1, b: 0 },
      { cls: 'trail', a: 1, b: 1 },
      { cls: 'take-profit', a: 0, b: 2 },
    ]);
  });
});

import { Decimal } from 'decimal.js';
import { isoTime } from '../core/timeframe.ts';
import { fmtMoney, money, ZERO } from '../venues/paper/money.ts';
import type { Ledger, TradeRecord } from '../venues/paper/ledger.ts';

/**
 * Headline numbers of a run. Money is decimal text with 8 places (exact, byte-stable); ratios are
 * numbers rounded to 6 places. Drawdown is measured on bar-close equity; Sharpe on daily (UTC)
 * close-to-close equity returns, annualised with √365 (crypto trades every day).
 */
export interface PerformanceMetrics {
  from: string | null;
  to: string | null;
  bars: number;
  initialEquity: string;
  finalEquity: string;
  netPnl: string;
  returnPct: number;
  maxDrawdownPct: number;
  maxDrawdown: string;
  sharpe: number | null;
  trades: number;
  wins: number;
  losses: number;
  winRatePct: number | null;
  profitFactor: number | null;
  averageTradePnl: string | null;
  bestTradePnl: string | null;
  worstTradePnl: string | null;
  fees: string;
  funding: string;
  slippage: string;
  exposurePct: number;
}

/** A stretch of the equity curve: float values for scanning, exact decimal values on demand. */
export interface EquityWindow {
  time: Float64Array;
  equityF: Float64Array;
  exact(i: number): Decimal;
  positionLots: Float64Array;
}

/** Bars [from, to) of a window, as a window. */
export function sliceWindow(w: EquityWindow, from: number, to: number): EquityWindow {
  return { time: w.time.slice(from, to), equityF: w.equityF.slice(from, to), exact: (i) => w.exact(from + i), positionLots: w.positionLots.slice(from, to) };
}

/**
 * Metrics of the bars in `window`, starting from `startEquity` (the equity just before its first
 * bar). Trades count in the window where they closed; fills and funding where they happened.
 */
export function computeMetrics(ledger: Ledger, window: EquityWindow, startEquity: Decimal, fromTime?: number, toTime?: number): PerformanceMetrics {
  const inRange = (t: number) => (fromTime === undefined || t >= fromTime) && (toTime === undefined || t <= toTime);
  const trades = ledger.trades.filter((t) => inRange(t.exitTime));
  const fills = ledger.fills.filter((f) => inRange(f.time));
  const initialEquity = startEquity;
  const n = window.time.length;
  const final = n > 0 ? window.exact(n - 1) : initialEquity;
  const net = final.minus(startEquity);
  const { maxDrawdown, maxDrawdownPct } = drawdown(window, startEquity);
  const pnls = trades.map((t) => t.netPnl);
  const wins = pnls.filter((p) => p.isPositive()).length;
  const losses = pnls.filter((p) => p.isNegative()).length;
  const grossWin = sum(pnls.filter((p) => p.isPositive()));
  const grossLoss = sum(pnls.filter((p) => p.isNegative())).abs();
  const inPosition = countNonZero(window.positionLots);
  return {
    from: window.time.length > 0 ? isoTime(window.time[0]!) : null,
    to: window.time.length > 0 ? isoTime(window.time[window.time.length - 1]!) : null,
    bars: window.time.length,
    initialEquity: fmtMoney(startEquity),
    finalEquity: fmtMoney(final),
    netPnl: fmtMoney(net),
    returnPct: round(net.div(startEquity).times(100).toNumber()),
    maxDrawdownPct: round(maxDrawdownPct),
    maxDrawdown: fmtMoney(maxDrawdown),
    sharpe: dailySharpe(window.time, window.equityF),
    trades: trades.length,
    wins,
    losses,
    winRatePct: trades.length > 0 ? round((wins / trades.length) * 100) : null,
    profitFactor: grossLoss.isZero() ? null : round(grossWin.div(grossLoss).toNumber()),
    averageTradePnl: trades.length > 0 ? fmtMoney(sum(pnls).div(trades.length)) : null,
    bestTradePnl: trades.length > 0 ? fmtMoney(maxOf(pnls)) : null,
    worstTradePnl: trades.length > 0 ? fmtMoney(minOf(pnls)) : null,
    fees: fmtMoney(sum(fills.map((f) => f.fee))),
    funding: fmtMoney(sum(fills.map((f) => f.funding))),
    slippage: fmtMoney(sum(fills.map((f) => f.slippage))),
    exposurePct: window.time.length > 0 ? round((inPosition / window.time.length) * 100) : 0,
  };
}

/**
 * The worst fall from a running peak, in money and in percent (they can fall on different bars).
 * Scanned in float to find the bars, then measured exactly in decimal between those two bars.
 */
function drawdown(window: EquityWindow, start: Decimal): { maxDrawdown: Decimal; maxDrawdownPct: number } {
  const e = window.equityF;
  const startF = start.toNumber();
  let peak = -1;
  let peakValue = startF;
  let worstAbs: [number, number] | null = null;
  let worstAbsValue = 0;
  let worstPct: [number, number] | null = null;
  let worstPctValue = 0;
  for (let i = 0; i < e.length; i++) {
    if (e[i]! > peakValue) {
      peakValue = e[i]!;
      peak = i;
      continue;
    }
    const dd = peakValue - e[i]!;
    if (dd > worstAbsValue) [worstAbsValue, worstAbs] = [dd, [peak, i]];
    const pct = peakValue > 0 ? dd / peakValue : 0;
    if (pct > worstPctValue) [worstPctValue, worstPct] = [pct, [peak, i]];
  }
  const at = (i: number) => (i < 0 ? start : window.exact(i));
  const maxDrawdown = worstAbs === null ? ZERO : Decimal.max(ZERO, at(worstAbs[0]).minus(at(worstAbs[1])));
  let maxDrawdownPct = 0;
  if (worstPct !== null) {
    const peakExact = at(worstPct[0]);
    if (peakExact.isPositive()) maxDrawdownPct = Math.max(0, peakExact.minus(at(worstPct[1])).div(peakExact).times(100).toNumber());
  }
  return { maxDrawdown, maxDrawdownPct };
}

function dailySharpe(time: ArrayLike<number>, equity: ArrayLike<number>): number | null {
  const closes: number[] = [];
  let day = NaN;
  for (let i = 0; i < time.length; i++) {
    const d = Math.floor(time[i]! / 86_400_000);
    if (d !== day) {
      closes.push(equity[i]!);
      day = d;
    } else closes[closes.length - 1] = equity[i]!;
  }
  if (closes.length < 3) return null;
  const returns: number[] = [];
  for (let i = 1; i < closes.length; i++) returns.push(closes[i]! / closes[i - 1]! - 1);
  const mean = returns.reduce((a, b) => a + b, 0) / returns.length;
  const variance = returns.reduce((a, r) => a + (r - mean) ** 2, 0) / (returns.length - 1);
  if (!(variance > 0)) return null;
  return round((mean / Math.sqrt(variance)) * Math.sqrt(365));
}

function countNonZero(values: Float64Array): number {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (values[i] !== 0) n++;
  return n;
}

function sum(values: readonly Decimal[]): Decimal {
  return values.reduce((a, b) => a.plus(b), money(0));
}

function maxOf(values: readonly Decimal[]): Decimal {
  return values.reduce((a, b) => (b.gt(a) ? b : a));
}

function minOf(values: readonly Decimal[]): Decimal {
  return values.reduce((a, b) => (b.lt(a) ? b : a));
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

export type { TradeRecord };

import type { Decimal } from 'decimal.js';
import { EquityTape } from './equity-tape.ts';
import type { Side } from '../../core/trading.ts';

/**
 * What a run leaves behind for reports: every fill (funding settlements included), every closed
 * trade, every rejected command, and the equity at each bar's close.
 */
export type FillKind = 'entry' | 'exit' | 'funding' | 'liquidation';

export interface FillRecord {
  time: number;
  positionId: number;
  kind: FillKind;
  /** 'buy' | 'sell' for trades, 'funding' for settlements */
  side: 'buy' | 'sell' | 'funding';
  price: Decimal;
  lots: Decimal;
  notional: Decimal;
  fee: Decimal;
  funding: Decimal;
  /** cost of slippage versus the un-slipped reference price */
  slippage: Decimal;
  reason: string;
}

export interface StopPoint {
  time: number;
  price: Decimal;
  reason: string;
}

export interface TradeRecord {
  id: number;
  side: Side;
  entryTime: number;
  entryPrice: Decimal;
  exitTime: number;
  exitPrice: Decimal;
  lots: Decimal;
  leverage: number;
  margin: Decimal;
  grossPnl: Decimal;
  fees: Decimal;
  funding: Decimal;
  slippage: Decimal;
  netPnl: Decimal;
  /** net PnL over the initial margin, in percent */
  roiPct: Decimal;
  entryReason: string;
  entryDetail: Readonly<Record<string, unknown>> | undefined;
  exitReason: string;
  exits: { time: number; price: Decimal; lots: Decimal; reason: string }[];
  stopPath: StopPoint[];
  barsHeld: number;
}

export interface RejectionRecord {
  time: number;
  command: string;
  reason: string;
}

/**
 * How an open position values at a price: unrealised PnL = price × k − base, with k = lots ×
 * multiplier × side and base = entry × k (decimal; the float copies serve the per-bar hot path).
 */
export interface Mark {
  k: Decimal;
  base: Decimal;
  kF: number;
  baseF: number;
}

/**
 * The equity curve is kept as what determines it: at each bar close the cash (decimal), the open
 * position's mark and the close price. Exact decimal equity at any bar is then one multiply-add
 * away (`EquityTape.exactAt`), while the per-bar loop only does float arithmetic (the float equity,
 * what signal nodes see). Reports and metrics use the exact values.
 */
export interface Ledger {
  fills: FillRecord[];
  trades: TradeRecord[];
  rejections: RejectionRecord[];
  /** one entry per settled bar */
  equity: EquityTape;
}

export function emptyLedger(): Ledger {
  return { fills: [], trades: [], rejections: [], equity: new EquityTape() };
}

import type { Decimal } from 'decimal.js';
import type { Side, EntryOrder } from '../../core/trading.ts';
import type { Mark, StopPoint } from './ledger.ts';

/** The paper venue's state: plain objects holding immutable decimals, so snapshots are cheap copies. */
export interface PositionState {
  id: number;
  side: Side;
  lots: Decimal;
  initialLots: Decimal;
  entryPrice: Decimal;
  entryTime: number;
  entryBar: number;
  leverage: number;
  /** isolated margin still locked for the remaining lots */
  margin: Decimal;
  stop: Decimal | null;
  stopReason: string;
  takeProfit: Decimal | null;
  /** reduce-only partial exits still waiting, nearest first */
  partials: { price: Decimal; lots: Decimal; label: string }[];
  partialsFilled: number;
  liquidation: Decimal;
  gross: Decimal;
  fees: Decimal;
  funding: Decimal;
  slippage: Decimal;
  entryReason: string;
  entryDetail: Readonly<Record<string, unknown>> | undefined;
  exits: { time: number; price: Decimal; lots: Decimal; reason: string }[];
  stopPath: StopPoint[];
}

export interface VenueState {
  /** wallet balance: deposits + realised PnL − fees − funding (margin is part of it, only locked) */
  cash: Decimal;
  position: PositionState | null;
  pending: EntryOrder[];
  pendingClose: { positionId: number; reason: string } | null;
  nextId: number;
  bars: number;
  lastOpen: number | null;
  /** close of the last settled bar */
  lastClose: number;
  /** how the open position values (null when flat); replaced whenever the position changes */
  mark: Mark | null;
  /** position id and lots the mark was made for */
  markFor: { id: number; lots: Decimal } | null;
  /** float equity at the last close (exact: cash + close × k − base, on demand) */
  equityF: number;
  peakF: number;
  day: number | null;
  dayStartEquity: Decimal;
  consecutiveLosses: number;
  lastEntryTime: number | null;
  lastEntryOrderTime: number | null;
  lastExitTime: number | null;
  lastExitWasLoss: boolean;
  time: number;
}

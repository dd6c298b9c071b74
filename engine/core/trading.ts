/**
 * The shapes that flow between signal, risk and executor nodes and the venue. Prices and sizes
 * are float64 here (signal land); the venue converts to decimal at its boundary.
 */
export type Side = 1 | -1;

export interface Candle {
  time: number; // open time, ms UTC
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/** A candle as it flows on a `bar` port: `interval` lets a resampler know when a period is complete. */
export interface Bar extends Candle {
  interval: number;
  /** false when sub-bars of this (resampled) period were missing in the data */
  complete: boolean;
}

export interface Intent {
  side: Side;
  /** close time of the bar that produced the intent */
  time: number;
  score: number;
  reason: string;
  detail?: Readonly<Record<string, unknown>>;
}

/** Offsets are fractions of the fill price, resolved by the venue when the entry fills. */
export interface Bracket {
  /** signed: a long's stop sits below entry, so its stopFrac is negative */
  stopFrac?: number;
  takeProfitFrac?: number;
  /** reduce-only partial exits: at entry × (1 + triggerFrac), close `fraction` of the initial lots */
  partials?: readonly PartialExit[];
}

export interface PartialExit {
  triggerFrac: number;
  fraction: number;
  label: string;
}

export type OrderCommand = EntryOrder | StopMove | CloseOrder;

/** Every command carries the close time of the bar that made it: executors submit only fresh ones. */
export interface EntryOrder {
  kind: 'entry';
  time: number;
  side: Side;
  lots: number;
  leverage: number;
  /** the price the risk node sized against (the signal bar's close) */
  refPrice: number;
  bracket: Bracket;
  reason: string;
  detail?: Readonly<Record<string, unknown>>;
}

export interface StopMove {
  kind: 'stop';
  time: number;
  positionId: number;
  price: number;
  reason: string;
}

export interface CloseOrder {
  kind: 'close';
  time: number;
  positionId: number;
  reason: string;
}

export interface PositionView {
  id: number;
  side: Side;
  lots: number;
  initialLots: number;
  entryPrice: number;
  entryTime: number;
  leverage: number;
  margin: number;
  stopPrice: number | null;
  stopReason: string;
  takeProfitPrice: number | null;
  liquidationPrice: number;
  partialsFilled: number;
  unrealizedPnl: number;
}

/** The traded contract, as the venue knows it (from the executor's params). */
export interface ContractView {
  symbol: string;
  multiplier: number;
  lotSize: number;
  tickSize: number;
  maintenanceMargin: number;
  takerFee: number;
}

/** What strategy nodes may know about the account: the state after this bar's fills, at its close. */
export interface AccountView {
  contract: ContractView;
  equity: number;
  cash: number;
  unrealizedPnl: number;
  usedMargin: number;
  /** equity at the most recent 00:00 UTC */
  dayStartEquity: number;
  peakEquity: number;
  consecutiveLosses: number;
  /** close time of the bar whose entry command was last submitted (filled or not), or null */
  lastEntryOrderTime: number | null;
  /** fill time of the most recent entry, or null */
  lastEntryTime: number | null;
  /** exit time of the last closed trade, or null */
  lastExitTime: number | null;
  /** was the last closed trade a loss */
  lastExitWasLoss: boolean;
  /** open entry orders waiting for the next bar */
  pendingEntries: number;
  openPositions: number;
  position: PositionView | null;
}

/** The execution port a venue offers to executor nodes. */
export interface VenuePort {
  submit(command: OrderCommand, time: number): void;
}

/** An order-book snapshot on a `book` port: price levels best first, sizes in lots. */
export interface OrderBook {
  time: number;
  bids: readonly (readonly [price: number, size: number])[];
  asks: readonly (readonly [price: number, size: number])[];
}

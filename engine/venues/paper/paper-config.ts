import type { Decimal } from 'decimal.js';

/** Everything the paper venue needs; it comes from the executor node's params (every number in YAML). */
export interface ContractSpec {
  symbol: string;
  /** base-asset units per lot (ETHUSDTM: 0.01 ETH) */
  multiplier: number;
  /** order sizes are whole multiples of this many lots */
  lotSize: number;
  /** fill prices are whole multiples of this */
  tickSize: number;
  /** maintenance-margin rate used for the isolated liquidation price */
  maintenanceMargin: number;
}

export interface PaperConfig {
  contract: ContractSpec;
  initialEquity: Decimal;
  takerFee: Decimal;
  makerFee: Decimal;
  /** fraction of price moved against every market fill */
  slippage: Decimal;
  /**
   * How partial exits and the take-profit execute: 'market' (triggered at the level, filled as a
   * taker with slippage) or 'limit' (resting orders: filled at the level as a maker, only when the
   * bar trades through it).
   */
  targetOrders: 'market' | 'limit';
  /** constant funding rate per settlement, used when no series covers a settlement */
  fundingRate: Decimal;
  fundingIntervalMs: number;
  fundingOffsetMs: number;
  /** settlement time → rate, when a funding series was given */
  fundingSeries: ReadonlyMap<number, Decimal> | null;
}

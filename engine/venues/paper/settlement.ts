import type { Decimal } from 'decimal.js';
import { notional, pnl } from './paper-math.ts';
import type { PositionState } from './paper-state.ts';

/**
 * Closing `lots` of a position at `price`: realised gross PnL, the fee on the exit value,
 * the slippage cost against the un-slipped `reference`, and the margin released pro rata.
 */
export function settle(p: PositionState, lots: Decimal, price: Decimal, reference: Decimal, multiplier: Decimal, feeRate: Decimal) {
  const value = notional(lots, multiplier, price);
  const gross = pnl(p.side, p.entryPrice, price, lots, multiplier);
  const fee = value.times(feeRate);
  const slippage = price.minus(reference).abs().times(lots).times(multiplier);
  p.margin = p.margin.minus(p.margin.times(lots).div(p.lots));
  p.lots = p.lots.minus(lots);
  p.gross = p.gross.plus(gross);
  p.fees = p.fees.plus(fee);
  p.slippage = p.slippage.plus(slippage);
  return { value, gross, fee, slippage };
}

/** Funding on the position held at a settlement: value × rate; longs pay positive rates, shorts receive them. */
export function funding(p: PositionState, mark: Decimal, rate: Decimal, multiplier: Decimal): { value: Decimal; payment: Decimal } {
  const value = notional(p.lots, multiplier, mark);
  return { value, payment: value.times(rate).times(p.side) };
}

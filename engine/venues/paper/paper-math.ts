import type { Decimal } from 'decimal.js';
import type { Side } from '../../core/trading.ts';
import { Money, ONE } from './money.ts';

/**
 * The money formulas of a linear USDT-M perpetual, in decimal (kucoin-futures.md §6, enygma.md §5–6).
 * value = lots × multiplier × price; PnL = (exit − entry) × lots × multiplier × side.
 */
export function notional(lots: Decimal, multiplier: Decimal, price: Decimal): Decimal {
  return lots.times(multiplier).times(price);
}

export function pnl(side: Side, entry: Decimal, exit: Decimal, lots: Decimal, multiplier: Decimal): Decimal {
  return exit.minus(entry).times(lots).times(multiplier).times(side);
}

/** Isolated liquidation price: long E × (1 − (1/lev)(1 − MMR)), short mirrored (enygma.md §5). */
export function liquidationPrice(side: Side, entry: Decimal, leverage: number, mmr: Decimal): Decimal {
  const distance = ONE.div(leverage).times(ONE.minus(mmr));
  return entry.times(ONE.minus(distance.times(side)));
}

/**
 * A market fill: the reference price moved against the trader by `slippage`, then put on the tick
 * grid, again against the trader (buys round up, sells round down).
 */
export function marketFillPrice(reference: Decimal, action: 'buy' | 'sell', slippage: Decimal, tick: Decimal): Decimal {
  const slipped = action === 'buy' ? reference.times(ONE.plus(slippage)) : reference.times(ONE.minus(slippage));
  if (tick.isZero()) return slipped;
  return slipped.toNearest(tick, action === 'buy' ? Money.ROUND_UP : Money.ROUND_DOWN);
}

/** Lots affordable with `margin` at `leverage`: floor(margin × lev / price / multiplier / lotSize) × lotSize. */
export function lotsFor(margin: Decimal, leverage: number, price: Decimal, multiplier: Decimal, lotSize: Decimal): Decimal {
  return margin.times(leverage).div(price).div(multiplier).div(lotSize).floor().times(lotSize);
}

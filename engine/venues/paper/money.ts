import { Decimal } from 'decimal.js';

/**
 * All money goes through this one Decimal configuration: 40 significant digits is far beyond any
 * balance or fee we handle, so rounding only happens where an exchange would round (ticks, lots)
 * and in reports.
 */
export const Money = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_EVEN, toExpNeg: -30, toExpPos: 40 });
export type Money = Decimal;

export const ZERO = new Money(0);
export const ONE = new Money(1);

/** A float64 price or rate as a decimal: its shortest round-trip decimal text, so 0.1 stays 0.1. */
export function money(value: number | string | Decimal): Decimal {
  return new Money(value);
}

/** Money for reports: fixed 8 decimals, so files are byte-stable and columns line up. */
export function fmtMoney(value: Decimal): string {
  return value.toFixed(8);
}

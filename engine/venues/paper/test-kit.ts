import type { Bar } from '../../core/trading.ts';
import { money } from './money.ts';
import type { PaperConfig } from './paper-config.ts';
import { PaperVenue } from './paper-venue.ts';

/** A venue with the ENYGMA spec's costs and an ETHUSDTM-like contract, overridable per test. */
export function testVenue(overrides: Partial<PaperConfig> = {}): PaperVenue {
  return new PaperVenue({
    contract: { symbol: 'ETHUSDTM', multiplier: 0.01, lotSize: 1, tickSize: 0.01, maintenanceMargin: 0.005 },
    initialEquity: money(10_000),
    takerFee: money('0.0006'),
    makerFee: money('0.0002'),
    slippage: money(0),
    targetOrders: 'market',
    fundingRate: money('0.0001'),
    fundingIntervalMs: 8 * 3_600_000,
    fundingOffsetMs: 0,
    fundingSeries: null,
    ...overrides,
  });
}

export const T0 = Date.UTC(2021, 0, 4, 1, 0); // a Monday, away from funding instants
export const FIVE_MIN = 300_000;

export function bar(i: number, open: number, high: number, low: number, close: number): Bar {
  return { time: T0 + i * FIVE_MIN, open, high, low, close, volume: 1, interval: FIVE_MIN, complete: true };
}

export function flat(i: number, price: number): Bar {
  return bar(i, price, price, price, price);
}

import type { Ring } from '../../_kit/ring.ts';
import type { Regime } from './indicator-signal.ts';

/**
 * Percentile rank of `current` within the window (which already holds it):
 * 100 × (count of values ≤ current) / count. Ties count as "at or below", so a flat window ranks
 * 100. Reads the ring's slots directly (order does not matter) to stay allocation-free.
 */
export function percentileRank(window: Ring, current: number): number {
  let atOrBelow = 0;
  const n = window.size;
  const items = window.items;
  for (let k = 0; k < n; k++) if (items[k]! <= current) atOrBelow++;
  return (100 * atOrBelow) / n;
}

/** Cut-points of the volatility regime, in percentile points. */
export interface RegimeBands {
  lowPercentile: number;
  highPercentile: number;
  hysteresis: number;
}

/**
 * The next volatility regime (enygma.md §3.3; research §4 "LOW exit at 28%, HIGH exit at 72%").
 * The first classification (`previous` '') has no hysteresis: LOW < low ≤ MEDIUM ≤ high < HIGH.
 * Afterwards LOW holds until the percentile reaches low + hysteresis, HIGH holds until it falls to
 * high − hysteresis; entering LOW or HIGH always uses the plain cut-points, so LOW → HIGH (and back)
 * may happen in one bar without passing through MEDIUM.
 */
export function nextRegime(previous: Regime | '', percentile: number, b: RegimeBands): Regime {
  if (previous === 'LOW') {
    if (percentile > b.highPercentile) return 'HIGH';
    return percentile >= b.lowPercentile + b.hysteresis ? 'MEDIUM' : 'LOW';
  }
  if (previous === 'HIGH') {
    if (percentile < b.lowPercentile) return 'LOW';
    return percentile <= b.highPercentile - b.hysteresis ? 'MEDIUM' : 'HIGH';
  }
  if (percentile < b.lowPercentile) return 'LOW';
  if (percentile > b.highPercentile) return 'HIGH';
  return 'MEDIUM';
}

/**
 * What every ENYGMA points node publishes on its `detail` (record) port and the scorer reads:
 * one indicator's contribution to the score on this bar, with the reasons, so the editor can show
 * why a score is what it is (enygma.md §3.7).
 */
export interface IndicatorSignal {
  /** camelCase indicator key: rsi, stochRsi, macd, bollinger, williamsR, stochastic, emaTrend, ao, kdj, obv, cmf, cci, dom */
  indicator: string;
  enabled: boolean;
  /** enabled and the indicator has a value on this bar (past its warm-up; DOM: an order book exists) */
  active: boolean;
  /** the indicator's headline value on this bar (RSI, %K, MACD histogram …); null when none */
  value: number | null;
  /** sum of the matched sub-signal points before clamping */
  raw: number;
  /** raw clamped to ±maxScore; 0 when not active */
  points: number;
  maxScore: number;
  /** the sub-signals that matched, each with its points, e.g. "K crossed above D below 20 (+20)" */
  conditions: string[];
}

/** The volatility regime of a timeframe, from the ATR-percentile node. */
export type Regime = 'LOW' | 'MEDIUM' | 'HIGH';

export const REGIMES: readonly Regime[] = ['LOW', 'MEDIUM', 'HIGH'];

/** Sub-signals add up, then clamp to ±maxScore (enygma.md §3.1). */
export function clampPoints(raw: number, maxScore: number): number {
  return Math.max(-maxScore, Math.min(maxScore, raw));
}

import type { ScoreClass } from './classification.ts';
import type { Penalty } from './confidence.ts';
import type { IndicatorSignal, Regime } from './indicator-signal.ts';

/** One received signal as the breakdown shows it: as received, plus how the scorer counted it. */
export interface CountedSignal extends IndicatorSignal {
  /** sign of the points the scorer counted (0 when inactive or disabled) */
  sign: -1 | 0 | 1;
  /** counted in microScore (a `microIndicators` key) rather than indicatorScore */
  micro: boolean;
}

/**
 * The scorer's `breakdown` record (enygma.md §3.7): everything the editor needs to show why a
 * score is what it is. NaN fields (no value yet) read as null once serialised to JSON.
 */
export interface ScoreBreakdown {
  total: number;
  indicatorScore: number;
  microScore: number;
  /** clamp(indicatorScore + microScore, ±totalCap), before the ATR modifier */
  beforeModifier: number;
  /** the signed amount the ATR regime added: sign(beforeModifier) × the regime's scoreModifier */
  modifier: number;
  regime: Regime | '';
  classification: ScoreClass | '';
  confidence: number;
  confluence: { agree: number; active: number; bullish: number; bearish: number; pct: number };
  penalties: Penalty[];
  signals: CountedSignal[];
}

/** Test helpers for enygma.scorer (imported by its tests only). */
import { paramsOf } from '../../_kit/run-node.ts';
import { runRows, type Row } from '../../signals/_shared/testing.ts';
import type { IndicatorSignal, Regime } from '../_enygma/indicator-signal.ts';
import { enygmaScorer } from './enygma-scorer.node.ts';

/** An active, enabled signal with `points` (raw = points), overridable field by field. */
export function sig(indicator: string, points: number, fields: Partial<IndicatorSignal> = {}): IndicatorSignal {
  return { indicator, enabled: true, active: true, value: 50, raw: points, points, maxScore: 50, conditions: points === 0 ? [] : [`${indicator} ${points}`], ...fields };
}

/** Signals named a, b, c … with the given points. */
export const signals = (...points: number[]): IndicatorSignal[] => points.map((q, k) => sig(String.fromCharCode(97 + k), q));

export interface RegimeInputs {
  regime: Regime | '';
  atrPct: number;
  scoreModifier: number;
}

/** A regime context that changes nothing: MEDIUM with modifier 0 and a calm ATR% of 1. */
export const FLAT: RegimeInputs = { regime: 'MEDIUM', atrPct: 1, scoreModifier: 0 };

/** One scorer firing over `list`. */
export function score(list: readonly (IndicatorSignal | null)[], regime: Partial<RegimeInputs> = {}, params: Record<string, unknown> = {}): Row {
  return runRows(enygmaScorer, paramsOf(enygmaScorer, params), [{ signals: list, ...FLAT, ...regime }])[0]!;
}

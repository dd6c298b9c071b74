import { defineNode } from '../../../engine/core/node-definition.ts';
import { classifyScore, type ScoreClass } from '../_enygma/classification.ts';
import { confidenceOf, confidencePenalties, type Penalty } from '../_enygma/confidence.ts';
import { REGIMES, type IndicatorSignal, type Regime } from '../_enygma/indicator-signal.ts';
import type { CountedSignal, ScoreBreakdown } from '../_enygma/score-breakdown.ts';
import { scorerParams, type ScorerParams } from '../_enygma/scorer-params.ts';

interface ScorerInputs {
  /** a reused buffer: read it during the step, never keep it */
  signals: readonly (IndicatorSignal | null | undefined)[];
  regime: Regime | '';
  atrPct: number;
  scoreModifier: number;
}

interface ScorerOutputs {
  total: number;
  indicatorScore: number;
  microScore: number;
  classification: ScoreClass | '';
  agree: number;
  active: number;
  bullish: number;
  bearish: number;
  confluencePct: number;
  confidence: number;
  breakdown: ScoreBreakdown;
}

const NO_PENALTIES: Penalty[] = [];

const clamp = (x: number, cap: number) => (x > cap ? cap : x < -cap ? -cap : x);
const signOf = (x: number): -1 | 0 | 1 => (x > 0 ? 1 : x < 0 ? -1 : 0);

/**
 * ENYGMA scorer of one timeframe (enygma.md §3): sums the points nodes' signals into a capped
 * total, applies the ATR regime's modifier in the total's direction, classifies it, and measures
 * confluence and confidence. The total is NaN (classification '') while no signal is active or the
 * regime has no value yet, so downstream gates never act on an empty or unmodified score.
 */
export const enygmaScorer = defineNode({
  type: 'enygma.scorer',
  version: 1,
  title: 'ENYGMA scorer',
  category: 'scorer',
  summary: 'Sums ENYGMA indicator points into a capped total with the ATR-regime modifier, class, confluence and confidence.',
  params: scorerParams,
  inputs: {
    signals: { type: 'record', many: true, help: "the timeframe's points nodes' `detail` (IndicatorSignal), DOM included" },
    regime: { type: 'text', help: 'enygma.atr-regime.regime' },
    atrPct: { type: 'series', help: 'enygma.atr-regime.atrPct (for the volatility penalty)' },
    scoreModifier: { type: 'series', help: 'enygma.atr-regime.scoreModifier' },
  },
  outputs: {
    total: { type: 'series', help: 'final score in ±totalCap; NaN while no signal is active or the regime has no value' },
    indicatorScore: { type: 'series', help: 'Σ directional points clamped to ±indicatorCap; NaN while no signal is active' },
    microScore: { type: 'series', help: 'Σ microstructure (DOM) points clamped to ±microCap; NaN while no signal is active' },
    classification: { type: 'text', help: "EXTREME_BUY … NEUTRAL … EXTREME_SELL; '' while total is NaN" },
    agree: { type: 'series', help: "active signals whose points have the total's sign; NaN while total is NaN" },
    active: { type: 'series', help: 'enabled signals with a value on this bar (DOM only when live)' },
    bullish: { type: 'series', help: 'active signals with points > 0' },
    bearish: { type: 'series', help: 'active signals with points < 0' },
    confluencePct: { type: 'series', help: 'agree / active × 100; NaN while total is NaN' },
    confidence: { type: 'series', help: '1 − penalties, in [0, 1]; NaN while total is NaN' },
    breakdown: { type: 'record', help: 'why: scores, modifier, regime, class, confluence, penalties and every signal' },
  },
  syncInputs: true,
  warmup: () => 0,
  init: () => ({}),
  step(_s: object, i: ScorerInputs, o: ScorerOutputs, p: ScorerParams) {
    const received = i.signals ?? [];
    const signals: CountedSignal[] = [];
    let indicatorSum = 0;
    let microSum = 0;
    let active = 0;
    let bullish = 0;
    let bearish = 0;
    for (const sig of received) {
      if (sig === null || sig === undefined) continue; // its points node has not fired yet
      // the IndicatorSignal contract makes points 0 when inactive; not trusting it keeps sums honest
      const live = sig.enabled && sig.active && Number.isFinite(sig.points);
      const points = live ? sig.points : 0;
      const micro = p.microIndicators.includes(sig.indicator);
      // A literal, not a spread: signals come from thirteen node types whose objects differ in
      // shape, and copying them generically is what this node would spend its time on.
      signals.push({
        indicator: sig.indicator,
        enabled: sig.enabled,
        active: sig.active,
        value: sig.value,
        raw: sig.raw,
        points: sig.points,
        maxScore: sig.maxScore,
        conditions: sig.conditions,
        sign: signOf(points),
        micro,
      });
      if (!live) continue;
      active++;
      if (points > 0) bullish++;
      else if (points < 0) bearish++;
      if (micro) microSum += points;
      else indicatorSum += points;
    }
    const any = active > 0;
    const indicatorScore = any ? clamp(indicatorSum, p.indicatorCap) : NaN;
    const microScore = any ? clamp(microSum, p.microCap) : NaN;
    const beforeModifier = clamp(indicatorScore + microScore, p.totalCap);
    const regimeKnown = REGIMES.includes(i.regime as Regime) && Number.isFinite(i.scoreModifier) && Number.isFinite(i.atrPct);
    // the modifier follows the total's direction (research A3); sign 0 adds nothing
    const modifier = regimeKnown ? signOf(beforeModifier) * i.scoreModifier : NaN;
    const total = clamp(beforeModifier + modifier, p.totalCap);
    const known = total === total;
    const direction = signOf(total);
    const agree = !known ? NaN : direction > 0 ? bullish : direction < 0 ? bearish : 0;
    const confluencePct = known ? (agree / active) * 100 : NaN;
    const penalties = known
      ? confidencePenalties({ total, regime: i.regime, atrPct: i.atrPct, bullish, bearish, confluencePct }, p)
      : NO_PENALTIES;
    const confidence = known ? confidenceOf(penalties, p.confidenceBase) : NaN;
    const classification = classifyScore(total, p.classes);

    o.total = total;
    o.indicatorScore = indicatorScore;
    o.microScore = microScore;
    o.classification = classification;
    o.agree = agree;
    o.active = active;
    o.bullish = bullish;
    o.bearish = bearish;
    o.confluencePct = confluencePct;
    o.confidence = confidence;
    o.breakdown = {
      total,
      indicatorScore,
      microScore,
      beforeModifier,
      modifier,
      regime: i.regime ?? '',
      classification,
      confidence,
      confluence: { agree, active, bullish, bearish, pct: confluencePct },
      penalties: penalties === NO_PENALTIES ? [] : penalties,
      signals,
    };
    return true;
  },
});

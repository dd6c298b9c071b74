import { z } from 'zod';
import { defineNode } from '../../../engine/core/node-definition.ts';
import { ring, ringFull, ringPush, type Ring } from '../../_kit/ring.ts';
import type { Regime } from '../_enygma/indicator-signal.ts';
import { nextRegime, percentileRank } from '../_enygma/regime-hysteresis.ts';

/** A per-regime table param; each entry has its own default so a fork may override one regime only. */
function regimeTable(defaults: Record<Regime, number>, value: () => z.ZodNumber, describe: string) {
  return z
    .object({
      LOW: value().default(defaults.LOW),
      MEDIUM: value().default(defaults.MEDIUM),
      HIGH: value().default(defaults.HIGH),
    })
    .default(defaults)
    .describe(describe);
}

const params = z
  .object({
    lookback: z.number().int().min(2).max(10_000).default(100).describe('bars of this timeframe in the percentile window (current bar included)'),
    lowPercentile: z.number().min(0).max(100).default(25).describe('LOW when the percentile is below this'),
    highPercentile: z.number().min(0).max(100).default(75).describe('HIGH when the percentile is above this'),
    hysteresis: z.number().min(0).max(100).default(3).describe('percentile points: LOW is left at low + this, HIGH at high − this'),
    scoreModifier: regimeTable({ LOW: 15, MEDIUM: 5, HIGH: -15 }, () => z.number().min(-220).max(220), 'score points added in the direction of the total, per regime'),
    sizeMultiplier: regimeTable({ LOW: 1.5, MEDIUM: 1, HIGH: 0.5 }, () => z.number().min(0).max(100), 'position-size multiplier per regime'),
    leverageCap: regimeTable({ LOW: 20, MEDIUM: 15, HIGH: 10 }, () => z.number().min(1).max(1000), 'maximum leverage per regime'),
  })
  .superRefine((p, ctx) => {
    if (!(p.lowPercentile < p.highPercentile)) {
      ctx.addIssue({ code: 'custom', path: ['highPercentile'], message: `highPercentile must be above lowPercentile, got ${p.lowPercentile} and ${p.highPercentile}` });
    }
  });

type Params = z.output<typeof params>;

interface RegimeState {
  /** the last `lookback` finite ATR% values */
  window: Ring;
  /** the regime decided on the last valid bar; '' before the first (no hysteresis then) */
  regime: Regime | '';
}

interface RegimeOutputs {
  atrPct: number;
  percentile: number;
  regime: Regime | '';
  scoreModifier: number;
  sizeMultiplier: number;
  leverageCap: number;
}

function noRegime(o: RegimeOutputs): void {
  o.percentile = NaN;
  o.regime = '';
  o.scoreModifier = NaN;
  o.sizeMultiplier = NaN;
  o.leverageCap = NaN;
}

/**
 * ENYGMA volatility regime (enygma.md §3.3): ATR% = ATR/close×100 ranked against the last
 * `lookback` ATR% values of this timeframe, classified LOW / MEDIUM / HIGH with hysteresis, and the
 * regime's score modifier, size multiplier and leverage cap. ATR is never a directional signal: the
 * scorer applies the modifier in the direction of its total.
 */
export const enygmaAtrRegime = defineNode({
  type: 'enygma.atr-regime',
  version: 1,
  title: 'ENYGMA ATR regime',
  category: 'scorer',
  summary: 'Volatility regime LOW/MEDIUM/HIGH from the percentile of ATR% over a window, with hysteresis and per-regime tables.',
  params,
  inputs: {
    atr: { type: 'series', help: 'ATR of this timeframe (ENYGMA: indicator.atr, smoothing sma, period 14)' },
    close: { type: 'series', help: 'close of the same bars' },
  },
  outputs: {
    atrPct: { type: 'series', help: 'ATR / close × 100' },
    percentile: { type: 'series', help: '100 × (window values ≤ current) / lookback; NaN until the window is full' },
    regime: { type: 'text', help: "'LOW' | 'MEDIUM' | 'HIGH'; '' until the window is full" },
    scoreModifier: { type: 'series', help: "the regime's score modifier (LOW +15, MEDIUM +5, HIGH −15)" },
    sizeMultiplier: { type: 'series', help: "the regime's size multiplier (1.5 / 1.0 / 0.5)" },
    leverageCap: { type: 'series', help: "the regime's leverage cap (20 / 15 / 10)" },
  },
  syncInputs: true,
  warmup: (p: Params) => {
    const full = p.lookback - 1;
    return { atrPct: 0, percentile: full, scoreModifier: full, sizeMultiplier: full, leverageCap: full };
  },
  init: (p: Params): RegimeState => ({ window: ring(p.lookback), regime: '' }),
  step(s: RegimeState, i: { atr: number; close: number }, o: RegimeOutputs, p: Params) {
    const atrPct = (i.atr / i.close) * 100;
    // NaN ATR (still warming up) or a missing/zero close: not consumed, nothing is known this bar
    if (atrPct !== atrPct || atrPct === Infinity || atrPct === -Infinity) {
      o.atrPct = NaN;
      noRegime(o);
      return true;
    }
    o.atrPct = atrPct;
    ringPush(s.window, atrPct);
    if (!ringFull(s.window)) {
      noRegime(o);
      return true;
    }
    const percentile = percentileRank(s.window, atrPct);
    const regime = nextRegime(s.regime, percentile, p);
    s.regime = regime;
    o.percentile = percentile;
    o.regime = regime;
    o.scoreModifier = p.scoreModifier[regime];
    o.sizeMultiplier = p.sizeMultiplier[regime];
    o.leverageCap = p.leverageCap[regime];
    return true;
  },
});

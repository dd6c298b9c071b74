import { z } from 'zod';
import { defineNode } from '../../../engine/core/node-definition.ts';
import { isNum, labelPair, level, pointsParams, pointValue, POINTS_OUTPUTS, publish, score, type PointsOutputs } from '../_enygma/points-kit.ts';

interface WilliamsPointsState {
  prev: number;
  /** [bullish, bearish] label per condition, built once from the params */
  labels: { inZone: [string, string]; turning: [string, string] };
}

/**
 * Williams %R's points (research §2.3; weight 22 from S2, cap 2.5 × weight): in the oversold
 * zone, and turning up there (above the previous %R) on top; the overbought zone mirrors. Zones
 * are inclusive, as the spec writes them (%R ≤ OS, %R ≥ OB).
 */
export const enygmaWilliamsRPoints = defineNode({
  type: 'enygma.williams-r-points',
  version: 1,
  title: 'ENYGMA Williams %R points',
  category: 'scorer',
  summary: 'ENYGMA Williams %R sub-signal points: in the oversold/overbought zone, turning there; added, then clamped.',
  params: z.object({
    ...pointsParams(22, 2.5),
    oversold: level(-80, '%R at or below this is oversold (−100..0 scale)'),
    overbought: level(-20, '%R at or above this is overbought'),
    inZone: pointValue(20, '%R ≤ oversold (mirror: ≥ overbought)'),
    turning: pointValue(25, '%R ≤ oversold and above the previous %R (mirror: ≥ overbought and below it)'),
  }),
  inputs: { value: { type: 'series', help: 'Williams %R, −100..0' } },
  outputs: POINTS_OUTPUTS,
  syncInputs: true,
  // %R carries its own warm-up: NaN there just makes the node inactive (points 0)
  warmup: () => 0,
  init: (p): WilliamsPointsState => ({
    prev: NaN,
    labels: {
      inZone: labelPair(`%R ≤ ${p.oversold}`, `%R ≥ ${p.overbought}`, p.inZone),
      turning: labelPair(`%R turning up at or below ${p.oversold}`, `%R turning down at or above ${p.overbought}`, p.turning),
    },
  }),
  step(s: WilliamsPointsState, i: { value: number }, o: PointsOutputs, p) {
    const r = i.value;
    const active = p.enabled && isNum(r);
    const conditions: string[] = [];
    const L = s.labels;
    let raw = 0;
    if (active) {
      // turning needs a previous %R: NaN (first firing, gap) compares false
      raw += score(r <= p.oversold, p.inZone, L.inZone[0], conditions);
      raw += score(r <= p.oversold && r > s.prev, p.turning, L.turning[0], conditions);
      raw -= score(r >= p.overbought, p.inZone, L.inZone[1], conditions);
      raw -= score(r >= p.overbought && r < s.prev, p.turning, L.turning[1], conditions);
    }
    publish(o, 'williamsR', p, active, r, raw, conditions);
    s.prev = r;
    return true;
  },
});

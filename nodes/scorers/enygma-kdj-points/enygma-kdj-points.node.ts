import { z } from 'zod';
import { defineNode } from '../../../engine/core/node-definition.ts';
import { kdZoneLabels, kdZonePoints, type KdZoneLabels } from '../_enygma/kd-zone.ts';
import { isNum, labelPair, level, pointsParams, pointValue, POINTS_OUTPUTS, publish, score, type PointsOutputs } from '../_enygma/points-kit.ts';

interface KdjPointsState {
  prevK: number;
  prevD: number;
  /** labels built once from the params: the K/D zone rule's and J's [bullish, bearish] */
  labels: KdZoneLabels;
  jLabels: [string, string];
}

/**
 * KDJ's points (research §2.3): J beyond its extreme (below 0 / above 100), plus the K/D zone
 * rule StochRSI and Stochastic use (K crossing D below `low`, K below `low`; mirrored above
 * `high`). J < 0 with a cross in the zone adds to 42, clamped to maxScore 34.
 */
export const enygmaKdjPoints = defineNode({
  type: 'enygma.kdj-points',
  version: 1,
  title: 'ENYGMA KDJ points',
  category: 'scorer',
  summary: 'ENYGMA KDJ sub-signal points: J extreme, K crossing D in the zone, K in the zone; added, then clamped.',
  params: z.object({
    ...pointsParams(17),
    jExtreme: pointValue(17, 'J < jLow (mirror: J > jHigh)'),
    crossInZone: pointValue(15, 'K crosses above D while K < low (mirror: below D while K > high)'),
    inZone: pointValue(10, 'K < low (mirror: K > high)'),
    low: level(20, 'K below this is oversold (strict)'),
    high: level(80, 'K above this is overbought (strict)'),
    jLow: level(0, 'J below this is an oversold extreme (strict)'),
    jHigh: level(100, 'J above this is an overbought extreme (strict)'),
  }),
  inputs: { k: { type: 'series' }, d: { type: 'series' }, j: { type: 'series', help: '3K − 2D' } },
  outputs: POINTS_OUTPUTS,
  syncInputs: true,
  // the KDJ carries its own warm-up: NaN there just makes the node inactive (points 0)
  warmup: () => 0,
  init: (p): KdjPointsState => ({
    prevK: NaN,
    prevD: NaN,
    labels: kdZoneLabels(p.low, p.high, p.crossInZone, p.inZone),
    jLabels: labelPair(`J below ${p.jLow}`, `J above ${p.jHigh}`, p.jExtreme),
  }),
  step(s: KdjPointsState, i: { k: number; d: number; j: number }, o: PointsOutputs, p) {
    const { k, d, j } = i;
    const active = p.enabled && isNum(k) && isNum(d) && isNum(j);
    const conditions: string[] = [];
    let raw = 0;
    if (active) {
      raw += score(j < p.jLow, p.jExtreme, s.jLabels[0], conditions);
      raw -= score(j > p.jHigh, p.jExtreme, s.jLabels[1], conditions);
      raw += kdZonePoints(s.prevK, s.prevD, k, d, p.low, p.high, p.crossInZone, p.inZone, s.labels, conditions);
    }
    // J is the headline: it leads K and D and carries the largest sub-signal
    publish(o, 'kdj', p, active, j, raw, conditions);
    s.prevK = k;
    s.prevD = d;
    return true;
  },
});

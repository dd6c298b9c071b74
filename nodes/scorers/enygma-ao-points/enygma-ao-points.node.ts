import { z } from 'zod';
import { defineNode } from '../../../engine/core/node-definition.ts';
import { crossedAbove, crossedBelow, isNum, labelPair, pointsParams, pointValue, POINTS_OUTPUTS, publish, score, type PointsOutputs } from '../_enygma/points-kit.ts';

interface AoPointsState {
  /** AO at the previous firing and the one before; NaN until seen */
  prev: number;
  prev2: number;
  /** [bullish, bearish] label per condition, built once from the params */
  labels: { cross: [string, string]; saucer: [string, string]; side: [string, string] };
}

/**
 * The Awesome Oscillator's points (research §2.3): crossing zero, the saucer (AO above zero,
 * was falling, now rising) and simply being above zero; below zero mirrors. The spec asks only
 * the current AO to be above zero for a saucer, so the zero-cross bar can be one too: then all
 * three add to 34, exactly maxScore.
 */
export const enygmaAoPoints = defineNode({
  type: 'enygma.ao-points',
  version: 1,
  title: 'ENYGMA Awesome Oscillator points',
  category: 'scorer',
  summary: 'ENYGMA AO sub-signal points: zero cross, saucer, AO above zero; added, then clamped.',
  params: z.object({
    ...pointsParams(17),
    cross: pointValue(17, 'AO crosses above zero: previous ≤ 0 < AO (mirror: previous ≥ 0 > AO)'),
    saucer: pointValue(12, 'AO > 0, previous < the one before (was falling), AO > previous (now rising); mirrored below zero'),
    positive: pointValue(5, 'AO > 0 (mirror: AO < 0)'),
  }),
  inputs: { ao: { type: 'series', help: 'Awesome Oscillator' } },
  outputs: POINTS_OUTPUTS,
  syncInputs: true,
  // the AO carries its own warm-up: NaN there just makes the node inactive (points 0)
  warmup: () => 0,
  init: (p): AoPointsState => ({
    prev: NaN,
    prev2: NaN,
    labels: {
      cross: labelPair('AO crossed above zero', 'AO crossed below zero', p.cross),
      saucer: labelPair('bullish saucer (AO > 0, dipped, rising again)', 'bearish saucer (AO < 0, rose, falling again)', p.saucer),
      side: labelPair('AO above zero', 'AO below zero', p.positive),
    },
  }),
  step(s: AoPointsState, i: { ao: number }, o: PointsOutputs, p) {
    const ao = i.ao;
    const active = p.enabled && isNum(ao);
    const conditions: string[] = [];
    const L = s.labels;
    const { prev, prev2 } = s;
    let raw = 0;
    if (active) {
      // the cross needs the previous AO and the saucer the two before: NaN compares false
      raw += score(crossedAbove(prev, 0, ao, 0), p.cross, L.cross[0], conditions);
      raw += score(ao > 0 && prev < prev2 && ao > prev, p.saucer, L.saucer[0], conditions);
      raw += score(ao > 0, p.positive, L.side[0], conditions);
      raw -= score(crossedBelow(prev, 0, ao, 0), p.cross, L.cross[1], conditions);
      raw -= score(ao < 0 && prev > prev2 && ao < prev, p.saucer, L.saucer[1], conditions);
      raw -= score(ao < 0, p.positive, L.side[1], conditions);
    }
    publish(o, 'ao', p, active, ao, raw, conditions);
    s.prev2 = prev;
    s.prev = ao;
    return true;
  },
});

import { z } from 'zod';
import { defineNode } from '../../../engine/core/node-definition.ts';
import { crossedAbove, crossedBelow, isNum, labelPair, pointsParams, pointValue, POINTS_OUTPUTS, publish, score, type PointsOutputs } from '../_enygma/points-kit.ts';

interface CmfPointsState {
  prev: number;
  /** [bullish, bearish] label per condition, built once from the params */
  labels: { strong: [string, string]; side: [string, string]; cross: [string, string] };
}

/**
 * Chaikin Money Flow's points (research §2.3). The tiers add up (enygma.md §3.1): a CMF above
 * `strongLevel` scores strong + positive (29), and the bar that crosses zero adds the bonus.
 * Negative CMF mirrors.
 */
export const enygmaCmfPoints = defineNode({
  type: 'enygma.cmf-points',
  version: 1,
  title: 'ENYGMA CMF points',
  category: 'scorer',
  summary: 'ENYGMA CMF sub-signal points: strong and positive money flow tiers, zero-cross bonus; added, then clamped.',
  params: z.object({
    ...pointsParams(19),
    strong: pointValue(19, 'CMF > strongLevel (mirror: < −strongLevel)'),
    positive: pointValue(10, 'CMF > 0 (mirror: < 0); adds to strong'),
    crossBonus: pointValue(5, 'CMF crosses above zero: previous ≤ 0 < CMF (mirror: below)'),
    strongLevel: z.number().min(0).default(0.1).describe('CMF beyond ±this is strong money flow'),
  }),
  inputs: { cmf: { type: 'series', help: 'Chaikin Money Flow, −1..1' } },
  outputs: POINTS_OUTPUTS,
  syncInputs: true,
  // the CMF carries its own warm-up: NaN there just makes the node inactive (points 0)
  warmup: () => 0,
  init: (p): CmfPointsState => ({
    prev: NaN,
    labels: {
      strong: labelPair(`CMF above ${p.strongLevel}`, `CMF below -${p.strongLevel}`, p.strong),
      side: labelPair('CMF positive', 'CMF negative', p.positive),
      cross: labelPair('CMF crossed above zero', 'CMF crossed below zero', p.crossBonus),
    },
  }),
  step(s: CmfPointsState, i: { cmf: number }, o: PointsOutputs, p) {
    const cmf = i.cmf;
    const active = p.enabled && isNum(cmf);
    const conditions: string[] = [];
    const L = s.labels;
    let raw = 0;
    if (active) {
      raw += score(cmf > p.strongLevel, p.strong, L.strong[0], conditions);
      raw += score(cmf > 0, p.positive, L.side[0], conditions);
      raw += score(crossedAbove(s.prev, 0, cmf, 0), p.crossBonus, L.cross[0], conditions);
      raw -= score(cmf < -p.strongLevel, p.strong, L.strong[1], conditions);
      raw -= score(cmf < 0, p.positive, L.side[1], conditions);
      raw -= score(crossedBelow(s.prev, 0, cmf, 0), p.crossBonus, L.cross[1], conditions);
    }
    publish(o, 'cmf', p, active, cmf, raw, conditions);
    s.prev = cmf;
    return true;
  },
});

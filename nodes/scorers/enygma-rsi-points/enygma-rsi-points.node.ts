import { z } from 'zod';
import { defineNode } from '../../../engine/core/node-definition.ts';
import { isNum, pointsParams, POINTS_OUTPUTS, publish, type PointsOutputs } from '../_enygma/points-kit.ts';

interface RsiPointsState {
  /** condition labels, built once from the params */
  labels: { oversold: string; overbought: string };
}

/**
 * RSI's points (enygma.md §3.1): in the oversold zone weight × (1 + depth into the zone), so
 * weight at the edge and 2 × weight at RSI 0, capped at maxScore; the overbought zone mirrors.
 * ENYGMA's pipeline disables it (RSI must never trigger alone), but the node keeps the spec's
 * weight 17 so a fork only has to flip `enabled`.
 */
export const enygmaRsiPoints = defineNode({
  type: 'enygma.rsi-points',
  version: 1,
  title: 'ENYGMA RSI points',
  category: 'scorer',
  summary: 'ENYGMA RSI sub-signal points: ±weight scaled by how deep RSI is in its oversold/overbought zone, clamped.',
  params: z.object({
    ...pointsParams(17),
    // strictly inside 0..100: the scaling divides by oversold and by 100 − overbought
    oversold: z.number().gt(0).lt(100).default(30).describe('RSI at or below this scores +weight × (1 + (oversold − rsi)/oversold)'),
    overbought: z.number().gt(0).lt(100).default(70).describe('RSI at or above this scores −weight × (1 + (rsi − overbought)/(100 − overbought))'),
  }),
  inputs: { rsi: { type: 'series', help: 'RSI, 0..100' } },
  outputs: POINTS_OUTPUTS,
  syncInputs: true,
  // the RSI carries its own warm-up: NaN there just makes the node inactive (points 0)
  warmup: () => 0,
  init: (p): RsiPointsState => ({
    labels: {
      oversold: `RSI ≤ ${p.oversold}: +${p.weight} × (1 + (${p.oversold} − RSI)/${p.oversold})`,
      overbought: `RSI ≥ ${p.overbought}: -${p.weight} × (1 + (RSI − ${p.overbought})/${100 - p.overbought})`,
    },
  }),
  step(s: RsiPointsState, i: { rsi: number }, o: PointsOutputs, p) {
    const rsi = i.rsi;
    const active = p.enabled && isNum(rsi);
    const conditions: string[] = [];
    let raw = 0;
    if (active && rsi <= p.oversold) {
      raw += p.weight * (1 + (p.oversold - rsi) / p.oversold);
      conditions.push(s.labels.oversold);
    }
    if (active && rsi >= p.overbought) {
      raw -= p.weight * (1 + (rsi - p.overbought) / (100 - p.overbought));
      conditions.push(s.labels.overbought);
    }
    publish(o, 'rsi', p, active, rsi, raw, conditions);
    return true;
  },
});

import { z } from 'zod';
import { defineNode } from '../../../engine/core/node-definition.ts';
import { crossedAbove, crossedBelow, isNum, labelPair, pointsParams, pointValue, POINTS_OUTPUTS, publish, score, type PointsOutputs } from '../_enygma/points-kit.ts';

interface CciPointsState {
  prev: number;
  /** [bullish, bearish] label per condition, built once from the params */
  labels: { extreme: [string, string]; beyond: [string, string]; cross: [string, string] };
}

/**
 * CCI's points (research §2.3). The tiers add up (enygma.md §3.1): below −extremeLevel scores
 * extreme + beyond (26); crossing zero adds a bonus on its own bar. Above the levels mirrors.
 */
export const enygmaCciPoints = defineNode({
  type: 'enygma.cci-points',
  version: 1,
  title: 'ENYGMA CCI points',
  category: 'scorer',
  summary: 'ENYGMA CCI sub-signal points: beyond ±100 and ±200 tiers, zero-cross bonus; added, then clamped.',
  params: z.object({
    ...pointsParams(16),
    extreme: pointValue(16, 'CCI < −extremeLevel (mirror: > extremeLevel)'),
    beyond: pointValue(10, 'CCI < −level (mirror: > level); adds to extreme'),
    crossBonus: pointValue(5, 'CCI crosses above zero: previous ≤ 0 < CCI (mirror: below)'),
    extremeLevel: z.number().min(0).default(200).describe('CCI beyond ±this is extreme'),
    level: z.number().min(0).default(100).describe('CCI beyond ±this is overbought/oversold'),
  }),
  inputs: { cci: { type: 'series', help: 'Commodity Channel Index' } },
  outputs: POINTS_OUTPUTS,
  syncInputs: true,
  // the CCI carries its own warm-up: NaN there just makes the node inactive (points 0)
  warmup: () => 0,
  init: (p): CciPointsState => ({
    prev: NaN,
    labels: {
      extreme: labelPair(`CCI below -${p.extremeLevel}`, `CCI above ${p.extremeLevel}`, p.extreme),
      beyond: labelPair(`CCI below -${p.level}`, `CCI above ${p.level}`, p.beyond),
      cross: labelPair('CCI crossed above zero', 'CCI crossed below zero', p.crossBonus),
    },
  }),
  step(s: CciPointsState, i: { cci: number }, o: PointsOutputs, p) {
    const cci = i.cci;
    const active = p.enabled && isNum(cci);
    const conditions: string[] = [];
    const L = s.labels;
    let raw = 0;
    if (active) {
      raw += score(cci < -p.extremeLevel, p.extreme, L.extreme[0], conditions);
      raw += score(cci < -p.level, p.beyond, L.beyond[0], conditions);
      raw += score(crossedAbove(s.prev, 0, cci, 0), p.crossBonus, L.cross[0], conditions);
      raw -= score(cci > p.extremeLevel, p.extreme, L.extreme[1], conditions);
      raw -= score(cci > p.level, p.beyond, L.beyond[1], conditions);
      raw -= score(crossedBelow(s.prev, 0, cci, 0), p.crossBonus, L.cross[1], conditions);
    }
    publish(o, 'cci', p, active, cci, raw, conditions);
    s.prev = cci;
    return true;
  },
});

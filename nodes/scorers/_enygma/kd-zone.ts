/**
 * The K/D zone rule that StochRSI, Stochastic and KDJ share (research §2.3): K crossing D inside
 * the oversold zone, and K being in it, each score; the overbought side mirrors with negative
 * points. StochRSI and Stochastic are nothing more, so they are built by `kdZoneNode`.
 */
import { z } from 'zod';
import { defineNode } from '../../../engine/core/node-definition.ts';
import { crossedAbove, crossedBelow, isNum, labelPair, level, pointsParams, pointValue, POINTS_OUTPUTS, publish, score, type PointsOutputs } from './points-kit.ts';

export interface KdZoneLabels {
  crossUp: string;
  low: string;
  crossDown: string;
  high: string;
}

export function kdZoneLabels(low: number, high: number, crossPoints: number, zonePoints: number): KdZoneLabels {
  const [crossUp, crossDown] = labelPair(`K crossed above D below ${low}`, `K crossed below D above ${high}`, crossPoints);
  const [lowL, highL] = labelPair(`K below ${low}`, `K above ${high}`, zonePoints);
  return { crossUp, low: lowL, crossDown, high: highL };
}

/**
 * Raw points of the rule, pushing each matched label. "In the zone" is strict (K < low, K > high,
 * as the spec's "K < OS"); a cross needs the previous K and D (both finite) and is judged on this
 * firing's K (the cross must end inside the zone).
 */
export function kdZonePoints(
  prevK: number, prevD: number, k: number, d: number,
  low: number, high: number, crossPoints: number, zonePoints: number,
  labels: KdZoneLabels, conditions: string[],
): number {
  let raw = 0;
  raw += score(k < low && crossedAbove(prevK, prevD, k, d), crossPoints, labels.crossUp, conditions);
  raw += score(k < low, zonePoints, labels.low, conditions);
  raw -= score(k > high && crossedBelow(prevK, prevD, k, d), crossPoints, labels.crossDown, conditions);
  raw -= score(k > high, zonePoints, labels.high, conditions);
  return raw;
}

interface KdState {
  prevK: number;
  prevD: number;
  labels: KdZoneLabels;
}

/** A points node that is the K/D zone rule alone (StochRSI, Stochastic). */
export function kdZoneNode(o: { type: string; indicator: string; title: string; of: string; weight: number; crossInZone: number; inZone: number }) {
  return defineNode({
    type: o.type,
    version: 1,
    title: o.title,
    category: 'scorer',
    summary: `ENYGMA ${o.of} sub-signal points: K crossing D in the oversold/overbought zone, K in the zone; added, then clamped.`,
    params: z.object({
      ...pointsParams(o.weight),
      oversold: level(20, 'K below this is oversold (strict)'),
      overbought: level(80, 'K above this is overbought (strict)'),
      crossInZone: pointValue(o.crossInZone, 'K crosses above D while K < oversold (mirror: below D while K > overbought)'),
      inZone: pointValue(o.inZone, 'K < oversold (mirror: K > overbought)'),
    }),
    inputs: { k: { type: 'series', help: `${o.of} %K` }, d: { type: 'series', help: `${o.of} %D` } },
    outputs: POINTS_OUTPUTS,
    syncInputs: true,
    // the inputs carry their own warm-up: NaN there just makes the node inactive (points 0)
    warmup: () => 0,
    init: (p): KdState => ({ prevK: NaN, prevD: NaN, labels: kdZoneLabels(p.oversold, p.overbought, p.crossInZone, p.inZone) }),
    step(s: KdState, i: { k: number; d: number }, out: PointsOutputs, p) {
      const active = p.enabled && isNum(i.k) && isNum(i.d);
      const conditions: string[] = [];
      const raw = active ? kdZonePoints(s.prevK, s.prevD, i.k, i.d, p.oversold, p.overbought, p.crossInZone, p.inZone, s.labels, conditions) : 0;
      publish(out, o.indicator, p, active, i.k, raw, conditions);
      // NaN is stored too, so no cross is read across a gap in the inputs
      s.prevK = i.k;
      s.prevD = i.d;
      return true;
    },
  });
}

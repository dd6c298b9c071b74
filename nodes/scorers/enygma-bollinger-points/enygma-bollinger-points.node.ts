import { z } from 'zod';
import { defineNode } from '../../../engine/core/node-definition.ts';
import { isNum, labelPair, level, pointsParams, pointValue, POINTS_OUTPUTS, publish, score, type PointsOutputs } from '../_enygma/points-kit.ts';

interface BollingerPointsState {
  prevClose: number;
  /** [bullish, bearish] label per condition, built once from the params */
  labels: { outside: [string, string]; reversal: [string, string]; walk: [string, string] };
}

interface BollingerInputs {
  close: number;
  upper: number;
  middle: number;
  lower: number;
  percentB: number;
}

/**
 * Bollinger's points (research §2.3): below the lower band, a bounce (close up from the previous
 * close) while still below it, and walking the upper band above the middle. Bearish mirrors with
 * the upper band, a rejection and the lower walk. All add up, so a close above the upper band
 * scores −outside + walk: the spec's conditions partly cancel there, and that is kept.
 */
export const enygmaBollingerPoints = defineNode({
  type: 'enygma.bollinger-points',
  version: 1,
  title: 'ENYGMA Bollinger points',
  category: 'scorer',
  summary: 'ENYGMA Bollinger sub-signal points: outside a band, bounce/rejection there, band walk; added, then clamped.',
  params: z.object({
    ...pointsParams(20),
    outside: pointValue(10, 'close < lower band (mirror: close > upper band)'),
    reversal: pointValue(20, 'close < lower band and close > previous close (mirror: > upper and < previous)'),
    walk: pointValue(5, 'close > middle and %B > walkUpper (mirror: close < middle and %B < walkLower)'),
    walkUpper: level(0.8, '%B above this (with close > middle) is walking the upper band'),
    walkLower: level(0.2, '%B below this (with close < middle) is walking the lower band'),
  }),
  inputs: {
    close: { type: 'series', help: 'the close the bands were computed from' },
    upper: { type: 'series' },
    middle: { type: 'series' },
    lower: { type: 'series' },
    percentB: { type: 'series', help: '(close − lower)/(upper − lower)' },
  },
  outputs: POINTS_OUTPUTS,
  syncInputs: true,
  // the bands carry their own warm-up: NaN there just makes the node inactive (points 0)
  warmup: () => 0,
  init: (p): BollingerPointsState => ({
    prevClose: NaN,
    labels: {
      outside: labelPair('close below lower band', 'close above upper band', p.outside),
      reversal: labelPair('bounce below lower band (close up)', 'rejection above upper band (close down)', p.reversal),
      walk: labelPair(`walking upper band (%B > ${p.walkUpper})`, `walking lower band (%B < ${p.walkLower})`, p.walk),
    },
  }),
  step(s: BollingerPointsState, i: BollingerInputs, o: PointsOutputs, p) {
    const { close, upper, middle, lower, percentB: b } = i;
    const active = p.enabled && isNum(close) && isNum(upper) && isNum(middle) && isNum(lower) && isNum(b);
    const conditions: string[] = [];
    const L = s.labels;
    let raw = 0;
    if (active) {
      // a NaN previous close (first firing, gap) makes the bounce/rejection false
      raw += score(close < lower, p.outside, L.outside[0], conditions);
      raw += score(close < lower && close > s.prevClose, p.reversal, L.reversal[0], conditions);
      raw += score(close > middle && b > p.walkUpper, p.walk, L.walk[0], conditions);
      raw -= score(close > upper, p.outside, L.outside[1], conditions);
      raw -= score(close > upper && close < s.prevClose, p.reversal, L.reversal[1], conditions);
      raw -= score(close < middle && b < p.walkLower, p.walk, L.walk[1], conditions);
    }
    publish(o, 'bollinger', p, active, b, raw, conditions);
    s.prevClose = close;
    return true;
  },
});

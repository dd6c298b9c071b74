import { z } from 'zod';
import { defineNode } from '../../../engine/core/node-definition.ts';
import { crossedAbove, crossedBelow, isNum, labelPair, pointsParams, pointValue, POINTS_OUTPUTS, publish, score, type PointsOutputs } from '../_enygma/points-kit.ts';

interface MacdPointsState {
  prevMacd: number;
  prevSignal: number;
  prevHist: number;
  /** [bullish, bearish] label per condition, built once from the params */
  labels: { strengthening: [string, string]; weakening: [string, string]; cross: [string, string] };
}

interface MacdInputs {
  macd: number;
  signal: number;
  histogram: number;
}

/**
 * MACD's points (research §2.3). Above the signal with a positive histogram, the trend scores
 * `trendStrengthening` while the histogram grows and `trendWeakening` while it does not; the
 * crossing bar adds `cross`. Below the signal with a negative histogram mirrors, "strengthening"
 * then meaning the histogram falls further.
 */
export const enygmaMacdPoints = defineNode({
  type: 'enygma.macd-points',
  version: 1,
  title: 'ENYGMA MACD points',
  category: 'scorer',
  summary: 'ENYGMA MACD sub-signal points: trend strengthening or weakening, plus the signal-line cross; added, then clamped.',
  params: z.object({
    ...pointsParams(18),
    trendStrengthening: pointValue(18, 'MACD > signal, histogram > 0 and > previous (mirror: <, < 0, < previous)'),
    trendWeakening: pointValue(12, 'MACD > signal, histogram > 0 and ≤ previous (mirror: <, < 0, ≥ previous)'),
    cross: pointValue(15, 'MACD crosses above the signal line (mirror: below)'),
  }),
  inputs: {
    macd: { type: 'series', help: 'MACD line' },
    signal: { type: 'series', help: 'signal line' },
    histogram: { type: 'series', help: 'MACD − signal' },
  },
  outputs: POINTS_OUTPUTS,
  syncInputs: true,
  // the MACD carries its own warm-up: NaN there just makes the node inactive (points 0)
  warmup: () => 0,
  init: (p): MacdPointsState => ({
    prevMacd: NaN,
    prevSignal: NaN,
    prevHist: NaN,
    labels: {
      strengthening: labelPair('MACD above signal, histogram positive and rising', 'MACD below signal, histogram negative and falling', p.trendStrengthening),
      weakening: labelPair('MACD above signal, histogram positive but not rising', 'MACD below signal, histogram negative but not falling', p.trendWeakening),
      cross: labelPair('MACD crossed above signal', 'MACD crossed below signal', p.cross),
    },
  }),
  step(s: MacdPointsState, i: MacdInputs, o: PointsOutputs, p) {
    const { macd, signal, histogram: h } = i;
    const active = p.enabled && isNum(macd) && isNum(signal) && isNum(h);
    const conditions: string[] = [];
    const L = s.labels;
    let raw = 0;
    if (active) {
      // with no previous histogram (NaN) neither rising nor falling is known, so neither scores
      const up = macd > signal && h > 0;
      const down = macd < signal && h < 0;
      raw += score(up && h > s.prevHist, p.trendStrengthening, L.strengthening[0], conditions);
      raw += score(up && h <= s.prevHist, p.trendWeakening, L.weakening[0], conditions);
      raw += score(crossedAbove(s.prevMacd, s.prevSignal, macd, signal), p.cross, L.cross[0], conditions);
      raw -= score(down && h < s.prevHist, p.trendStrengthening, L.strengthening[1], conditions);
      raw -= score(down && h >= s.prevHist, p.trendWeakening, L.weakening[1], conditions);
      raw -= score(crossedBelow(s.prevMacd, s.prevSignal, macd, signal), p.cross, L.cross[1], conditions);
    }
    publish(o, 'macd', p, active, h, raw, conditions);
    s.prevMacd = macd;
    s.prevSignal = signal;
    s.prevHist = h;
    return true;
  },
});

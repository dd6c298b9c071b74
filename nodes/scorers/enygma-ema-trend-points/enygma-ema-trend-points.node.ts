import { z } from 'zod';
import { defineNode } from '../../../engine/core/node-definition.ts';
import { crossedAbove, crossedBelow, isNum, labelPair, pointsParams, pointValue, POINTS_OUTPUTS, publish, score, type PointsOutputs } from '../_enygma/points-kit.ts';

interface EmaTrendPointsState {
  prevShort: number;
  prevLong: number;
  /** [bullish, bearish] label per condition, built once from the params */
  labels: { cross: [string, string]; stack: [string, string]; side: [string, string] };
}

interface EmaTrendInputs {
  close: number;
  short: number;
  medium: number;
  long: number;
}

/**
 * The EMA trend's points (research §2.3): the short EMA crossing the long one (golden/death
 * cross), the three EMAs stacked in order, and the close on the trend's side of the long EMA.
 * All three together add to 40, clamped to maxScore 38. The periods (10/25/50) are the EMA
 * nodes' params in YAML; this node only compares what it is given.
 */
export const enygmaEmaTrendPoints = defineNode({
  type: 'enygma.ema-trend-points',
  version: 1,
  title: 'ENYGMA EMA trend points',
  category: 'scorer',
  summary: 'ENYGMA EMA-trend sub-signal points: golden/death cross, stacked EMAs, close vs the long EMA; added, then clamped.',
  params: z.object({
    ...pointsParams(19),
    golden: pointValue(20, 'short EMA crosses above the long EMA (mirror: death cross, below)'),
    stack: pointValue(15, 'short > medium > long (mirror: short < medium < long)'),
    aboveLong: pointValue(5, 'close > long EMA (mirror: close < long EMA)'),
  }),
  inputs: {
    close: { type: 'series' },
    short: { type: 'series', help: 'short EMA (10 in ENYGMA)' },
    medium: { type: 'series', help: 'medium EMA (25)' },
    long: { type: 'series', help: 'long EMA (50)' },
  },
  outputs: POINTS_OUTPUTS,
  syncInputs: true,
  // the EMAs carry their own warm-up: NaN there just makes the node inactive (points 0)
  warmup: () => 0,
  init: (p): EmaTrendPointsState => ({
    prevShort: NaN,
    prevLong: NaN,
    labels: {
      cross: labelPair('golden cross (short EMA crossed above long)', 'death cross (short EMA crossed below long)', p.golden),
      stack: labelPair('EMAs stacked up (short > medium > long)', 'EMAs stacked down (short < medium < long)', p.stack),
      side: labelPair('close above long EMA', 'close below long EMA', p.aboveLong),
    },
  }),
  step(s: EmaTrendPointsState, i: EmaTrendInputs, o: PointsOutputs, p) {
    const { close, short, medium, long } = i;
    const active = p.enabled && isNum(close) && isNum(short) && isNum(medium) && isNum(long);
    const conditions: string[] = [];
    const L = s.labels;
    let raw = 0;
    if (active) {
      raw += score(crossedAbove(s.prevShort, s.prevLong, short, long), p.golden, L.cross[0], conditions);
      raw += score(short > medium && medium > long, p.stack, L.stack[0], conditions);
      raw += score(close > long, p.aboveLong, L.side[0], conditions);
      raw -= score(crossedBelow(s.prevShort, s.prevLong, short, long), p.golden, L.cross[1], conditions);
      raw -= score(short < medium && medium < long, p.stack, L.stack[1], conditions);
      raw -= score(close < long, p.aboveLong, L.side[1], conditions);
    }
    // the headline value is the short–long spread: its sign is the trend
    publish(o, 'emaTrend', p, active, short - long, raw, conditions);
    s.prevShort = short;
    s.prevLong = long;
    return true;
  },
});

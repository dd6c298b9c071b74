import { z } from 'zod';
import { defineNode } from '../../../engine/core/node-definition.ts';
import { isNum, labelPair, pointsParams, pointValue, POINTS_OUTPUTS, publish, score, type PointsOutputs } from '../_enygma/points-kit.ts';

interface ObvPointsState {
  prevClose: number;
  prevObv: number;
  /** [bullish, bearish] label per condition, built once from the params */
  labels: { confirmation: [string, string]; divergence: [string, string] };
}

interface ObvInputs {
  close: number;
  obv: number;
  obvAverage: number;
}

/**
 * OBV's points (research §2.3), bar over bar: price and OBV rising together with OBV above its
 * average confirm (+); price falling while OBV rises is a bullish divergence (+); the mirrors
 * score negative. At most one of the four holds on a bar. Note: an OBV built from the same
 * closes moves with them, so the divergence only fires when OBV comes from elsewhere (another
 * venue's volume, say); the spec's wording is kept as it is.
 */
export const enygmaObvPoints = defineNode({
  type: 'enygma.obv-points',
  version: 1,
  title: 'ENYGMA OBV points',
  category: 'scorer',
  // OBV's level is arbitrary (it depends on where the data began); these rules only compare it with
  // its own previous value and average, so the points do not depend on that level.
  historyInvariant: true,
  summary: 'ENYGMA OBV sub-signal points: price and OBV confirming above the OBV average, or diverging; clamped.',
  params: z.object({
    ...pointsParams(18),
    confirmation: pointValue(18, 'close up, OBV up and OBV > its average (mirror: down, down, below)'),
    divergence: pointValue(10, 'close down while OBV up (mirror: close up while OBV down)'),
  }),
  inputs: {
    close: { type: 'series' },
    obv: { type: 'series', help: 'on-balance volume' },
    obvAverage: { type: 'series', help: 'its average, SMA(OBV, 20) in ENYGMA' },
  },
  outputs: POINTS_OUTPUTS,
  syncInputs: true,
  // the OBV average carries its own warm-up: NaN there just makes the node inactive (points 0)
  warmup: () => 0,
  init: (p): ObvPointsState => ({
    prevClose: NaN,
    prevObv: NaN,
    labels: {
      confirmation: labelPair('price and OBV up, OBV above its average', 'price and OBV down, OBV below its average', p.confirmation),
      divergence: labelPair('bullish divergence (price down, OBV up)', 'bearish divergence (price up, OBV down)', p.divergence),
    },
  }),
  step(s: ObvPointsState, i: ObvInputs, o: PointsOutputs, p) {
    const { close, obv, obvAverage: avg } = i;
    const active = p.enabled && isNum(close) && isNum(obv) && isNum(avg);
    const conditions: string[] = [];
    const L = s.labels;
    let raw = 0;
    if (active) {
      // "up"/"down" are against the previous firing; a NaN there (first firing, gap) is neither
      const priceUp = close > s.prevClose;
      const priceDown = close < s.prevClose;
      const obvUp = obv > s.prevObv;
      const obvDown = obv < s.prevObv;
      raw += score(priceUp && obvUp && obv > avg, p.confirmation, L.confirmation[0], conditions);
      raw += score(priceDown && obvUp, p.divergence, L.divergence[0], conditions);
      raw -= score(priceDown && obvDown && obv < avg, p.confirmation, L.confirmation[1], conditions);
      raw -= score(priceUp && obvDown, p.divergence, L.divergence[1], conditions);
    }
    // the headline value is OBV's distance from its average
    publish(o, 'obv', p, active, obv - avg, raw, conditions);
    s.prevClose = close;
    s.prevObv = obv;
    return true;
  },
});

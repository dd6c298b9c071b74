import { z } from 'zod';
import { defineNode } from '../../../engine/core/node-definition.ts';
import { adxBatch } from './adx.batch.ts';

interface AdxState {
  prevHigh: number; // NaN until the first bar: bar 0 only opens the series
  prevLow: number;
  prevClose: number;
  bars: number; // bars consumed since the first one, capped at 2·period once ADX runs
  plusDm: number; // Wilder sums (not averages), as TA-Lib keeps them
  minusDm: number;
  tr: number;
  adx: number; // the DX sum while seeding, then the ADX
}

interface AdxOutputs {
  adx: number;
  plusDi: number;
  minusDi: number;
}

// TA_IS_ZERO (ta_utility.h: TA_EPSILON = 1e-14)
const EPS = 1e-14;
const settleTolerance = 1e-11;

/**
 * Wilder's ADX with +DI/−DI, in TA-Lib's operation order (TA_ADX, TA_PLUS_DI, TA_MINUS_DI): the
 * DM and TR sums are seeded over period−1 moves, each later move does `s − s/period + x`, and the
 * first ADX is the sum of the first `period` DX divided by `period`. A DX that cannot be formed
 * (TR or +DI+−DI within 1e-14 of zero) adds nothing to the seed and leaves the ADX unchanged.
 */
export const adx = defineNode({
  type: 'indicator.adx',
  version: 1,
  title: 'ADX',
  category: 'indicator',
  summary: 'Average directional index with the plus and minus directional indicators (TA-Lib).',
  params: z.object({
    period: z.number().int().min(2).max(10_000).default(14).describe('Wilder smoothing period'),
  }),
  inputs: { high: { type: 'series' }, low: { type: 'series' }, close: { type: 'series' } },
  outputs: {
    adx: { type: 'series', help: 'average directional index, 0..100' },
    plusDi: { type: 'series', help: '+DI, 0..100' },
    minusDi: { type: 'series', help: '−DI, 0..100' },
  },
  syncInputs: true,
  batch: adxBatch,
  warmup: (p) => ({ plusDi: p.period, minusDi: p.period, adx: 2 * p.period - 1 }),
  // The DI sums forget their start like one Wilder smoother (N firings to 1e-11). The ADX smooths
  // their DX with the same factor, so a start-up error decays as (t/period)·(1−1/period)^t: it
  // needs ln(1 + N/period) more decay time on top.
  settle: (p) => {
    const decay = -Math.log(1 - 1 / p.period);
    const n = Math.ceil(-Math.log(settleTolerance) / decay);
    return 2 * p.period - 1 + n + Math.ceil(Math.log(1 + n / p.period) / decay);
  },
  init: (): AdxState => ({
    prevHigh: NaN,
    prevLow: NaN,
    prevClose: NaN,
    bars: 0,
    plusDm: 0,
    minusDm: 0,
    tr: 0,
    adx: 0,
  }),
  step(s: AdxState, i: { high: number; low: number; close: number }, o: AdxOutputs, p) {
    const h = i.high;
    const l = i.low;
    const c = i.close;
    if (h !== h || l !== l || c !== c) {
      o.adx = o.plusDi = o.minusDi = NaN;
      return true;
    }
    const diffP = h - s.prevHigh;
    const diffM = s.prevLow - l;
    const pc = s.prevClose;
    s.prevHigh = h;
    s.prevLow = l;
    s.prevClose = c;
    const bars = ++s.bars;
    if (bars === 1) {
      o.adx = o.plusDi = o.minusDi = NaN;
      return true;
    }
    let tr = h - l;
    const up = Math.abs(h - pc);
    if (up > tr) tr = up;
    const down = Math.abs(l - pc);
    if (down > tr) tr = down;

    const n = p.period;
    if (bars <= n) {
      if (diffM > 0 && diffP < diffM) s.minusDm += diffM;
      else if (diffP > 0 && diffP > diffM) s.plusDm += diffP;
      s.tr += tr;
      o.adx = o.plusDi = o.minusDi = NaN;
      return true;
    }
    let minusDm = s.minusDm - s.minusDm / n;
    let plusDm = s.plusDm - s.plusDm / n;
    if (diffM > 0 && diffP < diffM) minusDm += diffM;
    else if (diffP > 0 && diffP > diffM) plusDm += diffP;
    const trSum = s.tr - s.tr / n + tr;
    s.minusDm = minusDm;
    s.plusDm = plusDm;
    s.tr = trSum;

    let dx = NaN;
    if (-EPS < trSum && trSum < EPS) {
      o.plusDi = o.minusDi = 0;
    } else {
      const minusDi = 100 * (minusDm / trSum);
      const plusDi = 100 * (plusDm / trSum);
      o.plusDi = plusDi;
      o.minusDi = minusDi;
      const diSum = minusDi + plusDi;
      if (!(-EPS < diSum && diSum < EPS)) dx = 100 * (Math.abs(minusDi - plusDi) / diSum);
    }

    if (bars < 2 * n) {
      if (dx === dx) s.adx += dx;
      o.adx = NaN;
    } else if (bars === 2 * n) {
      if (dx === dx) s.adx += dx;
      s.adx /= n;
      o.adx = s.adx;
    } else {
      s.bars = 2 * n; // keeps the counter bounded on endless feeds
      if (dx === dx) s.adx = (s.adx * (n - 1) + dx) / n;
      o.adx = s.adx;
    }
    return true;
  },
});

import { z } from 'zod';
import { defineNode } from '../../../engine/core/node-definition.ts';
import { ring, ringFull, ringPush, type Ring } from '../../_kit/ring.ts';
import { highLowFull, highLowPush, highLowWindow, type HighLowWindow } from './high-low-window.ts';
import { stochasticBatch } from './stochastic.batch.ts';

interface StochasticState {
  range: HighLowWindow;
  raw: Ring;
  k: Ring;
}

interface Bars {
  high: number;
  low: number;
  close: number;
}

/**
 * Slow stochastic, TA-Lib STOCH with SMA smoothing. A flat window (highest high == lowest low) gives
 * a raw %K of 50: the close sits mid-range of a zero-width range, and TA-Lib's 0 would read as
 * "deeply oversold" exactly where nothing happened.
 */
export const stochastic = defineNode({
  type: 'indicator.stochastic',
  version: 1,
  title: 'Stochastic',
  category: 'indicator',
  summary: 'Slow stochastic oscillator: where the close sits in the recent high-low range (0..100), smoothed (k) and signal (d).',
  params: z.object({
    kPeriod: z.number().int().min(1).max(10_000).default(14).describe('bars in the highest-high / lowest-low window'),
    smoothK: z.number().int().min(1).max(10_000).default(3).describe('SMA length turning raw %K into k'),
    dPeriod: z.number().int().min(1).max(10_000).default(3).describe('SMA length of k giving d'),
  }),
  inputs: { high: { type: 'series' }, low: { type: 'series' }, close: { type: 'series' } },
  outputs: { k: { type: 'series' }, d: { type: 'series' } },
  syncInputs: true,
  batch: stochasticBatch,
  warmup: (p) => ({ k: p.kPeriod + p.smoothK - 2, d: p.kPeriod + p.smoothK + p.dPeriod - 3 }),
  init: (p): StochasticState => ({
    range: highLowWindow(p.kPeriod),
    raw: ring(p.smoothK),
    k: ring(p.dPeriod),
  }),
  step(s: StochasticState, i: Bars, o: { k: number; d: number }, p) {
    const close = i.close;
    if (i.high !== i.high || i.low !== i.low || close !== close) {
      o.k = NaN;
      o.d = NaN;
      return true;
    }
    const w = s.range;
    highLowPush(w, i.high, i.low);
    if (!highLowFull(w)) {
      o.k = NaN;
      o.d = NaN;
      return true;
    }
    const span = w.high - w.low;
    // (C − LL) / (HH − LL) × 100 rather than TA-Lib's (C − LL) / ((HH − LL) / 100): a close at the high
    // then gives exactly 100 (TA-Lib's can round past it); the two differ by an ulp at most.
    const raw = span === 0 ? 50 : ((close - w.low) / span) * 100;
    ringPush(s.raw, raw);
    if (!ringFull(s.raw)) {
      o.k = NaN;
      o.d = NaN;
      return true;
    }
    const k = mean(s.raw);
    ringPush(s.k, k);
    o.k = k;
    o.d = ringFull(s.k) ? mean(s.k) : NaN;
    return true;
  },
});

/**
 * The smoothing windows are short (3 by default), so they are re-added every bar rather than kept
 * as running sums: k and d then carry no rounding residue from earlier bars, and a flat stretch
 * reads exactly 50 (a running sum leaves 49.99999999999983, which flickers across 50).
 */
function mean(r: Ring): number {
  const items = r.items;
  const n = items.length;
  let sum = 0;
  for (let j = 0; j < n; j++) sum += items[j]!;
  return sum / n;
}

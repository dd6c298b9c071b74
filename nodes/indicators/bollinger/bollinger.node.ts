import { z } from 'zod';
import { defineNode } from '../../../engine/core/node-definition.ts';
import { ring, ringFull, ringPush, type Ring } from '../../_kit/ring.ts';
import { bollingerBatch } from './bollinger.batch.ts';

interface BollingerState {
  window: Ring;
  /** a window value near its mean at the last recount; the sums are of x − shift */
  shift: number;
  s1: number;
  s2: number;
  /** Σ of the magnitudes rounded into s2 since the last recount: eps × churn bounds its error */
  churn: number;
  /** bars since the last recount */
  since: number;
}

interface Bands {
  upper: number;
  middle: number;
  lower: number;
  percentB: number;
  bandwidth: number;
}

/** recount once s2's rounding error could exceed ~2 × eps × 4096 ≈ 2e-12 of the window's M2... */
const CHURN_LIMIT = 4096;
/** ...or after this many bars, which bounds the rounding in s1 (the mean) as tightly */
const RECOUNT_EVERY = 4096;

/**
 * Bollinger Bands with the population standard deviation. TA-Lib's Σx²/n − mean², kept as running
 * sums, loses up to 3e-8 of σ on BTC 5m; here the sums are of x − shift with the shift near the
 * mean (no cancellation), updated in O(1), and recounted exactly (O(period)) as soon as their
 * possible rounding error grows past ~1e-12 of the variance: a spike leaving, a run going flat, a
 * trend carrying the mean away from the shift. On real candles that is every few periods (every
 * ~128 bars at period 20), well under one extra addition per bar.
 */
export const bollinger = defineNode({
  type: 'indicator.bollinger',
  version: 1,
  title: 'Bollinger Bands',
  category: 'indicator',
  summary: 'Bollinger Bands: SMA ± stdDev population standard deviations, with %B and bandwidth as fractions.',
  params: z.object({
    period: z.number().int().min(2).max(10_000).default(20).describe('bars in the window'),
    stdDev: z.number().positive().max(100).default(2).describe('band half-width, in population standard deviations'),
  }),
  inputs: { source: { type: 'series' } },
  outputs: { upper: { type: 'series' }, middle: { type: 'series' }, lower: { type: 'series' }, percentB: { type: 'series' }, bandwidth: { type: 'series' } },
  syncInputs: true,
  batch: bollingerBatch,
  warmup: (p) => p.period - 1,
  init: (p): BollingerState => ({ window: ring(p.period), shift: 0, s1: 0, s2: 0, churn: 0, since: 0 }),
  step(s: BollingerState, i: { source: number }, o: Bands, p) {
    const x = i.source;
    if (x !== x) return blank(o);
    const r = s.window;
    const out = ringPush(r, x);
    const d = x - s.shift;
    let s1 = s.s1 + d;
    let s2 = s.s2 + d * d;
    let churn = s.churn + d * d;
    if (out === out) {
      const e = out - s.shift;
      s1 -= e;
      s2 -= e * e;
      churn += e * e;
    }
    s.s1 = s1;
    s.s2 = s2;
    s.churn = churn + Math.abs(s2);
    if (!ringFull(r)) return blank(o);
    const n = p.period;
    let m2 = s2 - (s1 * s1) / n;
    // true as well when m2 ≤ 0 after any churn: a window gone flat recounts to exact zeros
    if (s.churn > CHURN_LIMIT * m2 || ++s.since >= RECOUNT_EVERY) {
      recount(s, n);
      m2 = s.s2 - (s.s1 * s.s1) / n;
    }
    const offset = s.s1 / n; // mean − shift
    const middle = s.shift + offset;
    const band = m2 > 0 ? p.stdDev * Math.sqrt(m2 / n) : 0;
    const upper = middle + band;
    const lower = middle - band;
    o.upper = upper;
    o.middle = middle;
    o.lower = lower;
    if (upper === lower) {
      o.percentB = 0.5;
      o.bandwidth = 0;
    } else {
      // from the deviation and σ directly, not from the rounded bands: exact to ~1e-15 even when
      // σ is a few ulps of the price; x − shift is exact (Sterbenz) for prices within a factor 2
      o.percentB = 0.5 + (x - s.shift - offset) / (2 * band);
      o.bandwidth = middle === 0 ? NaN : (2 * band) / middle;
    }
    return true;
  },
});

function blank(o: Bands): true {
  o.upper = NaN;
  o.middle = NaN;
  o.lower = NaN;
  o.percentB = NaN;
  o.bandwidth = NaN;
  return true;
}

/**
 * Exact sums of the full window. The shift is the window value nearest the mean: differences from
 * it are exact for prices within a factor 2 (Sterbenz), a flat window gives exact zeros, and
 * (mean − shift)² ≤ variance, so s2 − s1²/n loses at most one bit.
 */
function recount(s: BollingerState, n: number): void {
  const items = s.window.items;
  let sum = 0;
  for (let j = 0; j < n; j++) sum += items[j]!;
  const mean = sum / n;
  let shift = items[0]!;
  let gap = Math.abs(shift - mean);
  for (let j = 1; j < n; j++) {
    const g = Math.abs(items[j]! - mean);
    if (g < gap) {
      gap = g;
      shift = items[j]!;
    }
  }
  let s1 = 0;
  let s2 = 0;
  for (let j = 0; j < n; j++) {
    const d = items[j]! - shift;
    s1 += d;
    s2 += d * d;
  }
  s.shift = shift;
  s.s1 = s1;
  s.s2 = s2;
  s.churn = s2;
  s.since = 0;
}

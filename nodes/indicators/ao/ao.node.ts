import { z } from 'zod';
import { defineNode } from '../../../engine/core/node-definition.ts';
import { ring, ringAt, ringFull, ringPush, type Ring } from '../../_kit/ring.ts';
import { aoBatch } from './ao.batch.ts';

interface AoState {
  /** the last `slow` median prices; the fast window is the newest `fast` of them */
  medians: Ring;
  fastSum: number;
  slowSum: number;
  /** the newest median price, and how many bars in a row it has repeated (capped at slow) */
  last: number;
  run: number;
}

/**
 * Awesome Oscillator: SMA(fast) − SMA(slow) of the median price (H + L) / 2. The two running sums
 * are re-added from the window once per `slow` bars, so rounding cannot accumulate over a long run
 * (TA-Lib's and @ixjb94's running sums drift to ~3e-12 relative over 65k BTC 5m bars). A flat
 * window gives exactly 0: the two means of equal values can round apart, and TA-Lib reports
 * ±2e-11 there at BTC prices, enough to flip the sign a zero-cross signal reads.
 */
export const ao = defineNode({
  type: 'indicator.ao',
  version: 1,
  title: 'Awesome Oscillator',
  category: 'indicator',
  summary: "Awesome Oscillator: the fast SMA minus the slow SMA of the bar's median price (H + L) / 2.",
  params: z
    .object({
      fast: z.number().int().min(1).max(10_000).default(5).describe('bars in the fast SMA of the median price'),
      slow: z.number().int().min(2).max(10_000).default(34).describe('bars in the slow SMA of the median price (longer than fast)'),
    })
    .refine((p) => p.fast < p.slow, {
      path: ['fast'],
      error: (issue) => {
        const p = issue.input as { fast: number; slow: number };
        return `fast (${p.fast}) must be shorter than slow (${p.slow}): AO subtracts the slow average of the median price from the fast one`;
      },
    }),
  inputs: { high: { type: 'series' }, low: { type: 'series' } },
  outputs: { value: { type: 'series' } },
  syncInputs: true,
  batch: aoBatch,
  warmup: (p) => p.slow - 1,
  init: (p): AoState => ({ medians: ring(p.slow), fastSum: 0, slowSum: 0, last: 0, run: 0 }),
  step(s: AoState, i: { high: number; low: number }, o: { value: number }, p) {
    if (i.high !== i.high || i.low !== i.low) {
      o.value = NaN;
      return true;
    }
    const m = (i.high + i.low) / 2;
    const r = s.medians;
    const slowOut = ringPush(r, m);
    if (slowOut === slowOut) s.slowSum -= slowOut;
    s.slowSum += m;
    if (r.size > p.fast) s.fastSum -= ringAt(r, r.size - 1 - p.fast);
    s.fastSum += m;
    s.run = m === s.last ? Math.min(s.run + 1, p.slow) : 1;
    s.last = m;
    if (!ringFull(r)) {
      o.value = NaN;
      return true;
    }
    // head wraps to 0 once per `slow` pushes (and on the first full window)
    if (r.head === 0) resum(s, p.fast);
    o.value = s.run === p.slow ? 0 : s.fastSum / p.fast - s.slowSum / p.slow;
    return true;
  },
});

/** Exact sums of a full window whose oldest value sits at items[0]. */
function resum(s: AoState, fast: number): void {
  const items = s.medians.items;
  const n = items.length;
  let slow = 0;
  for (let j = 0; j < n - fast; j++) slow += items[j]!;
  let sum = 0;
  for (let j = n - fast; j < n; j++) sum += items[j]!;
  s.fastSum = sum;
  s.slowSum = slow + sum;
}

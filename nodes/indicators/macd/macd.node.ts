import { z } from 'zod';
import { defineNode } from '../../../engine/core/node-definition.ts';
import { macdBatch } from './macd.batch.ts';

interface MacdState {
  kFast: number;
  kSlow: number;
  kSignal: number;
  /** inputs consumed, capped at `slow` once both EMAs are seeded */
  count: number;
  fastSum: number;
  slowSum: number;
  fast: number;
  slow: number;
  /** MACD values consumed by the signal line, capped at `signal` */
  signalCount: number;
  signalSum: number;
  signal: number;
}

/**
 * MACD exactly as TA_MACD computes it: both EMAs start at index slow−1, so the fast one is seeded
 * with the SMA of the `fast` values ending there (not the first `fast` values) and the slow one
 * with the SMA of the first `slow`; the signal is an EMA of MACD seeded with the SMA of its first
 * `signal` values. Sums run left to right and updates are `ema += (x − ema)·k`, as in TA_INT_EMA,
 * so the results agree to the last bits.
 */
export const macd = defineNode({
  type: 'indicator.macd',
  version: 1,
  title: 'MACD',
  category: 'indicator',
  summary: 'Moving average convergence/divergence: EMA(fast) − EMA(slow), its EMA signal line and their difference.',
  params: z
    .object({
      fast: z.number().int().min(2).max(10_000).default(12).describe('fast EMA period'),
      slow: z.number().int().min(2).max(10_000).default(26).describe('slow EMA period (longer than fast)'),
      signal: z.number().int().min(1).max(10_000).default(9).describe('EMA period of the signal line'),
    })
    .superRefine((p, ctx) => {
      if (p.fast >= p.slow) {
        ctx.addIssue({ code: 'custom', path: ['fast'], message: `fast (${p.fast}) must be shorter than slow (${p.slow})` });
      }
    }),
  inputs: { source: { type: 'series' } },
  outputs: { macd: { type: 'series' }, signal: { type: 'series' }, histogram: { type: 'series' } },
  syncInputs: true,
  batch: macdBatch,
  warmup: (p) => ({ macd: p.slow - 1, signal: p.slow + p.signal - 2, histogram: p.slow + p.signal - 2 }),
  // MACD is a difference of EMAs, about 1e-3 of the price, while a seed can be off by a good part
  // of the price: the slower of the smoothers must forget its seed to 1e-15, not 1e-11.
  settle: (p) => p.slow + p.signal - 2 + Math.ceil(Math.log(1e-15) / Math.log(1 - 2 / (Math.max(p.slow, p.signal) + 1))),
  init: (p): MacdState => ({
    kFast: 2 / (p.fast + 1),
    kSlow: 2 / (p.slow + 1),
    kSignal: 2 / (p.signal + 1),
    count: 0,
    fastSum: 0,
    slowSum: 0,
    fast: NaN,
    slow: NaN,
    signalCount: 0,
    signalSum: 0,
    signal: NaN,
  }),
  step(s: MacdState, i: { source: number }, o: { macd: number; signal: number; histogram: number }, p) {
    const x = i.source;
    o.signal = NaN;
    o.histogram = NaN;
    if (x !== x) {
      o.macd = NaN;
      return true;
    }
    if (s.count === p.slow) {
      s.fast = (x - s.fast) * s.kFast + s.fast;
      s.slow = (x - s.slow) * s.kSlow + s.slow;
    } else {
      s.slowSum += x;
      if (s.count >= p.slow - p.fast) s.fastSum += x;
      if (++s.count < p.slow) {
        o.macd = NaN;
        return true;
      }
      s.fast = s.fastSum / p.fast;
      s.slow = s.slowSum / p.slow;
    }
    const m = s.fast - s.slow;
    o.macd = m;
    if (s.signalCount === p.signal) {
      s.signal = (m - s.signal) * s.kSignal + s.signal;
    } else {
      s.signalSum += m;
      if (++s.signalCount < p.signal) return true;
      s.signal = s.signalSum / p.signal;
    }
    o.signal = s.signal;
    o.histogram = m - s.signal;
    return true;
  },
});

import { z } from 'zod';
import { defineNode } from '../../../engine/core/node-definition.ts';
import { smootherSettle } from '../ema/ema.node.ts';
import { rsiBatch, rsiGpu } from './rsi.batch.ts';

/** Wilder's averages as plain data; shared with indicator.stoch-rsi. */
export interface RsiState {
  period: number;
  /** inputs consumed, capped at period + 1 once the averages are seeded */
  count: number;
  prev: number;
  gain: number;
  loss: number;
}

/** TA-Lib's TA_IS_ZERO threshold (TA_EPSILON in ta_utility.h is 1e-14, checked against the binary). */
const EPSILON = 1e-14;

export function rsiInit(period: number): RsiState {
  return { period, count: 0, prev: NaN, gain: 0, loss: 0 };
}

/**
 * Consumes one finite value; returns the RSI, or NaN while warming up. The arithmetic follows
 * TA_RSI step by step (multiply by period−1, add today's move, divide by period; an unchanged
 * value counts as a zero gain) so the two agree to the last bits, not just to 1e-9.
 */
export function rsiUpdate(s: RsiState, x: number): number {
  const n = s.period;
  if (s.count === 0) {
    s.prev = x;
    s.count = 1;
    return NaN;
  }
  const d = x - s.prev;
  s.prev = x;
  if (s.count > n) {
    s.loss *= n - 1;
    s.gain *= n - 1;
    if (d < 0) s.loss -= d;
    else s.gain += d;
    s.loss /= n;
    s.gain /= n;
  } else {
    if (d < 0) s.loss -= d;
    else s.gain += d;
    if (++s.count <= n) return NaN;
    s.loss /= n;
    s.gain /= n;
  }
  const total = s.gain + s.loss;
  // TA-Lib answers 0, not 50, when nothing moved for long enough that both averages vanished.
  return total > -EPSILON && total < EPSILON ? 0 : 100 * (s.gain / total);
}

/** The seed (plain average of the first `period` moves) fades as (1 − 1/period)^n. */
export const rsiSettle = (period: number, floor?: number): number => smootherSettle(period, 1 / period, floor);

export const rsi = defineNode({
  type: 'indicator.rsi',
  version: 1,
  title: 'RSI',
  category: 'indicator',
  summary: "Relative strength index (Wilder's smoothing, TA-Lib convention), 0..100.",
  params: z.object({
    period: z.number().int().min(2).max(10_000).default(14).describe("number of moves in Wilder's averages"),
  }),
  inputs: { source: { type: 'series' } },
  outputs: { value: { type: 'series' } },
  syncInputs: true,
  batch: rsiBatch,
  gpu: rsiGpu,
  warmup: (p) => p.period,
  settle: (p) => rsiSettle(p.period),
  init: (p): RsiState => rsiInit(p.period),
  step(s: RsiState, i: { source: number }, o: { value: number }) {
    const x = i.source;
    o.value = x === x ? rsiUpdate(s, x) : NaN;
    return true;
  },
});

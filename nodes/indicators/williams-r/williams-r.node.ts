import { z } from 'zod';
import { defineNode } from '../../../engine/core/node-definition.ts';
import { highLowFull, highLowPush, highLowWindow, type HighLowWindow } from '../stochastic/high-low-window.ts';
import { williamsRBatch } from './williams-r.batch.ts';

/**
 * Williams %R, TA-Lib WILLR. A flat window (highest high == lowest low) gives −50, the middle of the
 * scale, where TA-Lib gives 0 ("maximally overbought") and trading-signals −100.
 */
export const williamsR = defineNode({
  type: 'indicator.williams-r',
  version: 1,
  title: 'Williams %R',
  category: 'indicator',
  summary: 'Williams %R: how far the close sits below the recent highest high, from 0 (at the high) to −100 (at the low).',
  params: z.object({
    period: z.number().int().min(2).max(10_000).default(14).describe('bars in the highest-high / lowest-low window'),
  }),
  inputs: { high: { type: 'series' }, low: { type: 'series' }, close: { type: 'series' } },
  outputs: { value: { type: 'series' } },
  syncInputs: true,
  batch: williamsRBatch,
  warmup: (p) => p.period - 1,
  init: (p): HighLowWindow => highLowWindow(p.period),
  step(w: HighLowWindow, i: { high: number; low: number; close: number }, o: { value: number }) {
    const close = i.close;
    if (i.high !== i.high || i.low !== i.low || close !== close) {
      o.value = NaN;
      return true;
    }
    highLowPush(w, i.high, i.low);
    if (!highLowFull(w)) {
      o.value = NaN;
      return true;
    }
    const span = w.high - w.low;
    // Written as (C − HH) / (HH − LL) × 100 rather than TA-Lib's (HH − C) / ((HH − LL) / −100): a close at
    // the low then gives exactly −100 (TA-Lib's can round past it) and one at the high +0, not −0.
    o.value = span === 0 ? -50 : ((close - w.high) / span) * 100;
    return true;
  },
});

import { z } from 'zod';
import { defineNode } from '../../../engine/core/node-definition.ts';
import { ring, ringFull, ringPush, type Ring } from '../../_kit/ring.ts';
import { smaBatch, smaGpu } from './sma.batch.ts';

interface SmaState {
  window: Ring;
  sum: number;
}

/**
 * Simple moving average. The running sum is updated add-then-subtract in the same order as
 * TA-Lib's TA_SMA, so the two agree to the last bits on the same data.
 */
export const sma = defineNode({
  type: 'indicator.sma',
  version: 1,
  title: 'SMA',
  category: 'indicator',
  summary: 'Simple moving average: the mean of the last `period` values.',
  params: z.object({
    period: z.number().int().min(1).max(10_000).default(20).describe('number of values averaged'),
  }),
  inputs: { source: { type: 'series' } },
  outputs: { value: { type: 'series' } },
  syncInputs: true,
  batch: smaBatch,
  gpu: smaGpu,
  warmup: (p) => p.period - 1,
  init: (p): SmaState => ({ window: ring(p.period), sum: 0 }),
  step(s: SmaState, i: { source: number }, o: { value: number }, p) {
    const x = i.source;
    if (x !== x) {
      o.value = NaN;
      return true;
    }
    const evicted = ringPush(s.window, x);
    if (evicted === evicted) s.sum -= evicted;
    s.sum += x;
    o.value = ringFull(s.window) ? s.sum / p.period : NaN;
    return true;
  },
});

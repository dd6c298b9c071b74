import { z } from 'zod';
import { defineNode } from '../../../engine/core/node-definition.ts';
import { emaBatch, emaGpu } from './ema.batch.ts';

interface EmaState {
  k: number;
  /** inputs consumed, capped at `period` once seeded */
  count: number;
  sum: number;
  value: number;
}

/**
 * Firings after which an exponential smoother with factor `alpha`, seeded at `warmup`, no longer
 * depends on its seed: the seed's weight (1 − α)^n drops below 1e-11, which leaves 100× margin
 * under the 1e-9 relative budget for a seed that is off by the whole price level.
 */
export function smootherSettle(warmup: number, alpha: number, floor = 1e-11): number {
  if (alpha >= 1) return warmup;
  return warmup + Math.ceil(Math.log(floor) / Math.log(1 - alpha));
}

/**
 * Exponential moving average, TA-Lib convention: the seed is the SMA of the first `period`
 * values (summed left to right, as TA_EMA does), then `ema += (x − ema)·k` in TA-Lib's order of
 * operations, so both agree to the last bits.
 */
export const ema = defineNode({
  type: 'indicator.ema',
  version: 1,
  title: 'EMA',
  category: 'indicator',
  summary: 'Exponential moving average, k = 2/(period+1), seeded with the SMA of the first `period` values.',
  params: z.object({
    period: z.number().int().min(1).max(10_000).default(20).describe('EMA period; smoothing factor k = 2/(period+1)'),
  }),
  inputs: { source: { type: 'series' } },
  outputs: { value: { type: 'series' } },
  syncInputs: true,
  batch: emaBatch,
  gpu: emaGpu,
  warmup: (p) => p.period - 1,
  settle: (p) => smootherSettle(p.period - 1, 2 / (p.period + 1)),
  init: (p): EmaState => ({ k: 2 / (p.period + 1), count: 0, sum: 0, value: NaN }),
  step(s: EmaState, i: { source: number }, o: { value: number }, p) {
    const x = i.source;
    if (x !== x) {
      o.value = NaN;
      return true;
    }
    if (s.count === p.period) {
      s.value = (x - s.value) * s.k + s.value;
    } else {
      s.sum += x;
      if (++s.count === p.period) s.value = s.sum / p.period;
    }
    o.value = s.value;
    return true;
  },
});

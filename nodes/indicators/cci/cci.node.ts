import { z } from 'zod';
import { defineNode } from '../../../engine/core/node-definition.ts';
import { ring, ringFull, ringPush, type Ring } from '../../_kit/ring.ts';
import { cciBatch } from './cci.batch.ts';

interface CciState {
  typical: Ring;
  sum: number;
  /** the newest typical price, and how many bars in a row it has repeated (capped at period) */
  last: number;
  run: number;
}

/**
 * Commodity Channel Index, TA-Lib CCI. The mean deviation has no sliding update (every deviation
 * moves with the mean), so each bar reads the window once; the mean is a running sum, re-added
 * whenever the ring wraps so rounding cannot pile up. A flat window gives 0, as TA-Lib intends:
 * it is caught by counting repeats, because there the mean of n equal values can round one ulp
 * off, and TA-Lib then divides that rounding by itself and reports ±66.67.
 */
export const cci = defineNode({
  type: 'indicator.cci',
  version: 1,
  title: 'CCI',
  category: 'indicator',
  summary: 'Commodity Channel Index: distance of the typical price from its SMA, in units of 0.015 × mean deviation.',
  params: z.object({
    period: z.number().int().min(2).max(10_000).default(20).describe('bars in the typical-price window'),
  }),
  inputs: { high: { type: 'series' }, low: { type: 'series' }, close: { type: 'series' } },
  outputs: { value: { type: 'series' } },
  syncInputs: true,
  batch: cciBatch,
  warmup: (p) => p.period - 1,
  init: (p): CciState => ({ typical: ring(p.period), sum: 0, last: 0, run: 0 }),
  step(s: CciState, i: { high: number; low: number; close: number }, o: { value: number }, p) {
    if (i.high !== i.high || i.low !== i.low || i.close !== i.close) {
      o.value = NaN;
      return true;
    }
    const tp = (i.high + i.low + i.close) / 3;
    const n = p.period;
    const r = s.typical;
    const out = ringPush(r, tp);
    if (out === out) s.sum -= out;
    s.sum += tp;
    s.run = tp === s.last ? Math.min(s.run + 1, n) : 1;
    s.last = tp;
    if (!ringFull(r)) {
      o.value = NaN;
      return true;
    }
    const items = r.items;
    if (r.head === 0) {
      // once per `period` bars (and on the first full window): the oldest value sits at items[0]
      let sum = 0;
      for (let j = 0; j < n; j++) sum += items[j]!;
      s.sum = sum;
    }
    if (s.run === n) {
      o.value = 0;
      return true;
    }
    const mean = s.sum / n;
    let deviation = 0;
    for (let j = 0; j < n; j++) deviation += Math.abs(items[j]! - mean);
    // not flat, so some value differs from the mean and the deviation is > 0
    o.value = (tp - mean) / (0.015 * (deviation / n));
    return true;
  },
});

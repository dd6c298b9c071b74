import { z } from 'zod';
import { defineNode } from '../../../engine/core/node-definition.ts';
import { ring, ringFull, ringPush, type Ring } from '../../_kit/ring.ts';

/**
 * Commodity Channel Index, TA-Lib CCI. The mean deviation has no sliding update (every deviation
 * changes with the mean), so each bar re-reads the window; the mean is re-added in the same pass
 * order as TA-Lib's circular buffer, which makes the two agree to the last bit. Like TA-Lib, the
 * output is 0 when the typical price equals its mean or the window is flat (mean deviation 0).
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
  warmup: (p) => p.period - 1,
  init: (p): { typical: Ring } => ({ typical: ring(p.period) }),
  step(s: { typical: Ring }, i: { high: number; low: number; close: number }, o: { value: number }, p) {
    if (i.high !== i.high || i.low !== i.low || i.close !== i.close) {
      o.value = NaN;
      return true;
    }
    const tp = (i.high + i.low + i.close) / 3;
    const r = s.typical;
    ringPush(r, tp);
    if (!ringFull(r)) {
      o.value = NaN;
      return true;
    }
    // storage order, not oldest-first: that is the order TA-Lib adds in
    const items = r.items;
    const n = p.period;
    let sum = 0;
    for (let j = 0; j < n; j++) sum += items[j]!;
    const mean = sum / n;
    let deviation = 0;
    for (let j = 0; j < n; j++) deviation += Math.abs(items[j]! - mean);
    const distance = tp - mean;
    o.value = distance !== 0 && deviation !== 0 ? distance / (0.015 * (deviation / n)) : 0;
    return true;
  },
});

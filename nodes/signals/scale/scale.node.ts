import { z } from 'zod';
import { defineNode } from '../../../engine/core/node-definition.ts';

const pair = z.tuple([z.number(), z.number()]);

/**
 * Linear map of one interval onto another. Written as (1 − t)·to₀ + t·to₁ so both ends map
 * exactly (RSI 70 gives exactly −1 for from [30, 70], to [1, −1]), not merely to within rounding.
 */
export const scale = defineNode({
  type: 'signal.scale',
  version: 1,
  title: 'Scale',
  category: 'signal',
  summary: 'Maps a value linearly from one interval to another (e.g. RSI 30..70 → +1..−1), clamped by default.',
  params: z
    .object({
      from: pair.default([0, 100]).describe('source interval [from₀, from₁]; from₀ maps to to₀'),
      to: pair.default([-1, 1]).describe('target interval [to₀, to₁]; may run backwards, e.g. [1, -1]'),
      clamp: z.boolean().default(true).describe('keep the result inside the `to` interval'),
    })
    .refine((p) => p.from[0] !== p.from[1], { message: 'from must be an interval of two different numbers', path: ['from'] }),
  inputs: { source: { type: 'series', help: 'the value to map' } },
  outputs: { value: { type: 'series', help: 'the mapped value; NaN while source has none' } },
  warmup: () => 0,
  init: () => ({}),
  step(_s: object, i: { source: number }, o: { value: number }, p) {
    const x = i.source;
    const f0 = p.from[0];
    const f1 = p.from[1];
    const t0 = p.to[0];
    const t1 = p.to[1];
    const t = (x - f0) / (f1 - f0);
    let y = (1 - t) * t0 + t * t1;
    if (p.clamp) {
      const lo = t0 < t1 ? t0 : t1;
      const hi = t0 < t1 ? t1 : t0;
      if (y < lo) y = lo;
      else if (y > hi) y = hi;
    }
    o.value = y;
    return true;
  },
});

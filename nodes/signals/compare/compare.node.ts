import { z } from 'zod';
import { defineNode } from '../../../engine/core/node-definition.ts';
import { COMPARE_OPS, compareValues } from '../_shared/compare-op.ts';

/** `a op b`, or `a op threshold` when b is left unwired (RSI < 30, close > SMA). */
export const compare = defineNode({
  type: 'signal.compare',
  version: 1,
  title: 'Compare',
  category: 'signal',
  summary: 'True while `a op b` (or `a op threshold` when b is unwired) holds; false while either has no value.',
  params: z.object({
    op: z.enum(COMPARE_OPS).default('>').describe('comparison: <, <=, >, >=, ==, !='),
    threshold: z.number().default(0).describe('what a is compared with when input b is not wired'),
  }),
  inputs: {
    a: { type: 'series', help: 'left-hand value' },
    b: { type: 'series', optional: true, help: 'right-hand value; the threshold param when unwired' },
  },
  outputs: { value: { type: 'bool', help: 'a op b' } },
  warmup: () => 0,
  init: () => ({}),
  step(_s: object, i: { a: number; b?: number }, o: { value: boolean }, p) {
    o.value = compareValues(p.op, i.a, i.b === undefined ? p.threshold : i.b);
    return true;
  },
});

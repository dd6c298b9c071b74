import { z } from 'zod';
import { defineNode } from '../../../engine/core/node-definition.ts';

interface CrossState {
  /** a and b at this node's previous firing; NaN before the first */
  prevA: number;
  prevB: number;
}

/**
 * True only on the firing where a crosses b (or the level). Leaving a touch counts: a going
 * 1 → 2 → 3 against b = 2 crosses above once, on 2 → 3; so does 3 → 2 → 3 (a dip that touched b).
 */
export const cross = defineNode({
  type: 'signal.cross',
  version: 1,
  title: 'Cross',
  category: 'signal',
  summary: 'True on the one firing where a crosses above (or below) b, or the level when b is unwired.',
  params: z.object({
    direction: z.enum(['above', 'below', 'any']).default('above').describe('above: a rises through b; below: a falls through b; any: either'),
    level: z.number().default(0).describe('what a is compared with when input b is not wired'),
  }),
  inputs: {
    a: { type: 'series', help: 'the crossing value' },
    b: { type: 'series', optional: true, help: 'the line crossed; the level param when unwired' },
  },
  outputs: { value: { type: 'bool', help: 'true on the crossing firing only' } },
  // the first firing has no previous pair to cross from
  warmup: () => 1,
  init: (): CrossState => ({ prevA: NaN, prevB: NaN }),
  step(s: CrossState, i: { a: number; b?: number }, o: { value: boolean }, p) {
    const a = i.a;
    const b = i.b === undefined ? p.level : i.b;
    const pa = s.prevA;
    const pb = s.prevB;
    // comparisons with NaN are false, so any missing value of the four means no cross
    const up = pa <= pb && a > b;
    const down = pa >= pb && a < b;
    o.value = p.direction === 'above' ? up : p.direction === 'below' ? down : up || down;
    // a NaN is stored too: the next firing must not cross from a bar that had no value
    s.prevA = a;
    s.prevB = b;
    return true;
  },
});

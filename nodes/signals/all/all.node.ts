import { z } from 'zod';
import { defineNode } from '../../../engine/core/node-definition.ts';

export const all = defineNode({
  type: 'signal.all',
  version: 1,
  title: 'All',
  category: 'signal',
  summary: 'True while every wired condition is true (logical AND).',
  params: z.object({}),
  inputs: { inputs: { type: 'bool', many: true, help: 'conditions; list one or more' } },
  outputs: { value: { type: 'bool', help: 'true when all inputs are true' } },
  warmup: () => 0,
  init: () => ({}),
  step(_s: object, i: { inputs: readonly boolean[] }, o: { value: boolean }) {
    const xs = i.inputs;
    // an empty list is not "vacuously true": nothing wired must never signal
    let result = xs.length > 0;
    for (let k = 0; k < xs.length && result; k++) if (!xs[k]) result = false;
    o.value = result;
    return true;
  },
});

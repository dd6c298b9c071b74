import { z } from 'zod';
import { defineNode } from '../../../engine/core/node-definition.ts';

export const any = defineNode({
  type: 'signal.any',
  version: 1,
  title: 'Any',
  category: 'signal',
  summary: 'True while at least one wired condition is true (logical OR).',
  params: z.object({}),
  inputs: { inputs: { type: 'bool', many: true, help: 'conditions; list one or more' } },
  outputs: { value: { type: 'bool', help: 'true when any input is true' } },
  warmup: () => 0,
  init: () => ({}),
  step(_s: object, i: { inputs: readonly boolean[] }, o: { value: boolean }) {
    const xs = i.inputs;
    let result = false;
    for (let k = 0; k < xs.length && !result; k++) if (xs[k]) result = true;
    o.value = result;
    return true;
  },
});

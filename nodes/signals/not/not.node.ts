import { z } from 'zod';
import { defineNode } from '../../../engine/core/node-definition.ts';

export const not = defineNode({
  type: 'signal.not',
  version: 1,
  title: 'Not',
  category: 'signal',
  summary: 'Negates a condition.',
  params: z.object({}),
  inputs: { input: { type: 'bool', help: 'the condition' } },
  outputs: { value: { type: 'bool', help: 'true when the input is false' } },
  warmup: () => 0,
  init: () => ({}),
  step(_s: object, i: { input: boolean }, o: { value: boolean }) {
    o.value = !i.input;
    return true;
  },
});

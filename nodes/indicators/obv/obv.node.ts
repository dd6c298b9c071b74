import { z } from 'zod';
import { defineNode } from '../../../engine/core/node-definition.ts';
import { obvBatch } from './obv.batch.ts';

interface ObvState {
  prevClose: number; // NaN until the first bar
  obv: number;
}

/**
 * On-balance volume, TA_OBV's convention: the first bar's volume is the starting level. The level
 * therefore depends on where the feed began; only its changes carry meaning.
 */
export const obv = defineNode({
  type: 'indicator.obv',
  version: 1,
  title: 'OBV',
  category: 'indicator',
  summary: 'On-balance volume: running total of volume, added on up closes and subtracted on down closes.',
  params: z.object({}),
  inputs: { close: { type: 'series' }, volume: { type: 'series' } },
  outputs: { value: { type: 'series' } },
  syncInputs: true,
  batch: obvBatch,
  warmup: () => 0,
  historyDependent: ['value'],
  init: (): ObvState => ({ prevClose: NaN, obv: 0 }),
  step(s: ObvState, i: { close: number; volume: number }, o: { value: number }) {
    const c = i.close;
    const v = i.volume;
    if (c !== c || v !== v) {
      o.value = NaN;
      return true;
    }
    const pc = s.prevClose;
    if (pc !== pc) s.obv = v;
    else if (c > pc) s.obv += v;
    else if (c < pc) s.obv -= v;
    s.prevClose = c;
    o.value = s.obv;
    return true;
  },
});

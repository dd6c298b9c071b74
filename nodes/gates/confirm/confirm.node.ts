import { z } from 'zod';
import { defineNode } from '../../../engine/core/node-definition.ts';

interface ConfirmState {
  held: number;
  /** reason text and the count it was built for: rebuilt only when the shown count changes */
  reason: string;
  shown: number;
}

interface ConfirmOutputs {
  pass: boolean;
  held: number;
  reason: string;
}

/**
 * Passes once a condition has held for `bars` consecutive firings, filtering one-bar flickers.
 * The reason shows the run capped at `bars` ("held 3 of 3 bars"), so its text stops changing once
 * the gate is open; the uncapped run is the `held` output.
 */
export const confirm = defineNode({
  type: 'gate.confirm',
  version: 1,
  title: 'Confirm',
  category: 'gate',
  summary: 'Passes when a condition has been true on the last `bars` consecutive firings.',
  params: z.object({
    bars: z.number().int().min(1).default(3).describe('consecutive true firings required'),
  }),
  inputs: { condition: { type: 'bool', help: 'the condition to confirm' } },
  outputs: {
    pass: { type: 'bool', help: 'true once the condition held `bars` firings in a row' },
    held: { type: 'series', help: 'current run of consecutive true firings (0 when false)' },
    reason: { type: 'text', help: 'e.g. "held 2 of 3 bars"' },
  },
  warmup: (p) => ({ pass: p.bars - 1 }),
  // the count a run could have reached before the history began is unknown, so it shows from 0
  historyDependent: ['held'],
  init: (p): ConfirmState => ({ held: 0, reason: reasonText(0, p.bars), shown: 0 }),
  step(s: ConfirmState, i: { condition: boolean }, o: ConfirmOutputs, p) {
    s.held = i.condition ? s.held + 1 : 0;
    const shown = s.held < p.bars ? s.held : p.bars;
    if (shown !== s.shown) {
      s.shown = shown;
      s.reason = reasonText(shown, p.bars);
    }
    o.pass = s.held >= p.bars;
    o.held = s.held;
    o.reason = s.reason;
    return true;
  },
});

function reasonText(held: number, bars: number): string {
  return `held ${held} of ${bars} ${bars === 1 ? 'bar' : 'bars'}`;
}

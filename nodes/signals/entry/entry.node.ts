import { z } from 'zod';
import { defineNode } from '../../../engine/core/node-definition.ts';
import type { Intent } from '../../../engine/core/trading.ts';

interface EntryState {
  /** the blockedBy text last built, kept so a gate blocking bar after bar does not rebuild it */
  gateText: string;
  gateIndex: number;
  gateCount: number;
}

interface EntryOutputs {
  intent: Intent | null;
  blockedBy: string;
}

const CONFLICT = 'conflicting long and short';
const NO_SCORE = 'score has no value yet';
const NO_GATES: readonly boolean[] = [];

/**
 * Turns long/short conditions into an entry intent. A fresh Intent is emitted on every firing the
 * signal holds and every gate passes; deciding whether to act on a repeat is the risk node's job.
 */
export const entry = defineNode({
  type: 'signal.entry',
  version: 1,
  title: 'Entry',
  category: 'signal',
  summary: 'Emits a long or short entry intent when exactly one side signals and every gate passes.',
  params: z.object({
    reason: z.string().min(1).default('signal').describe('label carried by the intent into orders and the trade log'),
  }),
  inputs: {
    long: { type: 'bool', help: 'enter long when true' },
    short: { type: 'bool', help: 'enter short when true' },
    score: { type: 'series', optional: true, help: 'strength carried by the intent (0 when unwired); NaN blocks' },
    gates: { type: 'bool', many: true, optional: true, help: 'every one must be true (gate.confirm.pass, gate.cooldown.pass ...)' },
  },
  outputs: {
    intent: { type: 'intent', help: 'the entry wish, or null' },
    blockedBy: { type: 'text', help: "'' when an intent was emitted or nothing signalled; else what blocked it" },
  },
  warmup: () => 0,
  init: (): EntryState => ({ gateText: '', gateIndex: -1, gateCount: -1 }),
  step(s: EntryState, i: { long: boolean; short: boolean; score?: number; gates?: readonly boolean[] }, o: EntryOutputs, p, ctx) {
    o.intent = null;
    const long = !!i.long;
    const short = !!i.short;
    if (long === short) {
      o.blockedBy = long ? CONFLICT : '';
      return true;
    }
    const gates = i.gates ?? NO_GATES;
    for (let k = 0; k < gates.length; k++) {
      if (gates[k]) continue;
      if (s.gateIndex !== k || s.gateCount !== gates.length) {
        s.gateIndex = k;
        s.gateCount = gates.length;
        s.gateText = `gate ${k + 1} of ${gates.length}`;
      }
      o.blockedBy = s.gateText;
      return true;
    }
    const score = i.score === undefined ? 0 : i.score;
    if (score !== score) {
      o.blockedBy = NO_SCORE;
      return true;
    }
    o.intent = { side: long ? 1 : -1, time: ctx.time + ctx.bar.interval, score, reason: p.reason };
    o.blockedBy = '';
    return true;
  },
});

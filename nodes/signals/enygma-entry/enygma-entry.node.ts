import { z } from 'zod';
import { defineNode } from '../../../engine/core/node-definition.ts';
import type { Intent } from '../../../engine/core/trading.ts';

interface EntryState {
  /** open time of the primary bar last decided on (NaN before the first) */
  decided: number;
  /** open time of the primary bar an intent was emitted for (NaN before the first) */
  emitted: number;
  /** the decision's blockedBy, shown again on the base-bar firings that follow it */
  blockedBy: string;
}

interface EntryInputs {
  total: number;
  time: number;
  breakdown: unknown;
  gates: readonly boolean[];
  reasons?: readonly string[];
  confidence: number;
}

interface EntryOutputs {
  intent: Intent | null;
  blockedBy: string;
}

const NO_REASONS: readonly string[] = [];

/**
 * The ENYGMA entry (enygma.md §4: all gates must pass). Gates reading the account fire on every
 * base bar, so this node does too; the decision is still taken once per closed primary bar, keyed
 * on the primary bar's open time: one intent at most, carrying every gate's verdict for the editor.
 */
export const enygmaEntry = defineNode({
  type: 'enygma.entry',
  version: 1,
  title: 'ENYGMA entry',
  category: 'signal',
  // decides once per closed primary bar (when `time` changes); the gates are read at that moment.
  // A gate that blocks then, and until the next primary bar, makes the decision a no-op: blockedBy.
  quiet: { wakeInputs: ['total', 'time'], blockedBy: 'gates', everyBar: (p) => p.retryWithinBar },
  summary: 'Emits one entry intent per closed primary bar, in the direction of the total, when every ENYGMA gate passes.',
  params: z.object({
    reason: z.string().min(1).default('enygma').describe('label carried by the intent into orders and the trade log'),
    retryWithinBar: z
      .boolean()
      .default(false)
      .describe('false: decide once, at the primary close; true: re-evaluate on later base bars of that primary bar until an intent is emitted'),
  }),
  inputs: {
    total: { type: 'series', help: "the primary timeframe scorer's total: side = sign(total)" },
    time: { type: 'series', help: "the primary bar's open time, ms UTC: one decision per value" },
    breakdown: { type: 'record', help: "the primary scorer's breakdown, carried in the intent's detail" },
    gates: { type: 'bool', many: true, help: 'every ENYGMA gate’s pass; all must be true' },
    reasons: { type: 'text', many: true, optional: true, help: "the gates' reasons, in the order of gates" },
    confidence: { type: 'series', help: "the primary scorer's confidence, carried in the intent's detail" },
  },
  outputs: {
    intent: { type: 'intent', help: 'the entry wish, or null' },
    blockedBy: { type: 'text', help: "the first blocking gate's reason; '' when emitted or nothing to decide" },
  },
  warmup: () => 0,
  check(_p, connections) {
    const reasons = connections['reasons'] ?? 0;
    const gates = connections['gates'] ?? 0;
    if (reasons > 0 && reasons !== gates) return `reasons must give one reason per gate, in the same order (${reasons} reasons for ${gates} gates)`;
    return undefined;
  },
  init: (): EntryState => ({ decided: NaN, emitted: NaN, blockedBy: '' }),
  step(s: EntryState, i: EntryInputs, o: EntryOutputs, p, ctx) {
    o.intent = null;
    const time = i.time;
    // no primary bar has closed yet, or this one already produced its intent
    if (time !== time || time === s.emitted) {
      o.blockedBy = '';
      return true;
    }
    if (time === s.decided && !p.retryWithinBar) {
      o.blockedBy = s.blockedBy;
      return true;
    }
    s.decided = time;
    s.blockedBy = decide(i);
    o.blockedBy = s.blockedBy;
    if (s.blockedBy !== '' || !Number.isFinite(i.total) || i.total === 0) return true;
    s.emitted = time;
    const gates = i.gates;
    const reasons = i.reasons ?? NO_REASONS;
    o.intent = {
      side: i.total > 0 ? 1 : -1,
      time: ctx.time + ctx.bar.interval,
      score: i.total,
      reason: p.reason,
      detail: {
        score: i.total,
        confidence: i.confidence,
        breakdown: i.breakdown,
        // copied: the runner refills the list it hands in on every firing
        gates: gates.map((pass, k) => ({ index: k + 1, pass: pass === true, reason: reasons[k] ?? '' })),
      },
    };
    return true;
  },
});

/** '' when there is nothing to enter on or every gate passes; else the first blocking gate's reason. */
function decide(i: EntryInputs): string {
  if (!Number.isFinite(i.total) || i.total === 0) return '';
  const gates = i.gates;
  for (let k = 0; k < gates.length; k++) {
    if (gates[k] === true) continue;
    const reason = i.reasons?.[k];
    return reason !== undefined && reason !== '' ? reason : `gate ${k + 1} of ${gates.length}`;
  }
  return '';
}

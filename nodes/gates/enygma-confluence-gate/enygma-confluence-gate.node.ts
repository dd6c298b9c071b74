import { z } from 'zod';
import { defineNode } from '../../../engine/core/node-definition.ts';
import { block, GATE_OUTPUTS, geq, NO_SCORE, num, pass, type GateOutputs } from '../_enygma/gate.ts';

/**
 * enygma.md §4 confluence: at least 4 indicators agree with the total's sign AND they are at least
 * 50% of the active ones. Strict mode keeps the percentage (the binding spec says "same").
 */
export const enygmaConfluenceGate = defineNode({
  type: 'enygma.confluence-gate',
  version: 1,
  title: 'ENYGMA confluence',
  category: 'gate',
  summary: 'Passes when at least 4 indicators agree with the score and they are at least 50% of the active ones.',
  params: z.object({
    minAgree: z.number().int().min(0).default(4).describe('fewest indicators whose points have the sign of total'),
    minPct: z.number().min(0).max(100).default(50).describe('smallest agree / active × 100'),
  }),
  inputs: {
    agree: { type: 'series', help: "the scorer's agree: active indicators with the sign of total" },
    confluencePct: { type: 'series', help: "the scorer's confluencePct: agree / active × 100" },
  },
  outputs: GATE_OUTPUTS,
  warmup: () => 0,
  init: () => ({}),
  step(_s: object, i: { agree: number; confluencePct: number }, o: GateOutputs, p) {
    const agree = i.agree;
    const pct = i.confluencePct;
    if (!Number.isFinite(agree) || !Number.isFinite(pct)) return block(o, NO_SCORE);
    const countOk = agree >= p.minAgree;
    const pctOk = pct >= p.minPct;
    const text = `confluence ${num(agree)} agree ${geq(countOk)} ${num(p.minAgree)}, ${num(pct)}% ${geq(pctOk)} ${num(p.minPct)}%`;
    return countOk && pctOk ? pass(o, text) : block(o, text);
  },
});

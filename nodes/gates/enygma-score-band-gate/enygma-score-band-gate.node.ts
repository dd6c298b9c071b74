import { z } from 'zod';
import { defineNode } from '../../../engine/core/node-definition.ts';
import { block, GATE_OUTPUTS, NO_SCORE, num, pass, type GateOutputs } from '../_enygma/gate.ts';

/**
 * enygma.md §4 score band: accept 70 ≤ |total| ≤ 125. Above it is "OVER_FIT" (S1 calls such scores
 * toxic), so EXTREME (≥ 130) never trades while the band is on: a label only (research A14).
 */
export const enygmaScoreBandGate = defineNode({
  type: 'enygma.score-band-gate',
  version: 1,
  title: 'ENYGMA score band',
  category: 'gate',
  summary: 'Passes when 70 ≤ |total| ≤ 125; rejects higher scores as OVER_FIT.',
  params: z
    .object({
      minScore: z.number().min(0).max(220).default(70).describe('lowest accepted |total|'),
      maxScore: z.number().min(0).max(220).default(125).describe('highest accepted |total|; above it is OVER_FIT'),
    })
    .refine((p) => p.minScore <= p.maxScore, { message: 'minScore must not exceed maxScore', path: ['maxScore'] }),
  inputs: { total: { type: 'series', help: "the primary timeframe scorer's total (−220..220)" } },
  outputs: GATE_OUTPUTS,
  warmup: () => 0,
  init: () => ({}),
  step(_s: object, i: { total: number }, o: GateOutputs, p) {
    if (!Number.isFinite(i.total)) return block(o, NO_SCORE);
    const abs = Math.abs(i.total);
    if (abs < p.minScore) return block(o, `|score| ${num(abs)} < ${num(p.minScore)} (below the band)`);
    if (abs > p.maxScore) return block(o, `|score| ${num(abs)} > ${num(p.maxScore)} (OVER_FIT)`);
    return pass(o, `|score| ${num(abs)} within ${num(p.minScore)}–${num(p.maxScore)}`);
  },
});

import { z } from 'zod';
import { defineNode } from '../../../engine/core/node-definition.ts';
import { block, GATE_OUTPUTS, geq, modeName, NO_SCORE, num, pass, strictFlag, type GateOutputs } from '../_enygma/gate.ts';

/** enygma.md §4 confidence: the scorer's 0..1 confidence ≥ 0.85 canonical, ≥ 0.90 strict. */
export const enygmaConfidenceGate = defineNode({
  type: 'enygma.confidence-gate',
  version: 1,
  title: 'ENYGMA confidence',
  category: 'gate',
  summary: "Passes when the scorer's confidence reaches 0.90 (strict) or 0.85 (canonical).",
  params: z.object({
    minConfidence: z.number().min(0).max(1).default(0.85).describe('canonical minimum confidence (0..1)'),
    strictMinConfidence: z.number().min(0).max(1).default(0.9).describe('minimum confidence in strict mode (0..1)'),
    strict: strictFlag(),
  }),
  inputs: { confidence: { type: 'series', help: "the primary timeframe scorer's confidence, 0..1" } },
  outputs: GATE_OUTPUTS,
  warmup: () => 0,
  init: () => ({}),
  step(_s: object, i: { confidence: number }, o: GateOutputs, p) {
    const c = i.confidence;
    if (!Number.isFinite(c)) return block(o, NO_SCORE);
    const min = p.strict ? p.strictMinConfidence : p.minConfidence;
    const ok = c >= min;
    const text = `confidence ${num(c, 2)} ${geq(ok)} ${num(min, 2)} (${modeName(p.strict)})`;
    return ok ? pass(o, text) : block(o, text);
  },
});

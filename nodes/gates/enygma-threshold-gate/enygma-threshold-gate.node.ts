import { z } from 'zod';
import { defineNode } from '../../../engine/core/node-definition.ts';
import { block, GATE_OUTPUTS, geq, modeName, NO_SCORE, num, pass, strictFlag, type GateOutputs } from '../_enygma/gate.ts';

/** enygma.md §4 threshold: |total| ≥ 75 canonical, ≥ 80 strict (the pre-audit level, research §4). */
export const enygmaThresholdGate = defineNode({
  type: 'enygma.threshold-gate',
  version: 1,
  title: 'ENYGMA threshold',
  category: 'gate',
  summary: 'Passes when |total| reaches the entry threshold: 80 strict, 75 canonical.',
  params: z.object({
    threshold: z.number().min(0).max(220).default(75).describe('canonical minimum |total|'),
    strictThreshold: z.number().min(0).max(220).default(80).describe('minimum |total| in strict mode'),
    strict: strictFlag(),
  }),
  inputs: { total: { type: 'series', help: "the primary timeframe scorer's total (−220..220)" } },
  outputs: GATE_OUTPUTS,
  warmup: () => 0,
  init: () => ({}),
  step(_s: object, i: { total: number }, o: GateOutputs, p) {
    if (!Number.isFinite(i.total)) return block(o, NO_SCORE);
    const level = p.strict ? p.strictThreshold : p.threshold;
    const abs = Math.abs(i.total);
    const ok = abs >= level;
    const text = `|score| ${num(abs)} ${geq(ok)} ${num(level)} (${modeName(p.strict)})`;
    return ok ? pass(o, text) : block(o, text);
  },
});

import { z } from 'zod';
import { defineNode } from '../../../engine/core/node-definition.ts';
import { block, GATE_OUTPUTS, geq, NO_SCORE, num, pass, type GateOutputs } from '../_enygma/gate.ts';

/**
 * enygma.md §4 dead zone: |total| ≥ 20. Redundant while the threshold is ≥ 75 (research §4), kept
 * as its own node so a fork that lowers the threshold still cannot trade near zero.
 */
export const enygmaDeadZoneGate = defineNode({
  type: 'enygma.dead-zone-gate',
  version: 1,
  title: 'ENYGMA dead zone',
  category: 'gate',
  summary: 'Blocks while |total| is inside the dead zone around 0 (below 20).',
  params: z.object({
    minScore: z.number().min(0).max(220).default(20).describe('smallest |total| outside the dead zone'),
  }),
  inputs: { total: { type: 'series', help: "the primary timeframe scorer's total (−220..220)" } },
  outputs: GATE_OUTPUTS,
  warmup: () => 0,
  init: () => ({}),
  step(_s: object, i: { total: number }, o: GateOutputs, p) {
    if (!Number.isFinite(i.total)) return block(o, NO_SCORE);
    const abs = Math.abs(i.total);
    const ok = abs >= p.minScore;
    const text = `|score| ${num(abs)} ${geq(ok)} ${num(p.minScore)}`;
    return ok ? pass(o, `${text} (outside the dead zone)`) : block(o, `${text} (dead zone)`);
  },
});

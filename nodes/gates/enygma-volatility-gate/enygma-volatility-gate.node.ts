import { z } from 'zod';
import { defineNode } from '../../../engine/core/node-definition.ts';
import { block, GATE_OUTPUTS, geq, modeName, NO_SCORE, num, pass, strictFlag, type GateOutputs } from '../_enygma/gate.ts';

const REGIMES = ['LOW', 'MEDIUM', 'HIGH'];

/**
 * enygma.md §4 volatility boost: in the HIGH regime the threshold rises by `boost` (75 → 85
 * canonical, 80 → 90 strict). Its own node, so the plain threshold gate still shows its verdict.
 */
export const enygmaVolatilityGate = defineNode({
  type: 'enygma.volatility-gate',
  version: 1,
  title: 'ENYGMA volatility boost',
  category: 'gate',
  summary: 'In the HIGH ATR regime, requires |total| ≥ threshold + boost (85 canonical, 90 strict).',
  params: z.object({
    threshold: z.number().min(0).max(220).default(75).describe('canonical threshold the boost is added to'),
    strictThreshold: z.number().min(0).max(220).default(80).describe('strict threshold the boost is added to'),
    boost: z.number().min(0).max(220).default(10).describe('added to the threshold in the HIGH regime'),
    strict: strictFlag(),
  }),
  inputs: {
    total: { type: 'series', help: "the primary timeframe scorer's total (−220..220)" },
    regime: { type: 'text', help: "the primary timeframe's ATR regime: LOW, MEDIUM or HIGH (enygma.atr-regime)" },
  },
  outputs: GATE_OUTPUTS,
  warmup: () => 0,
  init: () => ({}),
  step(_s: object, i: { total: number; regime: string }, o: GateOutputs, p) {
    if (!Number.isFinite(i.total)) return block(o, NO_SCORE);
    // an unknown regime might be HIGH: without it the boost cannot be ruled out
    if (!REGIMES.includes(i.regime)) return block(o, 'no volatility regime yet');
    if (i.regime !== 'HIGH') return pass(o, `regime ${i.regime}: no boost`);
    const base = p.strict ? p.strictThreshold : p.threshold;
    const level = base + p.boost;
    const abs = Math.abs(i.total);
    const ok = abs >= level;
    const text = `|score| ${num(abs)} ${geq(ok)} ${num(level)} (HIGH regime: ${num(base)} + ${num(p.boost)}, ${modeName(p.strict)})`;
    return ok ? pass(o, text) : block(o, text);
  },
});

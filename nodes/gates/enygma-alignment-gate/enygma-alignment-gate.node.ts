import { z } from 'zod';
import { defineNode } from '../../../engine/core/node-definition.ts';
import { block, GATE_OUTPUTS, NO_DIRECTION, NO_SCORE, num, pass, sideName, sideOf, type GateOutputs } from '../_enygma/gate.ts';

/**
 * enygma.md §4 timeframe alignment: n = timeframes whose total has the entry's sign with
 * |total| ≥ 20; require 2 ≤ n ≤ 4. Full alignment of all five blocks: a deliberate v5.2.6
 * anti-overfit reversal (research A11); maxAligned = 5 turns that off.
 */
export const enygmaAlignmentGate = defineNode({
  type: 'enygma.alignment-gate',
  version: 1,
  title: 'ENYGMA timeframe alignment',
  category: 'gate',
  summary: 'Passes when 2 to 4 of the timeframes agree with the entry (|total| ≥ 20); full alignment blocks.',
  params: z
    .object({
      minAligned: z.number().int().min(0).default(2).describe('fewest timeframes that must agree with the entry'),
      maxAligned: z.number().int().min(0).default(4).describe('most timeframes that may agree (one less than all blocks full alignment)'),
      minAbsScore: z.number().min(0).max(220).default(20).describe('a timeframe agrees when its total has the entry sign and |total| ≥ this'),
    })
    .refine((p) => p.minAligned <= p.maxAligned, { message: 'minAligned must not exceed maxAligned', path: ['maxAligned'] }),
  inputs: {
    total: { type: 'series', help: "the primary timeframe scorer's total: gives the entry's direction" },
    totals: { type: 'series', many: true, help: "every alignment timeframe's total, the primary's included (15min … 4hour)" },
  },
  outputs: GATE_OUTPUTS,
  warmup: () => 0,
  init: () => ({}),
  step(_s: object, i: { total: number; totals: readonly number[] }, o: GateOutputs, p) {
    if (!Number.isFinite(i.total)) return block(o, NO_SCORE);
    const side = sideOf(i.total);
    if (side === 0) return block(o, NO_DIRECTION);
    const totals = i.totals;
    let n = 0;
    // a NaN total (a timeframe still warming up) fails both comparisons: it never counts
    for (let k = 0; k < totals.length; k++) if (side * totals[k]! >= p.minAbsScore && side * totals[k]! > 0) n++;
    const head = `${n} of ${totals.length} timeframes aligned ${sideName(side)} (|total| ≥ ${num(p.minAbsScore)})`;
    if (n < p.minAligned) return block(o, `${head} < ${p.minAligned}`);
    if (n > p.maxAligned) return block(o, `${head} > ${p.maxAligned}${n === totals.length ? ': full alignment' : ''}`);
    return pass(o, `${head}: ${p.minAligned} ≤ ${n} ≤ ${p.maxAligned}`);
  },
});

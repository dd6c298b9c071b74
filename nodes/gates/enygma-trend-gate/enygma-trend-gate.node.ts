import { z } from 'zod';
import { defineNode } from '../../../engine/core/node-definition.ts';
import { block, GATE_OUTPUTS, NO_DIRECTION, NO_SCORE, num, pass, sideName, sideOf, type GateOutputs } from '../_enygma/gate.ts';

interface TrendInputs {
  total: number;
  emaShort: number;
  emaMedium: number;
  emaLong: number;
}

/**
 * enygma.md §4 trend: the entry's direction must equal the primary timeframe's EMA stack
 * (research A18: S1's 10/25/50 stack, no EMA200). A neutral (tangled) stack blocks both sides,
 * as S5 does; SignalGeneratorV2's "block only when opposite" is not the binding rule.
 */
export const enygmaTrendGate = defineNode({
  type: 'enygma.trend-gate',
  version: 1,
  title: 'ENYGMA EMA trend',
  category: 'gate',
  summary: 'Passes when sign(total) matches the EMA stack: bullish short > medium > long, bearish the reverse.',
  params: z.object({}),
  inputs: {
    total: { type: 'series', help: "the primary timeframe scorer's total (−220..220)" },
    emaShort: { type: 'series', help: 'EMA 10 of the primary timeframe' },
    emaMedium: { type: 'series', help: 'EMA 25 of the primary timeframe' },
    emaLong: { type: 'series', help: 'EMA 50 of the primary timeframe' },
  },
  outputs: GATE_OUTPUTS,
  warmup: () => 0,
  init: () => ({}),
  step(_s: object, i: TrendInputs, o: GateOutputs) {
    if (!Number.isFinite(i.total)) return block(o, NO_SCORE);
    const { emaShort: s, emaMedium: m, emaLong: l } = i;
    if (!Number.isFinite(s) || !Number.isFinite(m) || !Number.isFinite(l)) return block(o, 'no EMA trend yet');
    const side = sideOf(i.total);
    if (side === 0) return block(o, NO_DIRECTION);
    const trend = s > m && m > l ? 1 : s < m && m < l ? -1 : 0;
    const stack = `EMA ${num(s)}, ${num(m)}, ${num(l)}`;
    if (trend === side) return pass(o, `trend ${side > 0 ? 'up' : 'down'} (${stack}) matches ${sideName(side)}`);
    const name = trend === 0 ? 'neutral' : trend > 0 ? 'up' : 'down';
    return block(o, `trend ${name} (${stack}) for ${sideName(side)}`);
  },
});

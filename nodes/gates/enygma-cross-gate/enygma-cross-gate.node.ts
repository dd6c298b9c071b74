import { z } from 'zod';
import { defineNode } from '../../../engine/core/node-definition.ts';
import { block, GATE_OUTPUTS, NO_DIRECTION, NO_SCORE, num, pass, sideOf, strictFlag, type GateOutputs } from '../_enygma/gate.ts';

interface CrossState {
  /** open time of the primary bar whose total is `total`; NaN before the first */
  time: number;
  total: number;
  /** total of the primary bar before `time`: what the cross is measured from */
  prev: number;
}

/**
 * enygma.md §4 cross (strict only): LONG needs prev < +level ≤ total, SHORT prev > −level ≥ total,
 * prev being the previous closed primary bar's total. The gate may fire on base bars too, so it
 * keys its memory on the primary bar's open time: a repeat firing of the same bar keeps its prev.
 * The level is the plain ±80, never the volatility-boosted one (research §8 A13).
 */
export const enygmaCrossGate = defineNode({
  type: 'enygma.cross-gate',
  version: 1,
  title: 'ENYGMA threshold cross',
  category: 'gate',
  summary: 'Strict mode: passes only on the primary bar where the total crosses ±level; canonical: always.',
  params: z.object({
    level: z.number().min(0).max(220).default(80).describe('the level the total must cross, ±level by direction'),
    strict: strictFlag(),
  }),
  inputs: {
    total: { type: 'series', help: "the primary timeframe scorer's total (−220..220)" },
    time: { type: 'series', help: "the primary bar's open time, ms UTC (the primary resampler's time)" },
  },
  outputs: GATE_OUTPUTS,
  // the first primary bar has nothing to cross from
  warmup: () => 1,
  init: (): CrossState => ({ time: NaN, total: NaN, prev: NaN }),
  step(s: CrossState, i: { total: number; time: number }, o: GateOutputs, p) {
    const total = i.total;
    const time = i.time;
    if (time === time) {
      if (time !== s.time) {
        s.prev = s.total;
        s.time = time;
      }
      // a NaN is stored too: the next bar must not cross from a bar that had no score
      s.total = total;
    }
    if (!Number.isFinite(total)) return block(o, NO_SCORE);
    if (time !== time) return block(o, 'no primary bar time yet');
    if (!p.strict) return pass(o, 'no cross required (canonical)');
    const side = sideOf(total);
    if (side === 0) return block(o, NO_DIRECTION);
    const prev = s.prev;
    if (!Number.isFinite(prev)) return block(o, 'no previous score to cross from (strict)');
    const level = side * p.level;
    const shown = `${side > 0 ? '+' : '-'}${num(p.level)}`;
    const reached = side > 0 ? total >= level : total <= level;
    const before = side > 0 ? prev < level : prev > level;
    if (reached && before) {
      const [a, b] = side > 0 ? ['<', '≤'] : ['>', '≥'];
      return pass(o, `crossed ${shown}: prev ${num(prev)} ${a} ${shown} ${b} ${num(total)} (strict)`);
    }
    if (!reached) return block(o, `score ${num(total)} has not reached ${shown} (prev ${num(prev)}, strict)`);
    return block(o, `no cross: prev ${num(prev)} was already ${side > 0 ? '≥' : '≤'} ${shown} (now ${num(total)}, strict)`);
  },
});

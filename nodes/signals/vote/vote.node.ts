import { z } from 'zod';
import { defineNode } from '../../../engine/core/node-definition.ts';

const level = (what: string) => z.number().optional().describe(what);

const params = z
  .object({
    mode: z.enum(['levels', 'versus']).default('levels').describe('levels: a against fixed levels; versus: a against input b'),
    bullishBelow: level('levels mode: +1 while a < this'),
    bullishAbove: level('levels mode: +1 while a > this'),
    bearishBelow: level('levels mode: -1 while a < this'),
    bearishAbove: level('levels mode: -1 while a > this'),
  })
  .superRefine((p, ctx) => {
    const given = (['bullishBelow', 'bullishAbove', 'bearishBelow', 'bearishAbove'] as const).filter((k) => p[k] !== undefined);
    if (p.mode === 'versus') {
      if (given.length > 0) ctx.addIssue({ code: 'custom', message: `mode 'versus' compares a with input b and takes no levels; remove ${given.join(', ')}` });
      return;
    }
    const bull = given.filter((k) => k.startsWith('bullish'));
    const bear = given.filter((k) => k.startsWith('bearish'));
    if (bull.length !== 1 || bear.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        message: `mode 'levels' needs exactly one bullish condition (bullishBelow or bullishAbove) and exactly one bearish condition (bearishBelow or bearishAbove); got ${given.length > 0 ? given.join(', ') : 'none'}`,
      });
      return;
    }
    // the zones must point opposite ways and not overlap, or one value would be both bullish and bearish
    if (p.bullishBelow !== undefined && p.bearishAbove !== undefined && p.bearishAbove < p.bullishBelow) {
      ctx.addIssue({ code: 'custom', message: `bearishAbove ${p.bearishAbove} is below bullishBelow ${p.bullishBelow}: values between them would be both bullish and bearish` });
    } else if (p.bullishAbove !== undefined && p.bearishBelow !== undefined && p.bearishBelow > p.bullishAbove) {
      ctx.addIssue({ code: 'custom', message: `bearishBelow ${p.bearishBelow} is above bullishAbove ${p.bullishAbove}: values between them would be both bullish and bearish` });
    } else if ((p.bullishBelow !== undefined) === (p.bearishBelow !== undefined)) {
      ctx.addIssue({ code: 'custom', message: `the bullish and bearish conditions must point opposite ways (one Below, one Above); got ${given.join(' and ')}` });
    }
  });

type VoteParams = z.output<typeof params>;

/**
 * A directional vote (+1 bullish, −1 bearish, 0 neutral) from one indicator, for signal.consensus.
 * Level bounds are exclusive: with bullishBelow 30, an RSI of exactly 30 votes 0.
 */
export const vote = defineNode({
  type: 'signal.vote',
  version: 1,
  title: 'Vote',
  category: 'signal',
  summary: 'Turns an indicator into a vote: +1 bullish, −1 bearish, 0 neutral (fixed levels, or a versus b).',
  params,
  inputs: {
    a: { type: 'series', help: 'the indicator voting' },
    b: { type: 'series', optional: true, help: "versus mode only: what a is compared with (slow MA, MACD signal)" },
  },
  outputs: { vote: { type: 'series', help: '+1, −1 or 0; NaN while a (or b in versus mode) has no value' } },
  warmup: () => 0,
  check(p: VoteParams, connections) {
    const wired = (connections['b'] ?? 0) > 0;
    if (p.mode === 'versus' && !wired) return "mode 'versus' compares a with b: wire input b (e.g. b: slow.value)";
    if (p.mode === 'levels' && wired) return "mode 'levels' reads only a against the levels: unwire input b, or set mode: versus";
    return undefined;
  },
  init: () => ({}),
  step(_s: object, i: { a: number; b?: number }, o: { vote: number }, p: VoteParams) {
    const a = i.a;
    if (p.mode === 'versus') {
      const b = i.b === undefined ? NaN : i.b;
      o.vote = a !== a || b !== b ? NaN : a > b ? 1 : a < b ? -1 : 0;
      return true;
    }
    // an absent level reads as NaN, which no comparison satisfies
    if (a !== a) o.vote = NaN;
    else if (a < (p.bullishBelow ?? NaN) || a > (p.bullishAbove ?? NaN)) o.vote = 1;
    else if (a < (p.bearishBelow ?? NaN) || a > (p.bearishAbove ?? NaN)) o.vote = -1;
    else o.vote = 0;
    return true;
  },
});

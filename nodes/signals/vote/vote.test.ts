import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeNodeContract } from '../../_kit/contract.ts';
import { columnsOf, loadEmbedded } from '../../_kit/reference-data.ts';
import { paramsOf, runNode } from '../../_kit/run-node.ts';
import { sma } from '../../indicators/sma/sma.node.ts';
import { compileErrors } from '../_shared/testing.ts';
import { vote } from './vote.node.ts';

const rsiVote = { bullishBelow: 30, bearishAbove: 70 };
const votes = (params: Record<string, unknown>, a: number[], b?: number[]) =>
  Array.from(runNode(vote, paramsOf(vote, params), b === undefined ? { a } : { a, b }).vote!);
const issues = (params: Record<string, unknown>) => {
  const parsed = vote.params.safeParse(params);
  return parsed.success ? [] : parsed.error.issues.map((i) => i.message);
};

describe('signal.vote', () => {
  it('levels: RSI as a mean-reversion vote, bounds exclusive', () => {
    expect(votes(rsiVote, [10, 29.99, 30, 50, 70, 70.01, 90])).toEqual([1, 1, 0, 0, 0, -1, -1]);
  });

  it('levels: trend-following orientation (bullishAbove, bearishBelow)', () => {
    expect(votes({ bullishAbove: 55, bearishBelow: 45 }, [40, 45, 50, 55, 60])).toEqual([-1, 0, 0, 0, 1]);
    // one shared level: above is bullish, below bearish, exactly on it neutral
    expect(votes({ bullishAbove: 0, bearishBelow: 0 }, [-0.5, 0, 0.5])).toEqual([-1, 0, 1]);
  });

  it('versus: +1 when a > b, −1 when a < b, 0 when equal', () => {
    expect(votes({ mode: 'versus' }, [2, 1, 1.5], [1, 2, 1.5])).toEqual([1, -1, 0]);
  });

  it('is NaN while a is NaN (both modes) and while b is NaN in versus mode', () => {
    expect(votes(rsiVote, [NaN, 20])).toEqual([NaN, 1]);
    expect(votes({ mode: 'versus' }, [NaN, 1, 3], [1, NaN, 2])).toEqual([NaN, NaN, 1]);
  });

  it('property: the vote is always -1, 0, 1 or NaN', () => {
    const x = fc.oneof(fc.double(), fc.integer({ min: -2, max: 2 }), fc.constant(NaN));
    fc.assert(
      fc.property(fc.array(x, { minLength: 1, maxLength: 20 }), fc.array(x, { minLength: 20, maxLength: 20 }), (a, b) => {
        for (const v of [...votes(rsiVote, a), ...votes({ mode: 'versus' }, a, b.slice(0, a.length))]) {
          expect(Number.isNaN(v) || v === -1 || v === 0 || v === 1).toBe(true);
        }
      }),
    );
  });

  describe('params', () => {
    it('levels needs exactly one bullish and one bearish condition', () => {
      const message = "mode 'levels' needs exactly one bullish condition (bullishBelow or bullishAbove) and exactly one bearish condition (bearishBelow or bearishAbove)";
      expect(issues({})).toEqual([`${message}; got none`]);
      expect(issues({ bullishBelow: 30 })).toEqual([`${message}; got bullishBelow`]);
      expect(issues({ bullishBelow: 30, bullishAbove: 80, bearishAbove: 70 })).toEqual([`${message}; got bullishBelow, bullishAbove, bearishAbove`]);
    });

    it('levels rejects overlapping or same-way zones', () => {
      expect(issues({ bullishBelow: 70, bearishAbove: 30 })).toEqual(['bearishAbove 30 is below bullishBelow 70: values between them would be both bullish and bearish']);
      expect(issues({ bullishAbove: 40, bearishBelow: 60 })).toEqual(['bearishBelow 60 is above bullishAbove 40: values between them would be both bullish and bearish']);
      expect(issues({ bullishBelow: 30, bearishBelow: 10 })).toEqual(['the bullish and bearish conditions must point opposite ways (one Below, one Above); got bullishBelow and bearishBelow']);
      expect(issues({ bullishAbove: 70, bearishAbove: 90 })).toHaveLength(1);
    });

    it('versus takes no levels', () => {
      expect(issues({ mode: 'versus' })).toEqual([]);
      expect(issues({ mode: 'versus', bullishBelow: 30 })).toEqual(["mode 'versus' compares a with input b and takes no levels; remove bullishBelow"]);
    });
  });

  describe('wiring (check and compile)', () => {
    it('requires b in versus mode and forbids it in levels mode', () => {
      expect(vote.check!(paramsOf(vote, { mode: 'versus' }) as never, { a: 1, b: 0 })).toBe("mode 'versus' compares a with b: wire input b (e.g. b: slow.value)");
      expect(vote.check!(paramsOf(vote, rsiVote) as never, { a: 1, b: 1 })).toBe("mode 'levels' reads only a against the levels: unwire input b, or set mode: versus");
      expect(vote.check!(paramsOf(vote, { mode: 'versus' }) as never, { a: 1, b: 1 })).toBeUndefined();
      expect(vote.check!(paramsOf(vote, rsiVote) as never, { a: 1, b: 0 })).toBeUndefined();
    });

    it('reports the check and the refine message from a compiled pipeline', () => {
      const errors = compileErrors(
        [vote],
        [
          'fast: { type: indicator.sma, params: { period: 5 }, in: { source: candles.close } }',
          'slow: { type: indicator.sma, params: { period: 20 }, in: { source: candles.close } }',
          'trend: { type: signal.vote, params: { mode: versus }, in: { a: fast.value } }',
          'band: { type: signal.vote, params: { bullishBelow: 30 }, in: { a: fast.value } }',
          'ok: { type: signal.vote, params: { mode: versus }, in: { a: fast.value, b: slow.value } }',
        ].join('\n'),
      );
      expect(errors.map((e) => [e.code, e.location.node])).toEqual([
        ['param.invalid', 'band'],
        ['node.check', 'trend'],
      ]);
      expect(errors[0]!.message).toContain("mode 'levels' needs exactly one bullish condition");
      expect(errors[1]!.format()).toBe(`test.yaml:6:3: node "trend": mode 'versus' compares a with b: wire input b (e.g. b: slow.value) [node.check]`);
    });
  });
});

const eth = columnsOf(loadEmbedded('eth-5m'), 300);
const wave = eth.close.map((_, k) => 50 + 35 * Math.sin(k / 9));
describeNodeContract(vote, paramsOf(vote, rsiVote), { a: wave });
const slow = Array.from(runNode(sma, paramsOf(sma, { period: 10 }), { source: eth.close }).value!).map((v, k) => (Number.isNaN(v) ? eth.close[k]! : v));
describeNodeContract(vote, paramsOf(vote, { mode: 'versus' }), { a: eth.close, b: slow });

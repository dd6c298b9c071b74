import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeNodeContract } from '../../_kit/contract.ts';
import { columnsOf, loadEmbedded } from '../../_kit/reference-data.ts';
import { paramsOf } from '../../_kit/run-node.ts';
import { COMPARE_OPS, type CompareOp } from '../_shared/compare-op.ts';
import { runRows } from '../_shared/testing.ts';
import { compare } from './compare.node.ts';

const one = (params: Record<string, unknown>, row: Record<string, unknown>) => runRows(compare, paramsOf(compare, params), [row])[0]!['value'];

describe('signal.compare', () => {
  it('defaults to a > 0', () => {
    expect(paramsOf(compare)).toEqual({ op: '>', threshold: 0 });
    expect(one({}, { a: 0.1 })).toBe(true);
    expect(one({}, { a: 0 })).toBe(false);
    expect(one({}, { a: -0.1 })).toBe(false);
  });

  it('compares a with the threshold when b is unwired, bounds inclusive only for <= and >=', () => {
    const at = (op: CompareOp, a: number) => one({ op, threshold: 30 }, { a });
    expect([29, 30, 31].map((a) => at('<', a))).toEqual([true, false, false]);
    expect([29, 30, 31].map((a) => at('<=', a))).toEqual([true, true, false]);
    expect([29, 30, 31].map((a) => at('>', a))).toEqual([false, false, true]);
    expect([29, 30, 31].map((a) => at('>=', a))).toEqual([false, true, true]);
    expect([29, 30, 31].map((a) => at('==', a))).toEqual([false, true, false]);
    expect([29, 30, 31].map((a) => at('!=', a))).toEqual([true, false, true]);
  });

  it('compares a with b when b is wired, ignoring the threshold', () => {
    expect(one({ op: '>', threshold: 1000 }, { a: 5, b: 4 })).toBe(true);
    expect(one({ op: '>', threshold: -1000 }, { a: 4, b: 4 })).toBe(false);
    expect(one({ op: '==' }, { a: 4, b: 4 })).toBe(true);
  });

  it('is false for every op while a or a wired b is NaN, != included', () => {
    for (const op of COMPARE_OPS) {
      expect(one({ op, threshold: 1 }, { a: NaN }), op).toBe(false);
      expect(one({ op }, { a: 1, b: NaN }), op).toBe(false);
      expect(one({ op }, { a: NaN, b: NaN }), op).toBe(false);
    }
  });

  it('rejects an unknown op', () => {
    expect(compare.params.safeParse({ op: '=<' }).success).toBe(false);
  });

  it('property: matches the JS operator on finite numbers, and an op and its negation never agree', () => {
    const negation: Record<CompareOp, CompareOp> = { '<': '>=', '<=': '>', '>': '<=', '>=': '<', '==': '!=', '!=': '==' };
    const js: Record<CompareOp, (a: number, b: number) => boolean> = {
      '<': (a, b) => a < b,
      '<=': (a, b) => a <= b,
      '>': (a, b) => a > b,
      '>=': (a, b) => a >= b,
      '==': (a, b) => a === b,
      '!=': (a, b) => a !== b,
    };
    const finite = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer({ min: -3, max: 3 }));
    fc.assert(
      fc.property(fc.constantFrom(...COMPARE_OPS), finite, finite, (op, a, b) => {
        const v = one({ op }, { a, b });
        expect(v).toBe(js[op](a, b));
        expect(one({ op: negation[op] }, { a, b })).toBe(!v);
      }),
    );
  });

  it('property: never true when an input is NaN', () => {
    const maybeNaN = fc.oneof(fc.constant(NaN), fc.double({ noNaN: true }));
    fc.assert(
      fc.property(fc.constantFrom(...COMPARE_OPS), maybeNaN, maybeNaN, (op, a, b) => {
        if (Number.isNaN(a) || Number.isNaN(b)) expect(one({ op }, { a, b })).toBe(false);
      }),
    );
  });
});

const eth = columnsOf(loadEmbedded('eth-5m'), 200);
describeNodeContract(compare, paramsOf(compare, { op: '>=' }), { a: eth.close, b: eth.open });
describeNodeContract(compare, paramsOf(compare, { op: '<', threshold: eth.close[0]! }), { a: eth.close });

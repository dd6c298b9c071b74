import { describe, expect, it } from 'vitest';
import { describeNodeContract } from '../../_kit/contract.ts';
import { paramsOf } from '../../_kit/run-node.ts';
import { boolColumn, flipping, runRows } from '../../signals/_shared/testing.ts';
import { confirm } from './confirm.node.ts';

const run = (conditions: (boolean | number)[], params: Record<string, unknown> = {}) =>
  runRows(confirm, paramsOf(confirm, params), conditions.map((condition) => ({ condition })));

describe('gate.confirm', () => {
  it('passes from the `bars`-th consecutive true firing, and resets on false', () => {
    const out = run([true, true, true, true, false, true, true, true]);
    expect(out.map((o) => o['pass'])).toEqual([false, false, true, true, false, false, false, true]);
    expect(out.map((o) => o['held'])).toEqual([1, 2, 3, 4, 0, 1, 2, 3]);
  });

  it('explains itself, capping the shown run at `bars`', () => {
    const out = run([false, true, true, true, true, false]);
    expect(out.map((o) => o['reason'])).toEqual(['held 0 of 3 bars', 'held 1 of 3 bars', 'held 2 of 3 bars', 'held 3 of 3 bars', 'held 3 of 3 bars', 'held 0 of 3 bars']);
  });

  it('with bars 1 it passes exactly when the condition is true', () => {
    const out = run([true, false, true], { bars: 1 });
    expect(out.map((o) => [o['pass'], o['reason']])).toEqual([
      [true, 'held 1 of 1 bar'],
      [false, 'held 0 of 1 bar'],
      [true, 'held 1 of 1 bar'],
    ]);
  });

  it('reads 0/1 like false/true', () => {
    expect(run([1, 1, 0, 1], { bars: 2 }).map((o) => o['pass'])).toEqual([false, true, false, false]);
  });

  it('declares pass warm-up bars − 1 and validates bars', () => {
    expect(confirm.warmup(paramsOf(confirm, { bars: 5 }) as never)).toEqual({ pass: 4 });
    expect(confirm.params.safeParse({ bars: 0 }).success).toBe(false);
    expect(confirm.params.safeParse({ bars: 2.5 }).success).toBe(false);
  });
});

describeNodeContract(confirm, paramsOf(confirm, { bars: 3 }), { condition: boolColumn(200, 1) }, { perturb: flipping(['condition']) });

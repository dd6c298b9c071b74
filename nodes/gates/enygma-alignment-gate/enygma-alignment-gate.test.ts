import { describe, expect, it } from 'vitest';
import { paramsOf } from '../../_kit/run-node.ts';
import { fire } from '../_enygma/harness.ts';
import { enygmaAlignmentGate as gate } from './enygma-alignment-gate.node.ts';

/** totals are 15min, 30min (the primary), 1hour, 2hour, 4hour */
const align = (total: number, totals: number[], params: Record<string, unknown> = {}) => fire(gate, { total, totals }, params);

describe('enygma.alignment-gate', () => {
  it('defaults to 2 ≤ n ≤ 4 timeframes with |total| ≥ 20', () => {
    expect(paramsOf(gate)).toEqual({ minAligned: 2, maxAligned: 4, minAbsScore: 20 });
  });

  it('counts timeframes with the entry sign and |total| ≥ 20, the primary included', () => {
    expect(align(82, [50, 82, -30, 10, -60])).toEqual([true, '2 of 5 timeframes aligned LONG (|total| ≥ 20): 2 ≤ 2 ≤ 4']);
    expect(align(82, [20, 82, 30, 19.99, -60])).toEqual([true, '3 of 5 timeframes aligned LONG (|total| ≥ 20): 2 ≤ 3 ≤ 4']);
    expect(align(82, [50, 82, 30, 20, -60])).toEqual([true, '4 of 5 timeframes aligned LONG (|total| ≥ 20): 2 ≤ 4 ≤ 4']);
    expect(align(-81, [-50, -81, 30, -20, 60])).toEqual([true, '3 of 5 timeframes aligned SHORT (|total| ≥ 20): 2 ≤ 3 ≤ 4']);
  });

  it('blocks with fewer than 2 aligned', () => {
    expect(align(82, [19.99, 82, -30, 0, -60])).toEqual([false, 'blocked: 1 of 5 timeframes aligned LONG (|total| ≥ 20) < 2']);
  });

  it('blocks full alignment of all five (research A11), unless maxAligned allows it', () => {
    expect(align(82, [50, 82, 30, 20, 25])).toEqual([false, 'blocked: 5 of 5 timeframes aligned LONG (|total| ≥ 20) > 4: full alignment']);
    expect(align(82, [50, 82, 30, 20, 25], { maxAligned: 5 })[0]).toBe(true);
  });

  it('does not count timeframes that are not warm yet (NaN)', () => {
    expect(align(82, [NaN, 82, 40, NaN, NaN])).toEqual([true, '2 of 5 timeframes aligned LONG (|total| ≥ 20): 2 ≤ 2 ≤ 4']);
    expect(align(82, [NaN, 82, NaN, NaN, NaN])[0]).toBe(false);
  });

  it('blocks on a NaN primary total or a total of 0', () => {
    expect(align(NaN, [50, NaN, 30, 20, 25])).toEqual([false, 'blocked: no score yet']);
    expect(align(0, [50, 0, 30, 20, -25])).toEqual([false, 'blocked: score 0 has no direction']);
  });

  it('refuses minAligned above maxAligned', () => {
    expect(gate.params.safeParse({ minAligned: 5, maxAligned: 4 }).success).toBe(false);
  });
});

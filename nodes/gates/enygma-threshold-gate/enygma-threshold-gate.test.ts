import { describe, expect, it } from 'vitest';
import { paramsOf } from '../../_kit/run-node.ts';
import { fire } from '../_enygma/harness.ts';
import { enygmaThresholdGate as gate } from './enygma-threshold-gate.node.ts';

const canonical = { strict: false };

describe('enygma.threshold-gate', () => {
  it('defaults to 75 canonical, 80 strict, strict on (enygma.md §4)', () => {
    expect(paramsOf(gate)).toEqual({ threshold: 75, strictThreshold: 80, strict: true });
  });

  it('strict: passes at exactly |total| 80, either side, and blocks just below', () => {
    expect(fire(gate, { total: 80 })).toEqual([true, '|score| 80 ≥ 80 (strict)']);
    expect(fire(gate, { total: -80 })).toEqual([true, '|score| 80 ≥ 80 (strict)']);
    expect(fire(gate, { total: 79.99 })).toEqual([false, 'blocked: |score| 79.99 < 80 (strict)']);
    expect(fire(gate, { total: -77 })).toEqual([false, 'blocked: |score| 77 < 80 (strict)']);
  });

  it('canonical: passes at exactly |total| 75 and blocks just below', () => {
    expect(fire(gate, { total: 75 }, canonical)).toEqual([true, '|score| 75 ≥ 75 (canonical)']);
    expect(fire(gate, { total: -75 }, canonical)).toEqual([true, '|score| 75 ≥ 75 (canonical)']);
    expect(fire(gate, { total: 74.99 }, canonical)).toEqual([false, 'blocked: |score| 74.99 < 75 (canonical)']);
  });

  it('blocks on a NaN total (the scorer still warming up)', () => {
    expect(fire(gate, { total: NaN })).toEqual([false, 'blocked: no score yet']);
    expect(fire(gate, { total: NaN }, canonical)).toEqual([false, 'blocked: no score yet']);
  });

  it('takes other levels from params', () => {
    expect(fire(gate, { total: 85 }, { strictThreshold: 90 })[0]).toBe(false);
    expect(fire(gate, { total: 70 }, { threshold: 70, strict: false })[0]).toBe(true);
    expect(gate.params.safeParse({ threshold: -1 }).success).toBe(false);
  });
});

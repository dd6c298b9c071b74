import { describe, expect, it } from 'vitest';
import { paramsOf } from '../../_kit/run-node.ts';
import { fire } from '../_enygma/harness.ts';
import { enygmaDeadZoneGate as gate } from './enygma-dead-zone-gate.node.ts';

describe('enygma.dead-zone-gate', () => {
  it('defaults to 20, with no strict variant (enygma.md §4: "same")', () => {
    expect(paramsOf(gate)).toEqual({ minScore: 20 });
  });

  it('passes at exactly |total| 20, either side, and blocks just inside', () => {
    expect(fire(gate, { total: 20 })).toEqual([true, '|score| 20 ≥ 20 (outside the dead zone)']);
    expect(fire(gate, { total: -20 })).toEqual([true, '|score| 20 ≥ 20 (outside the dead zone)']);
    expect(fire(gate, { total: 19.5 })).toEqual([false, 'blocked: |score| 19.5 < 20 (dead zone)']);
    expect(fire(gate, { total: 0 })).toEqual([false, 'blocked: |score| 0 < 20 (dead zone)']);
  });

  it('blocks on NaN', () => {
    expect(fire(gate, { total: NaN })).toEqual([false, 'blocked: no score yet']);
  });

  it('takes the zone from params', () => {
    expect(fire(gate, { total: 25 }, { minScore: 30 })[0]).toBe(false);
  });
});

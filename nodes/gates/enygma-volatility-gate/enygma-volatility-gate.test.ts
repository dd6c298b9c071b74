import { describe, expect, it } from 'vitest';
import { paramsOf } from '../../_kit/run-node.ts';
import { fire } from '../_enygma/harness.ts';
import { enygmaVolatilityGate as gate } from './enygma-volatility-gate.node.ts';

const canonical = { strict: false };

describe('enygma.volatility-gate', () => {
  it('defaults to 75 / 80 plus a boost of 10, strict on', () => {
    expect(paramsOf(gate)).toEqual({ threshold: 75, strictThreshold: 80, boost: 10, strict: true });
  });

  it('strict HIGH regime: passes at exactly 90 and blocks just below', () => {
    expect(fire(gate, { total: 90, regime: 'HIGH' })).toEqual([true, '|score| 90 ≥ 90 (HIGH regime: 80 + 10, strict)']);
    expect(fire(gate, { total: -90, regime: 'HIGH' })[0]).toBe(true);
    expect(fire(gate, { total: 89.99, regime: 'HIGH' })).toEqual([false, 'blocked: |score| 89.99 < 90 (HIGH regime: 80 + 10, strict)']);
  });

  it('canonical HIGH regime: passes at exactly 85 and blocks just below', () => {
    expect(fire(gate, { total: 85, regime: 'HIGH' }, canonical)).toEqual([true, '|score| 85 ≥ 85 (HIGH regime: 75 + 10, canonical)']);
    expect(fire(gate, { total: -84, regime: 'HIGH' }, canonical)).toEqual([false, 'blocked: |score| 84 < 85 (HIGH regime: 75 + 10, canonical)']);
  });

  it('passes in LOW and MEDIUM whatever the score: the plain threshold is another gate', () => {
    expect(fire(gate, { total: 40, regime: 'MEDIUM' })).toEqual([true, 'regime MEDIUM: no boost']);
    expect(fire(gate, { total: -5, regime: 'LOW' }, canonical)).toEqual([true, 'regime LOW: no boost']);
  });

  it('blocks on NaN and while the regime has no value yet', () => {
    expect(fire(gate, { total: NaN, regime: 'MEDIUM' })).toEqual([false, 'blocked: no score yet']);
    expect(fire(gate, { total: 95, regime: '' })).toEqual([false, 'blocked: no volatility regime yet']);
  });

  it('takes the boost from params', () => {
    expect(fire(gate, { total: 90, regime: 'HIGH' }, { boost: 15 })[0]).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { paramsOf } from '../../_kit/run-node.ts';
import { fire } from '../_enygma/harness.ts';
import { enygmaConfidenceGate as gate } from './enygma-confidence-gate.node.ts';

describe('enygma.confidence-gate', () => {
  it('defaults to 0.85 canonical, 0.90 strict, strict on', () => {
    expect(paramsOf(gate)).toEqual({ minConfidence: 0.85, strictMinConfidence: 0.9, strict: true });
  });

  it('strict: passes at exactly 0.90 and blocks just below, never rounding up to the limit', () => {
    expect(fire(gate, { confidence: 0.9 })).toEqual([true, 'confidence 0.90 ≥ 0.90 (strict)']);
    expect(fire(gate, { confidence: 0.88 })).toEqual([false, 'blocked: confidence 0.88 < 0.90 (strict)']);
    expect(fire(gate, { confidence: 0.8999 })).toEqual([false, 'blocked: confidence 0.8999 < 0.90 (strict)']);
  });

  it('canonical: passes at exactly 0.85 and blocks just below', () => {
    expect(fire(gate, { confidence: 0.85 }, { strict: false })).toEqual([true, 'confidence 0.85 ≥ 0.85 (canonical)']);
    expect(fire(gate, { confidence: 0.88 }, { strict: false })).toEqual([true, 'confidence 0.88 ≥ 0.85 (canonical)']);
    expect(fire(gate, { confidence: 0.849 }, { strict: false })).toEqual([false, 'blocked: confidence 0.849 < 0.85 (canonical)']);
  });

  it('blocks on NaN', () => {
    expect(fire(gate, { confidence: NaN })).toEqual([false, 'blocked: no score yet']);
  });

  it('validates params as 0..1 fractions', () => {
    expect(gate.params.safeParse({ minConfidence: 85 }).success).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { paramsOf } from '../../_kit/run-node.ts';
import { fire } from '../_enygma/harness.ts';
import { enygmaConfluenceGate as gate } from './enygma-confluence-gate.node.ts';

describe('enygma.confluence-gate', () => {
  it('defaults to 4 agreeing and 50%, the same in strict mode', () => {
    expect(paramsOf(gate)).toEqual({ minAgree: 4, minPct: 50 });
  });

  it('passes at exactly 4 agreeing and 50%', () => {
    expect(fire(gate, { agree: 4, confluencePct: 50 })).toEqual([true, 'confluence 4 agree ≥ 4, 50% ≥ 50%']);
    expect(fire(gate, { agree: 5, confluencePct: 62.5 })).toEqual([true, 'confluence 5 agree ≥ 4, 62.5% ≥ 50%']);
  });

  it('blocks on too few agreeing however high the share, and on a share below 50%', () => {
    expect(fire(gate, { agree: 3, confluencePct: 100 })).toEqual([false, 'blocked: confluence 3 agree < 4, 100% ≥ 50%']);
    expect(fire(gate, { agree: 4, confluencePct: (4 / 9) * 100 })).toEqual([false, 'blocked: confluence 4 agree ≥ 4, 44.4444% < 50%']);
    expect(fire(gate, { agree: 6, confluencePct: 49.99 })[0]).toBe(false);
  });

  it('blocks on NaN (the scorer publishes NaN while total is NaN)', () => {
    expect(fire(gate, { agree: NaN, confluencePct: NaN })).toEqual([false, 'blocked: no score yet']);
    expect(fire(gate, { agree: 5, confluencePct: NaN })[0]).toBe(false);
  });
});

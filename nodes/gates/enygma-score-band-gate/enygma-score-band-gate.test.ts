import { describe, expect, it } from 'vitest';
import { paramsOf } from '../../_kit/run-node.ts';
import { fire } from '../_enygma/harness.ts';
import { enygmaScoreBandGate as gate } from './enygma-score-band-gate.node.ts';

describe('enygma.score-band-gate', () => {
  it('defaults to the band 70–125', () => {
    expect(paramsOf(gate)).toEqual({ minScore: 70, maxScore: 125 });
  });

  it('accepts both ends of the band, either side', () => {
    expect(fire(gate, { total: 70 })).toEqual([true, '|score| 70 within 70–125']);
    expect(fire(gate, { total: -125 })).toEqual([true, '|score| 125 within 70–125']);
  });

  it('rejects below the band and above it as OVER_FIT (EXTREME never trades, research A14)', () => {
    expect(fire(gate, { total: 69.99 })).toEqual([false, 'blocked: |score| 69.99 < 70 (below the band)']);
    expect(fire(gate, { total: 125.5 })).toEqual([false, 'blocked: |score| 125.5 > 125 (OVER_FIT)']);
    expect(fire(gate, { total: -130 })).toEqual([false, 'blocked: |score| 130 > 125 (OVER_FIT)']);
  });

  it('blocks on NaN and refuses an empty band', () => {
    expect(fire(gate, { total: NaN })).toEqual([false, 'blocked: no score yet']);
    expect(gate.params.safeParse({ minScore: 130 }).success).toBe(false);
  });
});

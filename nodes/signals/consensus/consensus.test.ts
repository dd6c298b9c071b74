import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeNodeContract } from '../../_kit/contract.ts';
import { paramsOf } from '../../_kit/run-node.ts';
import { runRows, spreadMany } from '../_shared/testing.ts';
import { consensus } from './consensus.node.ts';

const decide = (votes: number[], params: Record<string, unknown> = {}) => runRows(consensus, paramsOf(consensus, params), [{ votes }])[0]!;

describe('signal.consensus', () => {
  it('defaults to unanimity among at least 2 voters', () => {
    expect(paramsOf(consensus)).toEqual({ minAgreement: 1, minVoters: 2 });
    expect(decide([1, 1, 1])).toEqual({ direction: 1, agreement: 1, long: true, short: false });
    expect(decide([-1, -1])).toEqual({ direction: -1, agreement: 1, long: false, short: true });
  });

  it('a single dissent or a 0 vote breaks unanimity', () => {
    expect(decide([1, 1, -1])).toEqual({ direction: 1, agreement: 2 / 3, long: false, short: false });
    expect(decide([1, 1, 0])).toEqual({ direction: 1, agreement: 2 / 3, long: false, short: false });
  });

  it('worked example: 5 voters +1 +1 +1 0 −1 → direction +1, agreement 3/5 = 0.6', () => {
    const votes = [1, 1, 1, 0, -1];
    expect(decide(votes, { minAgreement: 0.6 })).toEqual({ direction: 1, agreement: 0.6, long: true, short: false });
    // exactly at the threshold passes, just above it does not
    expect(decide(votes, { minAgreement: 0.61 })['long']).toBe(false);
  });

  it('worked example: 2/3 agreement passes minAgreement 2/3 exactly', () => {
    expect(decide([-1, -1, 0], { minAgreement: 2 / 3 })).toEqual({ direction: -1, agreement: 2 / 3, long: false, short: true });
  });

  it('NaN votes do not count as voters', () => {
    expect(decide([1, NaN, 1])).toEqual({ direction: 1, agreement: 1, long: true, short: false });
    expect(decide([1, NaN, -1, NaN], { minAgreement: 0.5 })).toEqual({ direction: 0, agreement: 0, long: false, short: false });
  });

  it('is undecided (NaN, no signal) below minVoters', () => {
    expect(decide([1, NaN, NaN])).toEqual({ direction: NaN, agreement: NaN, long: false, short: false });
    expect(decide([1, 1, NaN], { minVoters: 3 })).toEqual({ direction: NaN, agreement: NaN, long: false, short: false });
    expect(decide([], { minVoters: 1 })).toEqual({ direction: NaN, agreement: NaN, long: false, short: false });
    expect(decide([1], { minVoters: 1 })).toEqual({ direction: 1, agreement: 1, long: true, short: false });
  });

  it('a tie between bulls and bears is direction 0; agreement is then the share of 0 votes', () => {
    expect(decide([1, -1], { minAgreement: 0 })).toEqual({ direction: 0, agreement: 0, long: false, short: false });
    expect(decide([1, -1, 0, 0])).toEqual({ direction: 0, agreement: 0.5, long: false, short: false });
    expect(decide([0, 0, 0])).toEqual({ direction: 0, agreement: 1, long: false, short: false });
  });

  it('counts votes by sign (continuous scores work as votes)', () => {
    expect(decide([0.2, 0.9, -0.0], { minAgreement: 0.6 })).toEqual({ direction: 1, agreement: 2 / 3, long: true, short: false });
  });

  it('validates params', () => {
    expect(consensus.params.safeParse({ minAgreement: 1.5 }).success).toBe(false);
    expect(consensus.params.safeParse({ minVoters: 0 }).success).toBe(false);
    expect(consensus.params.safeParse({ minVoters: 1.5 }).success).toBe(false);
  });

  it('property: long and short are never both true; outputs stay in their ranges', () => {
    const v = fc.oneof(fc.constantFrom(-1, 0, 1, NaN), fc.double({ min: -1, max: 1 }));
    fc.assert(
      fc.property(fc.array(v, { maxLength: 9 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: 5 }), (votes, minAgreement, minVoters) => {
        const o = decide(votes, { minAgreement, minVoters });
        expect(o['long'] && o['short']).toBe(false);
        const voters = votes.filter((x) => !Number.isNaN(x)).length;
        if (voters < minVoters) {
          expect(o).toEqual({ direction: NaN, agreement: NaN, long: false, short: false });
          return;
        }
        expect([-1, 0, 1]).toContain(o['direction']);
        expect(o['agreement']).toBeGreaterThanOrEqual(0);
        expect(o['agreement']).toBeLessThanOrEqual(1);
        if (o['long']) expect(o['direction'] === 1 && (o['agreement'] as number) >= minAgreement).toBe(true);
        if (o['short']) expect(o['direction'] === -1 && (o['agreement'] as number) >= minAgreement).toBe(true);
        if (minAgreement === 1 && o['long']) expect(votes.every((x) => Number.isNaN(x) || x > 0)).toBe(true);
      }),
    );
  });
});

const n = 240;
const voteColumn = (seed: number) => Array.from({ length: n }, (_, k) => (k % 17 === seed ? NaN : Math.sign(Math.round(Math.sin(k * 0.21 + seed) * 1.4))));
describeNodeContract(
  spreadMany(consensus, 'votes', ['a', 'b', 'c', 'd']),
  paramsOf(consensus, { minAgreement: 0.7, minVoters: 1 }),
  { a: voteColumn(1), b: voteColumn(2), c: voteColumn(3), d: voteColumn(4) },
  { perturb: (row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number.isNaN(v) ? 1 : -v])) },
);

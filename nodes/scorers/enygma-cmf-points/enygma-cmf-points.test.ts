import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeNodeContract } from '../../_kit/contract.ts';
import { paramsOf, runNode } from '../../_kit/run-node.ts';
import { cmf } from '../../indicators/cmf/cmf.node.ts';
import { checkBoundedAndMirrored, checkRealData, eth5000, grid, last, plain } from '../_enygma/points-testing.ts';
import { enygmaCmfPoints } from './enygma-cmf-points.node.ts';

const at = (values: number[], params: Record<string, unknown> = {}) => last(enygmaCmfPoints, params, values.map((v) => ({ cmf: v })));
const pointsAt = (...runs: number[][]) => runs.map((r) => at(r).points);

describe('enygma.cmf-points', () => {
  it('tiers add up: positive +10, above 0.1 another +19 (29)', () => {
    expect(at([0.05])).toMatchObject({ points: 10, detail: { indicator: 'cmf', value: 0.05, maxScore: 38, conditions: ['CMF positive (+10)'] } });
    expect(at([0.15]).detail).toMatchObject({ raw: 29, conditions: ['CMF above 0.1 (+19)', 'CMF positive (+10)'] });
  });

  it('crossing above zero adds +5: 15, or 34 straight into the strong tier', () => {
    expect(at([-0.02, 0.05]).detail.conditions).toEqual(['CMF positive (+10)', 'CMF crossed above zero (+5)']);
    expect(pointsAt([-0.02, 0.05], [-0.02, 0.15])).toEqual([15, 34]);
  });

  it('mirrors below zero: -10, -29, -15, -34', () => {
    expect(pointsAt([-0.05], [-0.15], [0.02, -0.05], [0.02, -0.15])).toEqual([-10, -29, -15, -34]);
    expect(at([0.02, -0.15]).detail.conditions).toEqual(['CMF below -0.1 (-19)', 'CMF negative (-10)', 'CMF crossed below zero (-5)']);
  });

  it('edges are strict: 0.1 is only positive, 0 is neither; a cross starts from zero', () => {
    expect(pointsAt([0.1], [-0.1], [0], [0, 0.05], [0, -0.05], [0, 0])).toEqual([10, -10, 0, 15, -15, 0]);
  });

  it('is inactive before the CMF warms up, and reads no cross across a NaN', () => {
    expect(at([NaN])).toMatchObject({ points: 0, detail: { active: false, value: null, raw: 0, conditions: [] } });
    expect(at([-0.02, NaN, 0.05]).points).toBe(10);
  });

  it('disabled: 0 and inactive; weight sets maxScore; every number is a param', () => {
    expect(at([-0.02, 0.15], { enabled: false })).toMatchObject({ points: 0, detail: { enabled: false, active: false } });
    expect(at([-0.02, 0.15], { weight: 10 }).detail).toMatchObject({ raw: 34, points: 20, maxScore: 20 });
    expect(at([-0.02, 0.15], { strong: 1, positive: 2, crossBonus: 4 }).points).toBe(7);
    expect(at([0.15], { strongLevel: 0.2 }).points).toBe(10);
  });

  it('property: |points| ≤ maxScore, and CMF → −CMF negates the points', () => {
    const value = fc.oneof(grid(-1, 1, 0.25), fc.constantFrom(-0.15, -0.1, 0, 0.05, 0.1, 0.15));
    checkBoundedAndMirrored(enygmaCmfPoints, fc.array(value.map((v) => ({ cmf: v })), { minLength: 1, maxLength: 30 }), (r) => ({ cmf: -r.cmf }));
  });

  const eth = eth5000();
  const real = runNode(cmf, paramsOf(cmf, { period: 20 }), { high: eth.high, low: eth.low, close: eth.close, volume: eth.volume }).value!;

  it('on real CMF(20) of ETH 5m: within ±38, both signs', () => {
    checkRealData(enygmaCmfPoints, { cmf: real });
  });

  describeNodeContract(enygmaCmfPoints, paramsOf(enygmaCmfPoints), { cmf: plain(real).slice(0, 300) });
});

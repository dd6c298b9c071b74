import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeNodeContract } from '../../_kit/contract.ts';
import { paramsOf, runNode } from '../../_kit/run-node.ts';
import { ao } from '../../indicators/ao/ao.node.ts';
import { checkBoundedAndMirrored, checkRealData, eth5000, grid, last, plain } from '../_enygma/points-testing.ts';
import { enygmaAoPoints } from './enygma-ao-points.node.ts';

const at = (values: number[], params: Record<string, unknown> = {}) => last(enygmaAoPoints, params, values.map((v) => ({ ao: v })));
const pointsAt = (...runs: number[][]) => runs.map((r) => at(r).points);

describe('enygma.ao-points', () => {
  it('each condition: above zero +5, zero cross +17 (with +5), saucer +12 (with +5)', () => {
    expect(at([2])).toMatchObject({ points: 5, detail: { indicator: 'ao', value: 2, maxScore: 34, conditions: ['AO above zero (+5)'] } });
    expect(at([-1, 1])).toMatchObject({ points: 22, detail: { conditions: ['AO crossed above zero (+17)', 'AO above zero (+5)'] } });
    expect(at([3, 1, 2])).toMatchObject({ points: 17, detail: { conditions: ['bullish saucer (AO > 0, dipped, rising again) (+12)', 'AO above zero (+5)'] } });
  });

  it('cross and saucer on one bar: 17 + 12 + 5 = 34 = maxScore (research §2.3)', () => {
    expect(at([0.5, -0.2, 0.3]).detail).toMatchObject({ raw: 34, points: 34 });
  });

  it('mirrors below zero: -5, -22, -17, -34', () => {
    expect(pointsAt([-2], [1, -1], [-3, -1, -2], [-0.5, 0.2, -0.3])).toEqual([-5, -22, -17, -34]);
    expect(at([-0.5, 0.2, -0.3]).detail.conditions).toEqual([
      'AO crossed below zero (-17)',
      'bearish saucer (AO < 0, rose, falling again) (-12)',
      'AO below zero (-5)',
    ]);
  });

  it('edges: zero is neither side; a cross starts from zero; no saucer without a dip or a rise', () => {
    expect(at([0]).detail).toMatchObject({ active: true, raw: 0, conditions: [] });
    expect(pointsAt([0, 1], [0, -1], [1, 0])).toEqual([22, -22, 0]);
    // flat then up, falling still, equal: no saucer
    expect(pointsAt([1, 1, 2], [3, 2, 1], [3, 1, 1])).toEqual([5, 5, 5]);
  });

  it('is inactive before the AO warms up, and needs the values before for cross and saucer', () => {
    expect(at([NaN])).toMatchObject({ points: 0, detail: { active: false, value: null, raw: 0, conditions: [] } });
    expect(pointsAt([-1, NaN, 1], [3, NaN, 1, 2], [NaN, 1, 2])).toEqual([5, 5, 5]);
  });

  it('disabled: 0 and inactive; weight sets maxScore; every number is a param', () => {
    expect(at([0.5, -0.2, 0.3], { enabled: false })).toMatchObject({ points: 0, detail: { enabled: false, active: false } });
    expect(at([0.5, -0.2, 0.3], { weight: 10 }).detail).toMatchObject({ raw: 34, points: 20, maxScore: 20 });
    expect(at([0.5, -0.2, 0.3], { cross: 1, saucer: 2, positive: 4 }).points).toBe(7);
  });

  it('property: |points| ≤ maxScore, and AO → −AO negates the points', () => {
    const rows = fc.array(grid(-5, 5, 1).map((v) => ({ ao: v })), { minLength: 1, maxLength: 30 });
    checkBoundedAndMirrored(enygmaAoPoints, rows, (r) => ({ ao: -r.ao }));
  });

  const eth = eth5000();
  const real = runNode(ao, paramsOf(ao), { high: eth.high, low: eth.low }).value!;

  it('on real AO(5, 34) of ETH 5m: within ±34, both signs', () => {
    checkRealData(enygmaAoPoints, { ao: real });
  });

  describeNodeContract(enygmaAoPoints, paramsOf(enygmaAoPoints), { ao: plain(real).slice(0, 300) });
});

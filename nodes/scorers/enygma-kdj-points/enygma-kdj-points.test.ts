import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeNodeContract } from '../../_kit/contract.ts';
import { paramsOf, runNode } from '../../_kit/run-node.ts';
import { kdj } from '../../indicators/kdj/kdj.node.ts';
import { checkBoundedAndMirrored, checkRealData, eth5000, grid, last, plain } from '../_enygma/points-testing.ts';
import { enygmaKdjPoints } from './enygma-kdj-points.node.ts';

type Row = { k: number; d: number; j: number };
/** [k, d] pairs with J = 3K − 2D, as the KDJ node gives it */
const rows = (...pairs: [number, number][]): Row[] => pairs.map(([k, d]) => ({ k, d, j: 3 * k - 2 * d }));
const mirror = (r: Row): Row => ({ k: 100 - r.k, d: 100 - r.d, j: 100 - r.j });
const at = (r: Row[], params: Record<string, unknown> = {}) => last(enygmaKdjPoints, params, r);

describe('enygma.kdj-points', () => {
  it('each condition: J < 0 +17, K < 20 +10, K crossing above D there +15', () => {
    expect(at([{ k: 30, d: 50, j: -10 }])).toMatchObject({ points: 17, detail: { indicator: 'kdj', value: -10, conditions: ['J below 0 (+17)'] } });
    expect(at(rows([15, 12])).points).toBe(10);
    expect(at(rows([10, 12], [15, 14])).detail.conditions).toEqual(['K crossed above D below 20 (+15)', 'K below 20 (+10)']);
    expect(at(rows([10, 12], [15, 14])).points).toBe(25);
  });

  it('all three: 17 + 15 + 10 = 42, clamped to maxScore 34 (research §2.3)', () => {
    expect(at([...rows([5, 8]), { k: 10, d: 9, j: -1 }])).toMatchObject({
      points: 34,
      detail: { raw: 42, maxScore: 34, conditions: ['J below 0 (+17)', 'K crossed above D below 20 (+15)', 'K below 20 (+10)'] },
    });
  });

  it('mirrors with J > 100 and K > 80: -17, -10, -25, -42 → -34', () => {
    expect(at([{ k: 70, d: 50, j: 110 }]).detail.conditions).toEqual(['J above 100 (-17)']);
    expect(at(rows([85, 88])).points).toBe(-10);
    expect(at(rows([90, 88], [85, 86])).points).toBe(-25);
    expect(at([...rows([95, 92]), { k: 90, d: 91, j: 101 }]).detail).toMatchObject({ raw: -42, points: -34 });
  });

  it('edges are strict: J = 0 / 100 and K = 20 / 80 score nothing', () => {
    expect(at([{ k: 50, d: 50, j: 0 }]).points).toBe(0);
    expect(at([{ k: 50, d: 50, j: 100 }]).points).toBe(0);
    expect(at([{ k: 20, d: 50, j: 50 }]).points).toBe(0);
    expect(at([{ k: 80, d: 50, j: 50 }]).points).toBe(0);
  });

  it('is inactive while any line is NaN, and reads no cross across a NaN', () => {
    expect(at([{ k: 10, d: 12, j: NaN }])).toMatchObject({ points: 0, detail: { active: false, value: null, raw: 0, conditions: [] } });
    expect(at([...rows([10, 12]), { k: NaN, d: NaN, j: NaN }, ...rows([15, 14])]).points).toBe(10);
  });

  it('disabled: 0 and inactive; weight sets maxScore; every number is a param', () => {
    const all = [...rows([5, 8]), { k: 10, d: 9, j: -1 }];
    expect(at(all, { enabled: false })).toMatchObject({ points: 0, detail: { enabled: false, active: false } });
    expect(at(all, { weight: 25 }).detail).toMatchObject({ points: 42, maxScore: 50 });
    expect(at(all, { jExtreme: 1, crossInZone: 2, inZone: 4 }).points).toBe(7);
    expect(at([{ k: 25, d: 26, j: 5 }], { low: 30, jLow: 10 }).points).toBe(27);
    expect(at([{ k: 75, d: 74, j: 95 }], { high: 70, jHigh: 90 }).points).toBe(-27);
  });

  it('property: |points| ≤ maxScore, and k, d, j → 100 − k, 100 − d, 100 − j negates the points', () => {
    const gap = fc.oneof(fc.constantFrom(-5, 0, 5), grid(-100, 100));
    const row = fc.oneof(
      fc.tuple(grid(0, 100), gap).map(([k, g]) => ({ k, d: k + g, j: k - 2 * g })),
      fc.record({ k: grid(0, 100), d: grid(0, 100), j: grid(-50, 150) }),
    );
    checkBoundedAndMirrored(enygmaKdjPoints, fc.array(row, { minLength: 1, maxLength: 30 }), mirror);
  });

  const eth = eth5000();
  const real = runNode(kdj, paramsOf(kdj), { high: eth.high, low: eth.low, close: eth.close });
  const inputs = { k: plain(real.k), d: plain(real.d), j: plain(real.j) };

  it('on real KDJ(9, 3, 3) of ETH 5m: within ±34, both signs', () => {
    checkRealData(enygmaKdjPoints, inputs);
  });

  describeNodeContract(enygmaKdjPoints, paramsOf(enygmaKdjPoints), { k: inputs.k.slice(0, 300), d: inputs.d.slice(0, 300), j: inputs.j.slice(0, 300) });
});

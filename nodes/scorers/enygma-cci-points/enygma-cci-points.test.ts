import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeNodeContract } from '../../_kit/contract.ts';
import { paramsOf, runNode } from '../../_kit/run-node.ts';
import { cci } from '../../indicators/cci/cci.node.ts';
import { checkBoundedAndMirrored, checkRealData, eth5000, grid, last, plain } from '../_enygma/points-testing.ts';
import { enygmaCciPoints } from './enygma-cci-points.node.ts';

const at = (values: number[], params: Record<string, unknown> = {}) => last(enygmaCciPoints, params, values.map((v) => ({ cci: v })));
const pointsAt = (...runs: number[][]) => runs.map((r) => at(r).points);

describe('enygma.cci-points', () => {
  it('tiers add up: below -100 +10, below -200 another +16 (26)', () => {
    expect(at([-150])).toMatchObject({ points: 10, detail: { indicator: 'cci', value: -150, maxScore: 32, conditions: ['CCI below -100 (+10)'] } });
    expect(at([-250]).detail).toMatchObject({ raw: 26, points: 26, conditions: ['CCI below -200 (+16)', 'CCI below -100 (+10)'] });
  });

  it('crossing above zero is a +5 bonus on its bar', () => {
    expect(at([-50, 20])).toMatchObject({ points: 5, detail: { conditions: ['CCI crossed above zero (+5)'] } });
    // only on the crossing bar
    expect(at([-50, 20, 30]).points).toBe(0);
  });

  it('mirrors above the levels: -10, -26, and -5 for crossing below zero', () => {
    expect(pointsAt([150], [250], [50, -20])).toEqual([-10, -26, -5]);
    expect(at([250]).detail.conditions).toEqual(['CCI above 200 (-16)', 'CCI above 100 (-10)']);
  });

  it('edges are strict: -200 is only beyond -100, -100 and 0 score nothing; a cross starts from zero', () => {
    expect(pointsAt([-200], [-100], [0], [100], [200], [0, 10], [0, -10])).toEqual([10, 0, 0, 0, -10, 5, -5]);
  });

  it('is inactive before the CCI warms up, and reads no cross across a NaN', () => {
    expect(at([NaN])).toMatchObject({ points: 0, detail: { active: false, value: null, raw: 0, conditions: [] } });
    expect(at([-50, NaN, 20]).points).toBe(0);
  });

  it('disabled: 0 and inactive; weight sets maxScore; every number is a param', () => {
    expect(at([-250], { enabled: false })).toMatchObject({ points: 0, detail: { enabled: false, active: false, value: -250 } });
    expect(at([-250], { weight: 10 }).detail).toMatchObject({ raw: 26, points: 20, maxScore: 20 });
    expect(at([-250], { extreme: 1, beyond: 2 }).points).toBe(3);
    expect([at([-90], { level: 80 }).points, at([-160], { extremeLevel: 150 }).points]).toEqual([10, 26]);
    expect(at([-50, 20], { crossBonus: 7 }).points).toBe(7);
  });

  it('property: |points| ≤ maxScore, and CCI → −CCI negates the points', () => {
    const rows = fc.array(grid(-300, 300, 50).map((v) => ({ cci: v })), { minLength: 1, maxLength: 30 });
    checkBoundedAndMirrored(enygmaCciPoints, rows, (r) => ({ cci: -r.cci }));
  });

  const eth = eth5000();
  const real = runNode(cci, paramsOf(cci, { period: 20 }), { high: eth.high, low: eth.low, close: eth.close }).value!;

  it('on real CCI(20) of ETH 5m: within ±32, both signs', () => {
    checkRealData(enygmaCciPoints, { cci: real });
  });

  describeNodeContract(enygmaCciPoints, paramsOf(enygmaCciPoints), { cci: plain(real).slice(0, 300) });
});

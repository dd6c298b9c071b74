import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeNodeContract } from '../../_kit/contract.ts';
import { paramsOf, runNode } from '../../_kit/run-node.ts';
import { williamsR } from '../../indicators/williams-r/williams-r.node.ts';
import { checkBoundedAndMirrored, checkRealData, eth5000, grid, last, plain } from '../_enygma/points-testing.ts';
import { enygmaWilliamsRPoints } from './enygma-williams-r-points.node.ts';

const at = (values: number[], params: Record<string, unknown> = {}) => last(enygmaWilliamsRPoints, params, values.map((value) => ({ value })));
const mirror = (r: { value: number }) => ({ value: -100 - r.value });

describe('enygma.williams-r-points', () => {
  it('oversold: +20; turning up there adds +25: 45 ≤ maxScore 55 (2.5 × 22)', () => {
    expect(at([-90])).toMatchObject({ points: 20, detail: { indicator: 'williamsR', value: -90, maxScore: 55, conditions: ['%R ≤ -80 (+20)'] } });
    expect(at([-95, -90])).toMatchObject({
      points: 45,
      detail: { raw: 45, conditions: ['%R ≤ -80 (+20)', '%R turning up at or below -80 (+25)'] },
    });
    expect([at([-90, -95]).points, at([-90, -90]).points]).toEqual([20, 20]);
  });

  it('mirrors overbought: -20, turning down -45', () => {
    expect(at([-10]).points).toBe(-20);
    expect(at([-5, -10])).toMatchObject({ points: -45, detail: { conditions: ['%R ≥ -20 (-20)', '%R turning down at or above -20 (-25)'] } });
  });

  it('zones are inclusive: -80 and -20 score, a quarter inside does not', () => {
    expect([-80, -79.75, -50, -20.25, -20].map((v) => at([v]).points)).toEqual([20, 0, 0, 0, -20]);
    // turning up out of the zone is not turning in it
    expect(at([-90, -79.75]).points).toBe(0);
  });

  it('is inactive before %R warms up, and reads no turn across a NaN', () => {
    expect(at([NaN])).toMatchObject({ points: 0, detail: { active: false, value: null, raw: 0, conditions: [] } });
    expect(at([-95, NaN, -90]).points).toBe(20);
  });

  it('disabled: 0 and inactive; weight and factor set maxScore; every number is a param', () => {
    expect(at([-95, -90], { enabled: false })).toMatchObject({ points: 0, detail: { enabled: false, active: false } });
    expect(at([-95, -90], { weight: 10 }).detail).toMatchObject({ raw: 45, points: 25, maxScore: 25 });
    expect(at([-95, -90], { maxScoreFactor: 2 }).detail).toMatchObject({ points: 44, maxScore: 44 });
    expect(at([-75, -70], { oversold: -70, inZone: 1, turning: 2 }).points).toBe(3);
    expect(at([-25], { overbought: -30 }).points).toBe(-20);
  });

  it('property: |points| ≤ maxScore, and %R → −100 − %R negates the points', () => {
    const rows = fc.array(grid(-100, 0).map((value) => ({ value })), { minLength: 1, maxLength: 30 });
    checkBoundedAndMirrored(enygmaWilliamsRPoints, rows, mirror);
  });

  const eth = eth5000();
  const real = runNode(williamsR, paramsOf(williamsR, { period: 14 }), { high: eth.high, low: eth.low, close: eth.close }).value!;

  it('on real Williams %R(14) of ETH 5m: within ±55, both signs', () => {
    checkRealData(enygmaWilliamsRPoints, { value: real });
  });

  describeNodeContract(enygmaWilliamsRPoints, paramsOf(enygmaWilliamsRPoints), { value: plain(real).slice(0, 300) });
});

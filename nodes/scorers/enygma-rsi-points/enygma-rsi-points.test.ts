import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeNodeContract } from '../../_kit/contract.ts';
import { paramsOf, runNode } from '../../_kit/run-node.ts';
import { rsi } from '../../indicators/rsi/rsi.node.ts';
import { checkBoundedAndMirrored, checkRealData, eth5000, grid, last, plain } from '../_enygma/points-testing.ts';
import { enygmaRsiPoints } from './enygma-rsi-points.node.ts';

const at = (value: number, params: Record<string, unknown> = {}) => last(enygmaRsiPoints, params, [{ rsi: value }]);
const pointsAt = (values: number[], params: Record<string, unknown> = {}) => values.map((v) => at(v, params).points);

describe('enygma.rsi-points', () => {
  it('scores +weight at oversold, scaled up to 2 × weight at RSI 0 (enygma.md §3.1)', () => {
    expect(pointsAt([30, 15, 0])).toEqual([17, 25.5, 34]);
    expect(at(15)).toMatchObject({ detail: { indicator: 'rsi', active: true, value: 15, raw: 25.5, maxScore: 34, conditions: ['RSI ≤ 30: +17 × (1 + (30 − RSI)/30)'] } });
  });

  it('mirrors in the overbought zone: -17 at 70 to -34 at 100', () => {
    expect(pointsAt([70, 85, 100])).toEqual([-17, -25.5, -34]);
    expect(at(85).detail.conditions).toEqual(['RSI ≥ 70: -17 × (1 + (RSI − 70)/30)']);
  });

  it('zones are inclusive (≤ oversold, ≥ overbought); nothing in between', () => {
    expect(pointsAt([30.25, 50, 69.75])).toEqual([0, 0, 0]);
    expect(at(50).detail).toMatchObject({ active: true, raw: 0, conditions: [] });
  });

  it('caps at maxScore = maxScoreFactor × weight', () => {
    expect(at(15, { maxScoreFactor: 1 }).detail).toMatchObject({ raw: 25.5, points: 17, maxScore: 17 });
    expect(at(85, { maxScoreFactor: 1 }).points).toBe(-17);
  });

  it('a weight or level change changes the points and maxScore', () => {
    expect(at(15, { weight: 20 }).detail).toMatchObject({ points: 30, maxScore: 40 });
    expect(pointsAt([28, 20], { oversold: 25 })).toEqual([0, 17 * 1.2]);
    expect(pointsAt([78, 90], { overbought: 80 })).toEqual([0, -17 * 1.5]);
  });

  it('ENYGMA pipeline setting (enabled false, weight 0): 0 points, inactive', () => {
    expect(at(10, { enabled: false, weight: 0 })).toMatchObject({ points: 0, detail: { enabled: false, active: false, value: 10, maxScore: 0, conditions: [] } });
    // weight 0 alone keeps it active but worth nothing (and never -0)
    expect(Object.is(at(90, { weight: 0 }).points, 0)).toBe(true);
  });

  it('is inactive before the RSI warms up', () => {
    expect(at(NaN)).toMatchObject({ points: 0, detail: { active: false, value: null, raw: 0, conditions: [] } });
  });

  it('rejects levels the scaling cannot divide by', () => {
    expect(() => paramsOf(enygmaRsiPoints, { oversold: 0 })).toThrow();
    expect(() => paramsOf(enygmaRsiPoints, { overbought: 100 })).toThrow();
  });

  it('property: |points| ≤ maxScore, and rsi → 100 − rsi negates the points', () => {
    const rows = fc.array(grid(0, 100).map((v) => ({ rsi: v })), { minLength: 1, maxLength: 20 });
    checkBoundedAndMirrored(enygmaRsiPoints, rows, (r) => ({ rsi: 100 - r.rsi }));
  });

  const eth = eth5000();
  const real = runNode(rsi, paramsOf(rsi, { period: 14 }), { source: eth.close }).value!;

  it('on real RSI(14) of ETH 5m: within ±34, both signs', () => {
    checkRealData(enygmaRsiPoints, { rsi: real });
  });

  describeNodeContract(enygmaRsiPoints, paramsOf(enygmaRsiPoints), { rsi: plain(real).slice(0, 300) });
});

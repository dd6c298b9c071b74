import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeNodeContract } from '../../_kit/contract.ts';
import { paramsOf, runNode } from '../../_kit/run-node.ts';
import { obv } from '../../indicators/obv/obv.node.ts';
import { sma } from '../../indicators/sma/sma.node.ts';
import { checkBoundedAndMirrored, checkRealData, eth5000, fire, grid, last, plain } from '../_enygma/points-testing.ts';
import { enygmaObvPoints } from './enygma-obv-points.node.ts';

type Row = { close: number; obv: number; obvAverage: number };
/** [close, obv, obvAverage] */
const rows = (...r: [number, number, number][]): Row[] => r.map(([close, obv, obvAverage]) => ({ close, obv, obvAverage }));
const negate = (r: Row): Row => ({ close: -r.close, obv: -r.obv, obvAverage: -r.obvAverage });
const at = (r: Row[], params: Record<string, unknown> = {}) => last(enygmaObvPoints, params, r);

describe('enygma.obv-points', () => {
  it('price up, OBV up and above its average: +18', () => {
    expect(at(rows([100, 1000, 900], [101, 1100, 950]))).toMatchObject({
      points: 18,
      detail: { indicator: 'obv', value: 150, raw: 18, maxScore: 36, conditions: ['price and OBV up, OBV above its average (+18)'] },
    });
    // OBV up but not above its average: nothing
    expect(at(rows([100, 1000, 1200], [101, 1100, 1200])).points).toBe(0);
  });

  it('price down while OBV up: bullish divergence +10', () => {
    expect(at(rows([100, 1000, 900], [99, 1100, 950])).detail.conditions).toEqual(['bullish divergence (price down, OBV up) (+10)']);
    expect(at(rows([100, 1000, 900], [99, 1100, 950])).points).toBe(10);
  });

  it('mirrors: -18 for price and OBV down below the average, -10 for price up while OBV down', () => {
    expect(at(rows([101, 1100, 1200], [100, 1000, 1150])).points).toBe(-18);
    expect(at(rows([100, 1000, 900], [101, 1100, 950]).map(negate)).points).toBe(-18);
    expect(at(rows([99, 1100, 900], [100, 1000, 950])).detail.conditions).toEqual(['bearish divergence (price up, OBV down) (-10)']);
  });

  it('edges: unchanged price or OBV, or OBV equal to its average, score nothing', () => {
    expect(at(rows([100, 1000, 900], [100, 1100, 950])).points).toBe(0);
    expect(at(rows([100, 1000, 900], [101, 1000, 950])).points).toBe(0);
    expect(at(rows([100, 1000, 900], [101, 1100, 1100])).points).toBe(0);
    expect(at(rows([100, 1000, 900])).detail).toMatchObject({ active: true, raw: 0, conditions: [] });
  });

  it('is inactive while the average warms up, and compares nothing across a NaN', () => {
    expect(at(rows([100, 1000, NaN]))).toMatchObject({ points: 0, detail: { active: false, value: null, raw: 0, conditions: [] } });
    expect(at(rows([100, 1000, 900], [NaN, NaN, 900], [101, 1100, 950])).points).toBe(0);
  });

  it('disabled: 0 and inactive; weight sets maxScore; every number is a param', () => {
    const up = rows([100, 1000, 900], [101, 1100, 950]);
    expect(at(up, { enabled: false })).toMatchObject({ points: 0, detail: { enabled: false, active: false, value: 150 } });
    expect(at(up, { weight: 5 }).detail).toMatchObject({ raw: 18, points: 10, maxScore: 10 });
    expect(at(up, { confirmation: 3 }).points).toBe(3);
    expect(at(rows([100, 1000, 900], [99, 1100, 950]), { divergence: 4 }).points).toBe(4);
  });

  it('property: |points| ≤ maxScore, and negating close, OBV and its average negates the points', () => {
    const rowsArb = fc.array(fc.record({ close: grid(95, 105, 1), obv: grid(-10, 10, 1), obvAverage: grid(-10, 10, 1) }), { minLength: 1, maxLength: 30 });
    checkBoundedAndMirrored(enygmaObvPoints, rowsArb, negate);
  });

  const eth = eth5000();
  const line = plain(runNode(obv, paramsOf(obv), { close: eth.close, volume: eth.volume }).value);
  const inputs = { close: eth.close, obv: line, obvAverage: plain(runNode(sma, paramsOf(sma, { period: 20 }), { source: line }).value) };

  it('on real OBV and SMA(OBV, 20) of ETH 5m: within ±36, both signs', () => {
    checkRealData(enygmaObvPoints, inputs);
  });

  it('an OBV from the same closes never diverges from them bar over bar (the spec literal kept)', () => {
    const fired = fire(enygmaObvPoints, {}, inputs.close.map((close, k) => ({ close, obv: inputs.obv[k]!, obvAverage: inputs.obvAverage[k]! })));
    expect(fired.filter((f) => f.detail.conditions.some((c) => c.includes('divergence')))).toHaveLength(0);
  });

  const first = (n: number) => Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, v.slice(0, n)]));
  describeNodeContract(enygmaObvPoints, paramsOf(enygmaObvPoints), first(300));
});

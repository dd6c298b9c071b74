import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeNodeContract } from '../../_kit/contract.ts';
import { paramsOf, runNode } from '../../_kit/run-node.ts';
import { ema } from '../../indicators/ema/ema.node.ts';
import { checkBoundedAndMirrored, checkRealData, eth5000, grid, last, plain } from '../_enygma/points-testing.ts';
import { enygmaEmaTrendPoints } from './enygma-ema-trend-points.node.ts';

type Row = { close: number; short: number; medium: number; long: number };
/** [close, short, medium, long] */
const rows = (...r: [number, number, number, number][]): Row[] => r.map(([close, short, medium, long]) => ({ close, short, medium, long }));
const negate = (r: Row): Row => ({ close: -r.close, short: -r.short, medium: -r.medium, long: -r.long });
const at = (r: Row[], params: Record<string, unknown> = {}) => last(enygmaEmaTrendPoints, params, r);
const GOLDEN = 'golden cross (short EMA crossed above long) (+20)';

describe('enygma.ema-trend-points', () => {
  it('each condition alone: golden cross +20, stack +15, close above long +5', () => {
    expect(at(rows([100, 99, 101, 100], [100, 101, 102, 100])).detail.conditions).toEqual([GOLDEN]);
    expect(at(rows([100, 99, 101, 100], [100, 101, 102, 100])).points).toBe(20);
    expect(at(rows([101, 103, 102, 101])).points).toBe(15);
    expect(at(rows([102, 100, 103, 101])).points).toBe(5);
  });

  it('all three: 20 + 15 + 5 = 40, clamped to maxScore 38 (research §2.3)', () => {
    expect(at(rows([105, 99, 100.5, 100], [105, 101, 100.5, 100]))).toMatchObject({
      points: 38,
      detail: { indicator: 'emaTrend', value: 1, raw: 40, maxScore: 38, conditions: [GOLDEN, 'EMAs stacked up (short > medium > long) (+15)', 'close above long EMA (+5)'] },
    });
  });

  it('mirrors: death cross, stacked down, close below long: -40 → -38', () => {
    const bull = rows([105, 99, 100.5, 100], [105, 101, 100.5, 100]);
    expect(at(bull.map(negate))).toMatchObject({ points: -38, detail: { raw: -40 } });
    expect(at(rows([101, 103, 102, 101]).map(negate)).detail.conditions).toEqual(['EMAs stacked down (short < medium < long) (-15)']);
  });

  it('edges: ties are neither above nor below, a cross starts from a touch', () => {
    expect(at(rows([100, 100, 100, 100])).detail).toMatchObject({ active: true, raw: 0, conditions: [] });
    expect(at(rows([101, 102, 101, 101])).points).toBe(0);
    expect(at(rows([100, 100, 99, 100], [100, 101, 99, 100])).points).toBe(20);
    expect(at(rows([100, 99, 99, 100], [100, 100, 99, 100])).points).toBe(0);
  });

  it('is inactive while an EMA warms up, and reads no cross across a NaN', () => {
    expect(at(rows([100, 101, 100.5, NaN]))).toMatchObject({ points: 0, detail: { active: false, value: null, raw: 0, conditions: [] } });
    expect(at(rows([100, 99, 101, 100], [100, NaN, 101, 100], [100, 101, 102, 100])).points).toBe(0);
  });

  it('disabled: 0 and inactive; weight sets maxScore; every number is a param', () => {
    const bull = rows([105, 99, 100.5, 100], [105, 101, 100.5, 100]);
    expect(at(bull, { enabled: false })).toMatchObject({ points: 0, detail: { enabled: false, active: false } });
    expect(at(bull, { weight: 25 }).detail).toMatchObject({ points: 40, maxScore: 50 });
    expect(at(bull, { golden: 1, stack: 2, aboveLong: 4 }).points).toBe(7);
  });

  it('property: |points| ≤ maxScore, and negating all four inputs negates the points', () => {
    const v = grid(95, 105, 1);
    const rowsArb = fc.array(fc.record({ close: v, short: v, medium: v, long: v }), { minLength: 1, maxLength: 30 });
    checkBoundedAndMirrored(enygmaEmaTrendPoints, rowsArb, negate);
  });

  const eth = eth5000();
  const emaOf = (period: number) => plain(runNode(ema, paramsOf(ema, { period }), { source: eth.close }).value);
  const inputs = { close: eth.close, short: emaOf(10), medium: emaOf(25), long: emaOf(50) };

  it('on real EMA 10/25/50 of ETH 5m: within ±38, both signs, and the golden cross occurs', () => {
    checkRealData(enygmaEmaTrendPoints, inputs);
    expect(runNode(enygmaEmaTrendPoints, paramsOf(enygmaEmaTrendPoints), inputs).points!.some((p) => p >= 38)).toBe(true);
  });

  const first = (n: number) => Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, v.slice(0, n)]));
  describeNodeContract(enygmaEmaTrendPoints, paramsOf(enygmaEmaTrendPoints), first(300));
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeNodeContract } from '../../_kit/contract.ts';
import { paramsOf, runNode } from '../../_kit/run-node.ts';
import { macd } from '../../indicators/macd/macd.node.ts';
import { checkBoundedAndMirrored, checkRealData, eth5000, grid, last, plain } from '../_enygma/points-testing.ts';
import { enygmaMacdPoints } from './enygma-macd-points.node.ts';

type Row = { macd: number; signal: number; histogram: number };
/** [macd, signal] pairs; the histogram is their difference, as the MACD node gives it */
const rows = (...pairs: [number, number][]): Row[] => pairs.map(([m, s]) => ({ macd: m, signal: s, histogram: m - s }));
const negate = (r: Row): Row => ({ macd: -r.macd, signal: -r.signal, histogram: -r.histogram });
const at = (r: Row[], params: Record<string, unknown> = {}) => last(enygmaMacdPoints, params, r);

describe('enygma.macd-points', () => {
  it('above the signal with a positive, rising histogram: +18', () => {
    expect(at(rows([1.5, 1], [2, 1]))).toMatchObject({
      points: 18,
      detail: { indicator: 'macd', value: 1, raw: 18, maxScore: 36, conditions: ['MACD above signal, histogram positive and rising (+18)'] },
    });
  });

  it('positive histogram not rising (smaller or equal): +12', () => {
    expect(at(rows([2, 1], [1.5, 1])).points).toBe(12);
    expect(at(rows([2, 1], [2, 1])).detail.conditions).toEqual(['MACD above signal, histogram positive but not rising (+12)']);
  });

  it('the crossing bar adds +15 to the rising trend: 33 of 36', () => {
    expect(at(rows([0.9, 1], [1.2, 1]))).toMatchObject({
      points: 33,
      detail: { conditions: ['MACD above signal, histogram positive and rising (+18)', 'MACD crossed above signal (+15)'] },
    });
    // from a touch (prev MACD = prev signal) too
    expect(at(rows([1, 1], [1.2, 1])).points).toBe(33);
  });

  it('mirrors below the signal: -18 falling, -12 not falling, -33 on the cross', () => {
    expect(at(rows([1.5, 1], [2, 1]).map(negate)).points).toBe(-18);
    expect(at(rows([2, 1], [1.5, 1]).map(negate)).detail.conditions).toEqual(['MACD below signal, histogram negative but not falling (-12)']);
    expect(at(rows([0.9, 1], [1.2, 1]).map(negate))).toMatchObject({ points: -33, detail: { value: -(1.2 - 1) } });
  });

  it('needs the previous histogram for the trend, and a non-zero histogram', () => {
    expect(at(rows([2, 1])).detail).toMatchObject({ active: true, raw: 0, conditions: [] });
    expect(at([{ macd: 2, signal: 1, histogram: 1 }, { macd: 2, signal: 1, histogram: 0 }]).points).toBe(0);
    expect(at([...rows([1.5, 1]), { macd: NaN, signal: NaN, histogram: NaN }, ...rows([2, 1])]).points).toBe(0);
  });

  it('is inactive while any line is NaN (warm-up) and when disabled', () => {
    expect(at([{ macd: 1, signal: NaN, histogram: NaN }])).toMatchObject({ points: 0, detail: { active: false, value: null, conditions: [] } });
    expect(at(rows([0.9, 1], [1.2, 1]), { enabled: false })).toMatchObject({ points: 0, detail: { enabled: false, active: false, raw: 0 } });
  });

  it('weight sets maxScore; point values are params', () => {
    expect(at(rows([0.9, 1], [1.2, 1]), { weight: 10 }).detail).toMatchObject({ raw: 33, points: 20, maxScore: 20 });
    expect(at(rows([0.9, 1], [1.2, 1]), { trendStrengthening: 1, cross: 2 }).points).toBe(3);
    expect(at(rows([2, 1], [1.5, 1]), { trendWeakening: 4 }).points).toBe(4);
  });

  it('property: |points| ≤ maxScore, and negating the three lines negates the points', () => {
    const line = grid(-5, 5, 0.5);
    const row = fc.oneof(
      fc.tuple(line, line).map(([m, s]) => ({ macd: m, signal: s, histogram: m - s })),
      fc.record({ macd: line, signal: line, histogram: line }),
    );
    checkBoundedAndMirrored(enygmaMacdPoints, fc.array(row, { minLength: 1, maxLength: 30 }), negate);
  });

  const eth = eth5000();
  const real = runNode(macd, paramsOf(macd), { source: eth.close });
  const inputs = { macd: real.macd!, signal: real.signal!, histogram: real.histogram! };

  it('on real MACD(12, 26, 9) of ETH 5m: within ±36, both signs', () => {
    checkRealData(enygmaMacdPoints, inputs);
  });

  describeNodeContract(enygmaMacdPoints, paramsOf(enygmaMacdPoints), {
    macd: plain(inputs.macd).slice(0, 300),
    signal: plain(inputs.signal).slice(0, 300),
    histogram: plain(inputs.histogram).slice(0, 300),
  });
});

/**
 * The worked examples of the K/D zone rule (research §2.3), shared by the StochRSI and Stochastic
 * points tests, which differ only in their cross points. Imported by tests only.
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import type { AnyNodeDefinition } from '../../../engine/core/node-definition.ts';
import { checkBoundedAndMirrored, fire, grid, last } from './points-testing.ts';

type KD = { k: number; d: number };
const rows = (...pairs: [number, number][]): KD[] => pairs.map(([k, d]) => ({ k, d }));

export function kdZoneExamples(def: AnyNodeDefinition, cross: number): void {
  const at = (r: KD[], params: Record<string, unknown> = {}) => last(def, params, r);

  it(`K below 20 scores +10; crossing above D there adds +${cross} (${cross + 10} of 40)`, () => {
    expect(at(rows([15, 18]))).toMatchObject({ points: 10, detail: { raw: 10, conditions: ['K below 20 (+10)'] } });
    expect(at(rows([10, 12], [15, 14]))).toMatchObject({
      points: cross + 10,
      detail: { active: true, value: 15, raw: cross + 10, maxScore: 40, conditions: [`K crossed above D below 20 (+${cross})`, 'K below 20 (+10)'] },
    });
  });

  it(`mirrors above 80: -10, and -${cross} more for crossing below D`, () => {
    expect(at(rows([85, 82])).points).toBe(-10);
    expect(at(rows([90, 88], [85, 86]))).toMatchObject({
      points: -cross - 10,
      detail: { conditions: [`K crossed below D above 80 (-${cross})`, 'K above 80 (-10)'] },
    });
  });

  it('scores a cross only when it ends inside the zone, and nothing between the zones', () => {
    expect(at(rows([18, 19], [25, 22])).points).toBe(0);
    expect(at(rows([82, 81], [75, 78])).points).toBe(0);
    expect(at(rows([40, 50], [60, 55])).detail).toMatchObject({ active: true, raw: 0, conditions: [] });
  });

  it('zones are strict: K = 20 and K = 80 score nothing, a quarter past them does', () => {
    expect([20, 19.75, 80, 80.25].map((k) => at(rows([k, 50])).points)).toEqual([0, 10, 0, -10]);
  });

  it('a cross starts from a touch (prev K = prev D) and needs K > D now', () => {
    expect(at(rows([12, 12], [14, 13])).points).toBe(cross + 10);
    expect(at(rows([10, 12], [12, 12])).points).toBe(10);
    expect(at(rows([88, 88], [86, 87])).points).toBe(-cross - 10);
  });

  it('is inactive with a NaN input (warm-up), and reads no cross across it', () => {
    for (const r of [{ k: NaN, d: 10 }, { k: 10, d: NaN }]) {
      expect(at([r])).toMatchObject({ points: 0, detail: { active: false, enabled: true, raw: 0, conditions: [] } });
    }
    expect(at([{ k: NaN, d: 10 }]).detail.value).toBeNull();
    expect(at(rows([10, 12], [NaN, NaN], [15, 14])).points).toBe(10);
  });

  it('disabled: 0 points, inactive, value still shown', () => {
    expect(at(rows([10, 12], [15, 14]), { enabled: false })).toMatchObject({
      points: 0,
      detail: { enabled: false, active: false, value: 15, raw: 0, points: 0, conditions: [] },
    });
  });

  it('weight sets maxScore (factor × weight); every number is a param', () => {
    expect(at(rows([10, 12], [15, 14]), { weight: 10 }).detail).toMatchObject({ raw: cross + 10, points: 20, maxScore: 20 });
    expect(at(rows([10, 12], [15, 14]), { weight: 10, maxScoreFactor: 3 }).points).toBe(cross + 10);
    expect(at(rows([10, 12], [15, 14]), { weight: 0 }).points).toBe(0);
    expect(at(rows([10, 12], [25, 14]), { oversold: 30, crossInZone: 7, inZone: 1 }).points).toBe(8);
    expect(at(rows([75, 72]), { overbought: 70, inZone: 4 }).detail.conditions).toEqual(['K above 70 (-4)']);
  });

  it('emits a new detail object every firing', () => {
    const fired = fire(def, {}, rows([10, 12], [10, 12], [NaN, 1], [NaN, 1]));
    expect(new Set(fired.map((f) => f.detail)).size).toBe(4);
  });

  it('property: |points| ≤ maxScore, and k, d → 100 − k, 100 − d negates the points', () => {
    // d near k half the time, so touches and crosses inside the zones are common
    const gap = fc.oneof(fc.constantFrom(-5, -0.25, 0, 0.25, 5), grid(-100, 100));
    const row = fc.tuple(grid(0, 100), gap).map(([k, g]) => ({ k, d: k + g }));
    checkBoundedAndMirrored(def, fc.array(row, { minLength: 1, maxLength: 30 }), (r) => ({ k: 100 - r.k, d: 100 - r.d }));
  });
}

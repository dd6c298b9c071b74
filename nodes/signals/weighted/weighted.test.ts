import { describe, expect, it } from 'vitest';
import { describeNodeContract } from '../../_kit/contract.ts';
import { paramsOf } from '../../_kit/run-node.ts';
import { compileErrors, runRows, spreadMany } from '../_shared/testing.ts';
import { weighted } from './weighted.node.ts';

const weigh = (weights: number[], scores: number[], extra: Record<string, unknown> = {}) =>
  runRows(weighted, paramsOf(weighted, { weights, ...extra }), [{ scores }])[0]!;
const issues = (params: Record<string, unknown>) => {
  const parsed = weighted.params.safeParse(params);
  return parsed.success ? [] : parsed.error.issues.map((i) => [i.path.join('.'), i.message]);
};

describe('signal.weighted', () => {
  it('worked example: 0.5·1 + 0.3·(−0.5) + 0.2·0.25 = 0.4 → cool', () => {
    const o = weigh([0.5, 0.3, 0.2], [1, -0.5, 0.25]);
    expect(o['score']).toBeCloseTo(0.4, 15);
    expect(o['temperature']).toBe('cool');
  });

  it('worked example: 0.6·(−1) + 0.4·(−0.5) = −0.8 → hot (temperature reads |score|)', () => {
    const o = weigh([0.6, 0.4], [-1, -0.5]);
    expect(o['score']).toBeCloseTo(-0.8, 15);
    expect(o['temperature']).toBe('hot');
  });

  it('labels by |score| with each level inclusive from below', () => {
    const label = (s: number) => weigh([1], [s])['temperature'];
    expect([0, 0.2499, 0.25, 0.4999, 0.5, 0.7499, 0.75, 1].map(label)).toEqual(['frozen', 'frozen', 'cool', 'cool', 'warm', 'warm', 'hot', 'hot']);
    expect([-0.25, -0.5, -0.75].map(label)).toEqual(['cool', 'warm', 'hot']);
    expect(weigh([1], [0.3], { temperatureLevels: [0.1, 0.2, 0.3] })['temperature']).toBe('hot');
  });

  it('is NaN (temperature empty) while any score is NaN, even one weighted 0', () => {
    expect(weigh([0.5, 0.5], [1, NaN])).toEqual({ score: NaN, temperature: '' });
    expect(weigh([0.5, 0], [1, NaN])).toEqual({ score: NaN, temperature: '' });
  });

  it('does not clamp scores outside −1..+1', () => {
    expect(weigh([0.5], [4])['score']).toBe(2);
  });

  describe('params', () => {
    it('weights sum to at most 1 (with 1e-12 slack for rounding)', () => {
      expect(0.2 + 0.4 + 0.3 + 0.1).toBeGreaterThan(1);
      expect(issues({ weights: [0.2, 0.4, 0.3, 0.1] })).toEqual([]);
      expect(issues({ weights: [0.6, 0.5] })).toEqual([['weights', 'weights must sum to at most 1, got 1.1']]);
      expect(issues({ weights: [1, 1e-11] })).toHaveLength(1);
    });

    it('each weight is in [0, 1] and there is at least one', () => {
      expect(issues({ weights: [-0.1, 0.5] })).toHaveLength(1);
      expect(issues({ weights: [] })).toHaveLength(1);
      expect(issues({})).toHaveLength(1);
    });

    it('temperature levels strictly increase within (0, 1]', () => {
      const message = (l: string) => [['temperatureLevels', `temperatureLevels must be strictly increasing within (0, 1], got ${l}`]];
      expect(issues({ weights: [1], temperatureLevels: [0.2, 0.5, 1] })).toEqual([]);
      expect(issues({ weights: [1], temperatureLevels: [0, 0.5, 0.75] })).toEqual(message('[0, 0.5, 0.75]'));
      expect(issues({ weights: [1], temperatureLevels: [0.25, 0.25, 0.75] })).toEqual(message('[0.25, 0.25, 0.75]'));
      expect(issues({ weights: [1], temperatureLevels: [0.25, 0.5, 1.5] })).toEqual(message('[0.25, 0.5, 1.5]'));
    });
  });

  describe('wiring (check and compile)', () => {
    it('needs one weight per wired score, naming both counts', () => {
      const p = paramsOf(weighted, { weights: [0.5, 0.5] }) as never;
      expect(weighted.check!(p, { scores: 3 })).toBe('weights has 2 entries but 3 scores are wired; give one weight per score, in the same order');
      expect(weighted.check!(p, { scores: 1 })).toBe('weights has 2 entries but 1 score is wired; give one weight per score, in the same order');
      expect(weighted.check!(p, { scores: 2 })).toBeUndefined();
    });

    it('reports the mismatch from a compiled pipeline', () => {
      const errors = compileErrors(
        [weighted],
        [
          'a: { type: indicator.sma, params: { period: 5 }, in: { source: candles.close } }',
          'w: { type: signal.weighted, params: { weights: [0.5] }, in: { scores: [a.value, a.value] } }',
        ].join('\n'),
      );
      expect(errors.map((e) => e.format())).toEqual(['test.yaml:5:3: node "w": weights has 1 entry but 2 scores are wired; give one weight per score, in the same order [node.check]']);
    });
  });
});

const n = 200;
const wave = (phase: number) => Array.from({ length: n }, (_, k) => Math.sin(k * 0.13 + phase));
describeNodeContract(spreadMany(weighted, 'scores', ['a', 'b', 'c']), paramsOf(weighted, { weights: [0.5, 0.3, 0.2] }), { a: wave(0), b: wave(1), c: wave(2) });

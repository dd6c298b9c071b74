import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineNode } from '../../../engine/core/node-definition.ts';
import { paramsOf } from '../../_kit/run-node.ts';
import { atr } from '../../indicators/atr/atr.node.ts';
import { compileErrors } from '../../signals/_shared/testing.ts';
import { resample } from '../../transforms/resample/resample.node.ts';
import { enygmaAtrRegime } from '../enygma-atr-regime/enygma-atr-regime.node.ts';
import type { ScoreBreakdown } from '../_enygma/score-breakdown.ts';
import { enygmaScorer } from './enygma-scorer.node.ts';
import { score, sig, signals } from './scorer-testing.ts';

const MODIFIERS = { LOW: 15, MEDIUM: 5, HIGH: -15 } as const;

describe('enygma.scorer arithmetic', () => {
  it('defaults to the ENYGMA v5.2.6 numbers', () => {
    expect(paramsOf(enygmaScorer)).toMatchObject({
      indicatorCap: 200, microCap: 20, totalCap: 220, microIndicators: ['dom'],
      classes: { extreme: 130, strong: 95, plain: 65, weak: 40 },
      confidenceBase: 1, chopPenalty: 0.05, chopScore: 80, atrPctHigh: 6, atrPctHighPenalty: 0.06, atrPctElevated: 4, atrPctElevatedPenalty: 0.03,
      conflictPenalty: 0.02, weakScore: 60, weakScorePenalty: 0.1, lowConfluencePct: 60, lowConfluencePenalty: 0.05,
    });
    expect(enygmaScorer.params.safeParse({ classes: { weak: 70 } }).success).toBe(false);
    expect(enygmaScorer.params.safeParse({ atrPctElevated: 6 }).success).toBe(false);
    expect(enygmaScorer.params.safeParse({ chopPenalty: -0.1 }).success).toBe(false);
  });

  it('caps the indicator sum at ±200, the micro sum at ±20 and the total at ±220', () => {
    expect(score([...signals(50, 50, 50, 50, 50), sig('dom', 30)])).toMatchObject({ indicatorScore: 200, microScore: 20, total: 220 });
    expect(score([...signals(-50, -50, -50, -50, -50), sig('dom', -30)])).toMatchObject({ indicatorScore: -200, microScore: -20, total: -220 });
    expect(score([...signals(50, 50, 50, 40), sig('dom', 15)])).toMatchObject({ indicatorScore: 190, microScore: 15, total: 205 });
    // microIndicators decides which keys are microstructure: they share the micro cap
    expect(score([sig('a', 30), sig('dom', 15), sig('funding', 15)], {}, { microIndicators: ['dom', 'funding'] })).toMatchObject({ indicatorScore: 30, microScore: 20, total: 50 });
    expect(score([sig('a', 150), sig('dom', 15)], {}, { indicatorCap: 100, microCap: 10, totalCap: 105 })).toMatchObject({ indicatorScore: 100, microScore: 10, total: 105 });
  });

  it('applies the ATR modifier in the direction of the total for each regime and sign, then clamps', () => {
    for (const regime of ['LOW', 'MEDIUM', 'HIGH'] as const) {
      const m = MODIFIERS[regime];
      const ctx = { regime, scoreModifier: m };
      expect(score(signals(60, 40), ctx)['total'], `${regime} +`).toBe(100 + m);
      expect(score(signals(-60, -40), ctx)['total'], `${regime} −`).toBe(-100 - m);
      expect(score(signals(30, -30), ctx)['total'], `${regime} 0`).toBe(0); // sign(0) = 0: no modifier
      expect((score(signals(-60, -40), ctx)['breakdown'] as ScoreBreakdown).modifier).toBe(-m);
    }
    expect(score([...signals(50, 50, 50, 50), sig('dom', 15)], { regime: 'LOW', scoreModifier: 15 })['total']).toBe(220);
    expect(score([...signals(-50, -50, -50, -50), sig('dom', -10)], { regime: 'LOW', scoreModifier: 15 })['total']).toBe(-220);
    // literal spec (total += sign(total) × modifier): HIGH's −15 pulls a weak total through zero
    expect(score(signals(10), { regime: 'HIGH', scoreModifier: -15 })).toMatchObject({ total: -5, classification: 'NEUTRAL', agree: 0 });
  });

  it('classifies at every cut-point, lower-inclusive and mirrored, with no gaps for fractions', () => {
    const cases: [number, string][] = [
      [220, 'EXTREME_BUY'], [130, 'EXTREME_BUY'], [129.999, 'STRONG_BUY'], [95, 'STRONG_BUY'], [94.9, 'BUY'], [65, 'BUY'],
      [64.999, 'BUY_WEAK'], [40, 'BUY_WEAK'], [39.5, 'NEUTRAL'], [0, 'NEUTRAL'], [-39.5, 'NEUTRAL'], [-39.9999, 'NEUTRAL'],
      [-40, 'SELL_WEAK'], [-40.0001, 'SELL_WEAK'], [-64.999, 'SELL_WEAK'], [-65, 'SELL'], [-94.9, 'SELL'], [-95, 'STRONG_SELL'],
      [-129.999, 'STRONG_SELL'], [-130, 'EXTREME_SELL'], [-220, 'EXTREME_SELL'],
    ];
    for (const [total, expected] of cases) {
      const row = score(signals(total / 2, total / 2), {}, { indicatorCap: 1000 });
      expect(row['total']).toBe(total);
      expect(row['classification'], String(total)).toBe(expected);
    }
    expect(score(signals(50), {}, { classes: { weak: 50, plain: 60, strong: 70, extreme: 80 } })['classification']).toBe('BUY_WEAK');
  });

  it('counts confluence over active signals only: inactive, disabled, unfired and offline DOM are excluded', () => {
    const list = [
      sig('a', 20), sig('b', 15), sig('c', 10), sig('d', -5), sig('e', 0),
      sig('f', 0, { active: false, value: null }),
      sig('g', 30, { active: false }), // contract says 0 when inactive; a stray value is not counted
      sig('rsi', 0, { enabled: false, active: false }),
      sig('dom', 0, { active: false, value: null }),
      null, // a points node that has not fired yet
    ];
    const row = score(list);
    expect(row).toMatchObject({ active: 5, bullish: 3, bearish: 1, agree: 3, confluencePct: 60, total: 40, indicatorScore: 40, microScore: 0 });
    const b = row['breakdown'] as ScoreBreakdown;
    expect(b.signals.map((s) => [s.indicator, s.sign, s.micro])).toEqual([
      ['a', 1, false], ['b', 1, false], ['c', 1, false], ['d', -1, false], ['e', 0, false], ['f', 0, false], ['g', 0, false], ['rsi', 0, false], ['dom', 0, true],
    ]);
    // live DOM counts like any other active signal
    expect(score([...list.slice(0, 5), sig('dom', -8)])).toMatchObject({ active: 6, bullish: 3, bearish: 2, agree: 3, confluencePct: 50, microScore: -8, total: 32 });
    // bearish total: agree counts the bearish side
    expect(score(signals(-30, -20, 10))).toMatchObject({ agree: 2, active: 3, confluencePct: (2 / 3) * 100 });
    // total 0: nobody agrees
    expect(score(signals(30, -30, 0))).toMatchObject({ agree: 0, active: 3, confluencePct: 0, classification: 'NEUTRAL' });
  });

  it('outputs NaN (and no class) while no signal is active, or while the regime has no value', () => {
    const empty = { total: NaN, indicatorScore: NaN, microScore: NaN, classification: '', agree: NaN, active: 0, bullish: 0, bearish: 0, confluencePct: NaN, confidence: NaN };
    expect(score([])).toMatchObject(empty);
    expect(score([null, sig('a', 0, { active: false }), sig('dom', 0, { active: false })])).toMatchObject(empty);
    for (const regime of [{ regime: '' as const }, { scoreModifier: NaN }, { atrPct: NaN }]) {
      expect(score(signals(50, 30), regime)).toMatchObject({ indicatorScore: 80, microScore: 0, total: NaN, classification: '', agree: NaN, active: 2, confidence: NaN });
    }
  });

  it('keeps the breakdown independent of the reused input buffer', () => {
    const list = [sig('a', 50), sig('b', 30)];
    const row = score(list);
    list[0] = sig('a', -50);
    list.pop();
    expect((row['breakdown'] as ScoreBreakdown).signals.map((s) => s.points)).toEqual([50, 30]);
  });
});

/** A stand-in for an enygma.*-points node: one record output on its input's clock. */
const fakePoints = defineNode({
  type: 'test.points', version: 1, title: 'fake points', category: 'scorer', summary: 'test only', params: z.object({}),
  inputs: { source: { type: 'series' } }, outputs: { detail: { type: 'record' } }, syncInputs: true, warmup: () => 0, init: () => ({}),
  step: (_s: object, i: { source: number }, o: { detail: unknown }) => ((o.detail = sig('a', i.source)), true),
});

describe('enygma.scorer in a pipeline', () => {
  const defs = [resample, atr, enygmaAtrRegime, fakePoints, enygmaScorer];
  const head = `tf30: { type: transform.resample, params: { timeframe: 30min }, in: { bar: candles.bar } }
atr30: { type: indicator.atr, params: { smoothing: sma }, in: { high: tf30.high, low: tf30.low, close: tf30.close } }
regime30: { type: enygma.atr-regime, in: { atr: atr30.value, close: tf30.close } }
p1: { type: test.points, in: { source: tf30.close } }
p2: { type: test.points, in: { source: tf30.open } }
live: { type: test.points, in: { source: candles.close } }`;
  const scorer = (signals: string) =>
    `score: { type: enygma.scorer, in: { signals: [${signals}], regime: regime30.regime, atrPct: regime30.atrPct, scoreModifier: regime30.scoreModifier } }`;

  it('compiles with the timeframe\'s points nodes and its regime node', () => {
    expect(compileErrors(defs, `${head}\n${scorer('p1.detail, p2.detail')}`)).toEqual([]);
  });

  it('refuses a signal from another timeframe (e.g. a base-clock DOM node)', () => {
    expect(compileErrors(defs, `${head}\n${scorer('p1.detail, live.detail')}`).map((e) => e.code)).toEqual(['clock.mixed']);
  });
});

describe('enygma.scorer confidence', () => {
  /** 6 bullish, 2 bearish, 1 neutral; 77 before MEDIUM's +5 → 82; ATR% 4.5. */
  const worked = () => score(signals(20, 18, 15, 12, 10, 10, -5, -3, 0), { regime: 'MEDIUM', scoreModifier: 5, atrPct: 4.5 });

  it('worked example (research §7): score 82, ATR% 4.5, 6 vs 2, confluence 66.7% → 1 − 0.03 − 0.04 = 0.93', () => {
    const row = worked();
    expect(row).toMatchObject({ total: 82, classification: 'BUY', agree: 6, active: 9, bullish: 6, bearish: 2, confidence: 0.93 });
    expect(row['confluencePct']).toBeCloseTo(66.67, 2);
    const b = row['breakdown'] as ScoreBreakdown;
    expect(b).toMatchObject({ total: 82, indicatorScore: 77, microScore: 0, beforeModifier: 77, modifier: 5, regime: 'MEDIUM', classification: 'BUY', confidence: 0.93 });
    expect(b.penalties.map((q) => [q.name, q.amount])).toEqual([['volatility', 0.03], ['conflict', 0.04]]);
    expect(b.signals[0]).toEqual({ ...sig('a', 20), sign: 1, micro: false });
    expect(JSON.parse(JSON.stringify(b)).confluence).toMatchObject({ agree: 6, active: 9, bullish: 6, bearish: 2 });
  });

  it('chop alone: LOW regime and |total| < 80 → 0.95; at 80 none', () => {
    expect(score(signals(40, 24), { regime: 'LOW', scoreModifier: 15 })).toMatchObject({ total: 79, confidence: 0.95 });
    expect(score(signals(40, 25), { regime: 'LOW', scoreModifier: 15 })).toMatchObject({ total: 80, confidence: 1 });
    expect(score(signals(40, 24), { regime: 'MEDIUM', scoreModifier: 15 })).toMatchObject({ total: 79, confidence: 1 });
  });

  it('ATR% tiers are strict and not cumulative: 4 → none, > 4 → 0.03, 6 → 0.03, > 6 → 0.06 only', () => {
    const at = (atrPct: number) => score(signals(50, 50), { atrPct })['confidence'];
    expect([at(4), at(4.0001), at(6), at(6.0001), at(20)]).toEqual([1, 0.97, 0.97, 0.94, 0.94]);
  });

  it('conflict alone: 0.02 × min(#bullish, #bearish)', () => {
    expect(score(signals(40, 40, 40, -10, -10))).toMatchObject({ bullish: 3, bearish: 2, confluencePct: 60, confidence: 0.96 });
    expect(score(signals(40, 40, 40, 40, -10))['confidence']).toBe(0.98);
  });

  it('weak score alone: |total| < 60 → 0.90; at 60 none', () => {
    expect(score(signals(59))['confidence']).toBe(0.9);
    expect(score(signals(-59))['confidence']).toBe(0.9);
    expect(score(signals(60))['confidence']).toBe(1);
  });

  it('low confluence alone: pct < 60 → 0.95; at 60 none', () => {
    expect(score(signals(40, 40, 0, 0))).toMatchObject({ confluencePct: 50, confidence: 0.95 });
    expect(score(signals(40, 40, 40, 0, 0))).toMatchObject({ confluencePct: 60, confidence: 1 });
  });

  it('adds penalties exactly in decimal and clamps at 0', () => {
    // chop + low confluence: 1 − 0.05 − 0.05 is 0.8999999999999999 in float64; the node gives 0.9
    expect(score(signals(40, 30, 0, 0), { regime: 'LOW', scoreModifier: 0 })['confidence']).toBe(0.9);
    // every penalty at once: 0.05 + 0.06 + 0.02×2 + 0.10 + 0.05 = 0.30
    expect(score(signals(20, 20, -5, -5, 0), { regime: 'LOW', scoreModifier: 0, atrPct: 7 })['confidence']).toBe(0.7);
    expect(score(signals(10, -5, 0), { regime: 'LOW', scoreModifier: 0, atrPct: 7 }, { weakScorePenalty: 1 })['confidence']).toBe(0);
    expect(score(signals(50, 50), {}, { confidenceBase: 0.8 })['confidence']).toBe(0.8);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AnyNodeDefinition } from '../../../engine/core/node-definition.ts';
import { describeNodeContract } from '../../_kit/contract.ts';
import { paramsOf } from '../../_kit/run-node.ts';
import type { Row } from '../../signals/_shared/testing.ts';
import type { IndicatorSignal } from '../_enygma/indicator-signal.ts';
import { enygmaScorer } from './enygma-scorer.node.ts';
import { score, sig } from './scorer-testing.ts';

const BUYS = ['EXTREME_BUY', 'STRONG_BUY', 'BUY', 'BUY_WEAK'];
const SELLS = ['EXTREME_SELL', 'STRONG_SELL', 'SELL', 'SELL_WEAK'];
const KEYS = ['stochRsi', 'macd', 'bollinger', 'williamsR', 'stochastic', 'emaTrend', 'ao', 'kdj', 'obv', 'cmf', 'cci', 'dom'];

const signalArb: fc.Arbitrary<IndicatorSignal | null> = fc.oneof(
  { weight: 1, arbitrary: fc.constant(null) },
  {
    weight: 9,
    arbitrary: fc
      .record({ key: fc.constantFrom(...KEYS), points: fc.oneof(fc.integer({ min: -50, max: 50 }), fc.double({ min: -50, max: 50, noNaN: true })), active: fc.boolean(), enabled: fc.boolean() })
      .map(({ key, points, active, enabled }) => sig(key, enabled && active ? points : 0, { enabled, active: enabled && active })),
  },
);
const regimeArb = fc.oneof(
  fc.constantFrom({ regime: 'LOW' as const, scoreModifier: 15 }, { regime: 'MEDIUM' as const, scoreModifier: 5 }, { regime: 'HIGH' as const, scoreModifier: -15 }),
  fc.record({ regime: fc.constantFrom('LOW' as const, 'MEDIUM' as const, 'HIGH' as const), scoreModifier: fc.double({ min: -60, max: 60, noNaN: true }) }),
);

/** The §3.2–3.3 arithmetic written out plainly, as an independent reference. */
function referenceTotal(list: readonly (IndicatorSignal | null)[], modifier: number): number {
  const live = list.filter((s): s is IndicatorSignal => s !== null && s.enabled && s.active);
  if (live.length === 0) return NaN;
  const sum = (xs: IndicatorSignal[]) => xs.reduce((a, s) => a + s.points, 0);
  const clamp = (x: number, c: number) => Math.max(-c, Math.min(c, x));
  const before = clamp(clamp(sum(live.filter((s) => s.indicator !== 'dom')), 200) + clamp(sum(live.filter((s) => s.indicator === 'dom')), 20), 220);
  return clamp(before + Math.sign(before) * modifier, 220);
}

describe('enygma.scorer properties', () => {
  it('|total| ≤ 220, confidence in [0, 1], agree ≤ active, classification follows the sign of total', () => {
    fc.assert(
      fc.property(fc.array(signalArb, { maxLength: 14 }), regimeArb, fc.double({ min: 0, max: 12, noNaN: true }), (list, regime, atrPct) => {
        const o: Row = score(list, { ...regime, atrPct });
        const total = o['total'] as number;
        expect(total).toBe(referenceTotal(list, regime.scoreModifier));
        expect((o['bullish'] as number) + (o['bearish'] as number)).toBeLessThanOrEqual(o['active'] as number);
        if (Number.isNaN(total)) {
          expect(o['active']).toBe(0);
          expect([o['classification'], o['confidence'], o['agree']]).toEqual(['', NaN, NaN]);
          return;
        }
        expect(Math.abs(total)).toBeLessThanOrEqual(220);
        expect(o['confidence']).toBeGreaterThanOrEqual(0);
        expect(o['confidence']).toBeLessThanOrEqual(1);
        expect(o['agree']).toBeLessThanOrEqual(o['active'] as number);
        expect(o['agree']).toBe(total > 0 ? o['bullish'] : total < 0 ? o['bearish'] : 0);
        const pct = o['confluencePct'] as number;
        expect(pct >= 0 && pct <= 100).toBe(true);
        const c = o['classification'] as string;
        if (total >= 40) expect(BUYS).toContain(c);
        else if (total <= -40) expect(SELLS).toContain(c);
        else expect(c).toBe('NEUTRAL');
      }),
      { numRuns: 500 },
    );
  });

  it('is symmetric: mirroring every signal and keeping the regime mirrors total and class', () => {
    fc.assert(
      fc.property(fc.array(signalArb, { maxLength: 14 }), regimeArb, (list, regime) => {
        const mirrored = list.map((s) => (s === null ? null : { ...s, points: -s.points + 0, raw: -s.raw + 0 }));
        const a = score(list, regime);
        const b = score(mirrored, regime);
        if (Number.isNaN(a['total'])) {
          expect(b['total']).toBeNaN();
          return;
        }
        expect(b['total']).toBe(-(a['total'] as number) + 0);
        expect(b['confidence']).toBe(a['confidence']);
        expect(b['classification']).toBe((a['classification'] as string).replace(/BUY|SELL/, (m) => (m === 'BUY' ? 'SELL' : 'BUY')));
      }),
    );
  });
});

// the shared contract on a stateless node: columns a…d are the points of four signals (NaN: inactive)
const n = 200;
const column = (seed: number) => Array.from({ length: n }, (_, k) => (k % 23 === seed + 5 ? NaN : Math.round(Math.sin(k * 0.17 + seed) * 45)));
const byColumns: AnyNodeDefinition = {
  ...enygmaScorer,
  step(state, inputs: Record<string, number>, out, params, ctx) {
    const list = ['a', 'b', 'c', 'd'].map((key) => {
      const q = inputs[key]!;
      return Number.isNaN(q) ? sig(key, 0, { active: false, value: null }) : sig(key, q);
    });
    return enygmaScorer.step(state, { signals: list, regime: 'MEDIUM', atrPct: inputs['atrPct']!, scoreModifier: inputs['scoreModifier']! }, out, params, ctx);
  },
};
describeNodeContract(byColumns, paramsOf(enygmaScorer), {
  a: column(0),
  b: column(1),
  c: column(2),
  d: column(3),
  atrPct: Array.from({ length: n }, (_, k) => 3 + 2 * Math.sin(k * 0.05)),
  scoreModifier: Array.from({ length: n }, () => 5),
});

/**
 * Properties of the ENYGMA gate set (enygma.md §4): no gate passes on a NaN it needs, and the rules
 * are mirror-symmetric: negating the scores and mirroring the EMA stack gives the same verdicts
 * with the opposite side.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { paramsOf } from '../../_kit/run-node.ts';
import { contextAt, runRows } from '../../signals/_shared/testing.ts';
import { accountView, BASE, CLOSING_BASE, evaluateGates, GATES, MIN, passingCase, PRIMARY, T0, type GateCase } from './harness.ts';

/** scores with the boundaries of §4 overrepresented */
const score = fc.oneof(
  fc.constantFrom(0, 15, 19.99, 20, 69.99, 70, 74.99, 75, 79.99, 80, 84, 85, 89.99, 90, 125, 125.01, 130, 220).chain((v) => fc.constantFrom(v, -v)),
  fc.integer({ min: -220, max: 220 }),
  fc.double({ min: -220, max: 220, noNaN: true }),
);

const gateCase: fc.Arbitrary<GateCase> = fc
  .record({
    prev: score,
    score,
    confidence: fc.oneof(fc.constantFrom(0.85, 0.9, 0.8999), fc.double({ min: 0, max: 1, noNaN: true })),
    active: fc.integer({ min: 1, max: 13 }),
    agreeShare: fc.double({ min: 0, max: 1, noNaN: true }),
    regime: fc.constantFrom('LOW' as const, 'MEDIUM' as const, 'HIGH' as const, '' as const),
    // small integers so that ties (a neutral stack) come up
    ema: fc.tuple(fc.integer({ min: 98, max: 102 }), fc.integer({ min: 98, max: 102 }), fc.integer({ min: 98, max: 102 })),
    others: fc.array(fc.oneof(score, fc.constant(NaN)), { minLength: 4, maxLength: 4 }),
    equity: fc.integer({ min: 9_500, max: 10_200 }),
    openPositions: fc.integer({ min: 0, max: 6 }),
    consecutiveLosses: fc.integer({ min: 0, max: 4 }),
    exitAgo: fc.option(fc.integer({ min: 0, max: 24 * 60 }), { nil: null }),
    signalAgo: fc.option(fc.integer({ min: 0, max: 120 }), { nil: null }),
  })
  .map((r) => ({
    prev: r.prev,
    score: r.score,
    confidence: r.confidence,
    agree: Math.round(r.agreeShare * r.active),
    active: r.active,
    regime: r.regime,
    ema: r.ema,
    totals: [r.others[0]!, r.score, r.others[1]!, r.others[2]!, r.others[3]!],
    account: accountView({
      equity: r.equity,
      openPositions: r.openPositions,
      consecutiveLosses: r.consecutiveLosses,
      lastExitTime: r.exitAgo === null ? null : T0 + PRIMARY - r.exitAgo * MIN,
      lastEntryOrderTime: r.signalAgo === null ? null : T0 + PRIMARY - r.signalAgo * MIN,
    }),
  }));

/** Situations that pass every gate in both modes unless the random prev spoils the strict cross. */
const nearPassing: fc.Arbitrary<GateCase> = fc
  .record({
    side: fc.constantFrom(1, -1),
    abs: fc.double({ min: 80, max: 125, noNaN: true }),
    prev: fc.double({ min: -220, max: 100, noNaN: true }),
    confidence: fc.double({ min: 0.9, max: 1, noNaN: true }),
  })
  .map((r) => passingCase(r.side * r.prev, r.side * r.abs, { confidence: r.confidence }));

const anyCase = fc.oneof(gateCase, nearPassing);

/** The same situation seen from the other side: scores negated, EMA stack mirrored around 100. */
function mirror(c: GateCase): GateCase {
  return {
    ...c,
    prev: -c.prev,
    score: -c.score,
    ema: [200 - c.ema[0], 200 - c.ema[1], 200 - c.ema[2]],
    totals: c.totals.map((t) => -t),
  };
}

/** Per gate, the inputs a NaN may arrive on that the gate cannot do without. */
const NEEDED: Record<string, readonly string[]> = {
  threshold: ['total'],
  'dead zone': ['total'],
  cross: ['total', 'time'],
  volatility: ['total'],
  confluence: ['agree', 'confluencePct'],
  confidence: ['confidence'],
  trend: ['total', 'emaShort', 'emaMedium', 'emaLong'],
  'score band': ['total'],
  // NaN totals of other timeframes legitimately do not count; the primary's is needed
  alignment: ['total'],
  cooldown: ['time'],
};

describe('ENYGMA gates: properties', () => {
  it('no gate passes on a NaN it needs, in strict or canonical mode', () => {
    fc.assert(
      fc.property(gateCase, fc.boolean(), (c, strict) => {
        for (const g of GATES) {
          for (const port of NEEDED[g.name] ?? []) {
            const params = paramsOf(g.def, g.strictFlag ? { strict } : {});
            const rows = g.name === 'cross' ? [{ total: c.prev, time: T0 - PRIMARY }, { ...g.row(c), [port]: NaN }] : [{ ...g.row(c), [port]: NaN }];
            const o = runRows(g.def, params, rows, () => contextAt(CLOSING_BASE, BASE)).at(-1)!;
            expect(o['pass'], `${g.name} with ${port} NaN`).toBe(false);
            expect(o['reason']).toMatch(/^blocked: /);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a NaN score never becomes an intent, and every gate reading it blocks', () => {
    fc.assert(
      fc.property(gateCase, fc.boolean(), (c, strict) => {
        const e = evaluateGates({ ...c, score: NaN, totals: c.totals.map((t, k) => (k === 1 ? NaN : t)) }, strict);
        expect(e.intent).toBeNull();
        for (const name of ['threshold', 'dead zone', 'cross', 'volatility', 'trend', 'score band', 'alignment']) {
          expect(e.gates.find((g) => g.name === name)!.reason, name).toBe('blocked: no score yet');
        }
      }),
      { numRuns: 300 },
    );
  });

  it('mirrored inputs give the same verdict of every gate, and the opposite side', () => {
    fc.assert(
      fc.property(anyCase, fc.boolean(), (c, strict) => {
        const a = evaluateGates(c, strict);
        const b = evaluateGates(mirror(c), strict);
        expect(b.blocked).toEqual(a.blocked);
        if (a.intent === null) expect(b.intent).toBeNull();
        else expect(b.intent?.side).toBe(-a.intent.side);
      }),
      { numRuns: 500 },
    );
  });

  it('the mirror test is not vacuous: longs, shorts and blocks all occur', () => {
    const verdicts = fc.sample(anyCase, { numRuns: 1_000, seed: 7 }).flatMap((c) => [evaluateGates(c, false), evaluateGates(c, true)].map((e) => e.intent?.side ?? 0));
    expect(verdicts).toContain(1);
    expect(verdicts).toContain(-1);
    expect(verdicts).toContain(0);
  });
});

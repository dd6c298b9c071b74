/**
 * enygma.md §7: the gate table of research §7 ("Gate vectors", rows 1–10), both columns. Each row's
 * unspecified conditions take passing defaults (passingCase); the whole gate set runs as wired in
 * the canonical pipeline, and the entry node's verdict is compared with the table.
 *
 * Every row matches the binding spec. Where more gates block than the table names, the others
 * follow from the same numbers under enygma.md §4 and are listed (with why) in `alsoBlocking`.
 */
import { describe, expect, it } from 'vitest';
import { accountView, evaluateGates, passingCase, type GateCase } from './harness.ts';

type Verdict = { side: 1 | -1 } | { named: string; says: RegExp; alsoBlocking?: string[] };

interface TableRow {
  row: number;
  c: GateCase;
  canonical: Verdict;
  strict: Verdict;
}

const ROWS: TableRow[] = [
  // 78 → 82, 0.92, 5/8, trend up, DD 1%, MEDIUM: pass LONG | pass LONG
  { row: 1, c: passingCase(78, 82, { confidence: 0.92, agree: 5, active: 8 }), canonical: { side: 1 }, strict: { side: 1 } },
  // 82 → 85, 0.92, 5/8: pass | block (no cross)
  {
    row: 2,
    c: passingCase(82, 85, { confidence: 0.92, agree: 5, active: 8 }),
    canonical: { side: 1 },
    strict: { named: 'cross', says: /no cross: prev 82 was already ≥ \+80/ },
  },
  // 70 → 77, 0.88, 5/8: pass | block (< 80; conf < 0.90)
  {
    row: 3,
    c: passingCase(70, 77, { confidence: 0.88, agree: 5, active: 8 }),
    canonical: { side: 1 },
    // the cross blocks too: 77 never reaches +80, so there is no cross of +80 on this bar
    strict: { named: 'threshold', says: /\|score\| 77 < 80 \(strict\)/, alsoBlocking: ['cross', 'confidence'] },
  },
  // −79 → −81, 0.91, 6/9, trend down: pass SHORT | pass SHORT
  { row: 4, c: passingCase(-79, -81, { confidence: 0.91, agree: 6, active: 9 }), canonical: { side: -1 }, strict: { side: -1 } },
  // 80 → 84, 0.95, 6/9, HIGH vol: block (< 85) | block (< 90)
  {
    row: 5,
    c: passingCase(80, 84, { confidence: 0.95, agree: 6, active: 9, regime: 'HIGH' }),
    canonical: { named: 'volatility', says: /\|score\| 84 < 85 \(HIGH regime: 75 \+ 10, canonical\)/ },
    // strict's cross blocks as well: prev 80 is not < +80 (the bar before already sat on the level)
    strict: { named: 'volatility', says: /\|score\| 84 < 90 \(HIGH regime: 80 \+ 10, strict\)/, alsoBlocking: ['cross'] },
  },
  // 70 → 90, 0.95, 4/9 = 44%: block (pct < 50) | block (if pct kept) — enygma.md §4 keeps it ("same")
  {
    row: 6,
    c: passingCase(70, 90, { confidence: 0.95, agree: 4, active: 9 }),
    canonical: { named: 'confluence', says: /4 agree ≥ 4, 44\.4444% < 50%/ },
    strict: { named: 'confluence', says: /4 agree ≥ 4, 44\.4444% < 50%/ },
  },
  // 10 → 15: block (dead zone) | block. Threshold and score band block the same |15| (the dead
  // zone is redundant while the threshold is ≥ 75, research §4); strict's cross too (15 < +80).
  {
    row: 7,
    c: passingCase(10, 15),
    canonical: { named: 'dead zone', says: /\|score\| 15 < 20 \(dead zone\)/, alsoBlocking: ['threshold', 'score band'] },
    strict: { named: 'dead zone', says: /\|score\| 15 < 20 \(dead zone\)/, alsoBlocking: ['threshold', 'cross', 'score band'] },
  },
  // 70 → 90, 0.95, 6/9, daily DD 3.2%: block | block
  {
    row: 8,
    c: passingCase(70, 90, { account: accountView({ equity: 9_680 }) }),
    canonical: { named: 'drawdown', says: /daily drawdown 3\.20% > 3\.00%/ },
    strict: { named: 'drawdown', says: /daily drawdown 3\.20% > 3\.00%/ },
  },
  // 100 → 130, 0.95, 8/9, score bands on: block (OVER_FIT) | block
  {
    row: 9,
    c: passingCase(100, 130, { agree: 8, active: 9 }),
    canonical: { named: 'score band', says: /\|score\| 130 > 125 \(OVER_FIT\)/ },
    // strict's cross blocks as well: prev 100 was already above +80
    strict: { named: 'score band', says: /\|score\| 130 > 125 \(OVER_FIT\)/, alsoBlocking: ['cross'] },
  },
  // 78 → 82, 0.95, 6/9, EMA trend down: block (trend) | block
  {
    row: 10,
    c: passingCase(78, 82, { ema: [100, 101, 102] }),
    canonical: { named: 'trend', says: /trend down \(EMA 100, 101, 102\) for LONG/ },
    strict: { named: 'trend', says: /trend down \(EMA 100, 101, 102\) for LONG/ },
  },
];

describe('ENYGMA gate table (research §7 gate vectors, rows 1–10)', () => {
  for (const { row, c, canonical, strict } of ROWS) {
    for (const [mode, verdict] of [['canonical', canonical], ['strict', strict]] as const) {
      it(`row ${row} (${c.prev} → ${c.score}), ${mode}: ${'side' in verdict ? `pass ${verdict.side > 0 ? 'LONG' : 'SHORT'}` : `block (${verdict.named})`}`, () => {
        const e = evaluateGates(c, mode === 'strict');
        if ('side' in verdict) {
          expect(e.blocked, JSON.stringify(e.gates)).toEqual([]);
          expect(e.intent?.side).toBe(verdict.side);
          expect(e.intent?.score).toBe(c.score);
          expect(e.blockedBy).toBe('');
          return;
        }
        const expected = [verdict.named, ...(verdict.alsoBlocking ?? [])];
        expect([...e.blocked].sort()).toEqual([...expected].sort());
        const named = e.gates.find((g) => g.name === verdict.named)!;
        expect(named.reason).toMatch(/^blocked: /);
        expect(named.reason).toMatch(verdict.says);
        expect(e.intent).toBeNull();
        // the entry names the first blocking gate in pipeline order
        expect(e.blockedBy).toBe(e.gates.find((g) => !g.pass)!.reason);
      });
    }
  }
});

/**
 * The equity tape against the plain per-bar arrays it replaced: whatever order bars are pushed,
 * read (in order, backwards, at random) and cut back, every bar reads what was pushed for it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EquityTape } from './equity-tape.ts';
import type { Mark } from './ledger.ts';
import { money } from './money.ts';

interface Row {
  time: number;
  equity: number;
  cash: ReturnType<typeof money>;
  mark: Mark | null;
  close: number;
  lots: number;
}

/** bars whose money changes now and then (the same objects held in between, as the venue does) */
const rows = fc.array(fc.record({ change: fc.boolean(), close: fc.double({ min: 1, max: 1e5, noNaN: true }), lots: fc.integer({ min: -50, max: 50 }) }), { minLength: 1, maxLength: 3000 }).map((steps) => {
  let cash = money(10_000);
  let mark: Mark | null = null;
  return steps.map((s, i): Row => {
    if (s.change) {
      cash = cash.plus(i);
      mark = s.lots === 0 ? null : { k: money(s.lots), base: money(s.lots * 100), kF: s.lots, baseF: s.lots * 100 };
    }
    return { time: i * 300_000, equity: cash.toNumber() + i, cash, mark, close: s.close, lots: s.lots };
  });
});

function filled(list: readonly Row[]): EquityTape {
  const tape = new EquityTape();
  for (const r of list) tape.push(r.time, r.equity, r.cash, r.mark, r.close, r.lots);
  return tape;
}

function expectBar(tape: EquityTape, list: readonly Row[], i: number): void {
  const r = list[i]!;
  expect([tape.timeAt(i), tape.equityAt(i), tape.closeAt(i), tape.lotsAt(i)]).toEqual([r.time, r.equity, r.close, r.lots]);
  expect(tape.cashAt(i)).toBe(r.cash);
  expect(tape.markAt(i)).toBe(r.mark);
  const exact = r.mark === null ? r.cash : r.cash.plus(money(r.close).times(r.mark.k).minus(r.mark.base));
  expect(tape.exactAt(i).toString()).toBe(exact.toString());
}

describe('equity tape', () => {
  it('reads back every bar in order, backwards and at random (property)', () => {
    fc.assert(
      fc.property(rows, fc.array(fc.nat(), { maxLength: 50 }), (list, picks) => {
        const tape = filled(list);
        expect(tape.length).toBe(list.length);
        for (let i = 0; i < list.length; i++) expectBar(tape, list, i);
        for (let i = list.length - 1; i >= 0; i--) expectBar(tape, list, i);
        for (const p of picks) expectBar(tape, list, p % list.length);
        expect(Array.from(tape.times())).toEqual(list.map((r) => r.time));
        expect(Array.from(tape.equities(1))).toEqual(list.slice(1).map((r) => r.equity));
        expect(Array.from(tape.positionLots(0, 2))).toEqual(list.slice(0, 2).map((r) => r.lots));
      }),
      { numRuns: 60 },
    );
  });

  it('after a cut, reads the kept bars and continues with new ones exactly (property)', () => {
    fc.assert(
      fc.property(rows, rows, fc.nat(), (first, second, at) => {
        const tape = filled(first);
        const keep = at % (first.length + 1);
        tape.truncate(keep);
        for (const r of second) tape.push(r.time, r.equity, r.cash, r.mark, r.close, r.lots);
        const list = [...first.slice(0, keep), ...second];
        expect(tape.length).toBe(list.length);
        for (let i = 0; i < list.length; i++) expectBar(tape, list, i);
      }),
      { numRuns: 60 },
    );
  });

  it('names the bar and the range when a read falls outside it', () => {
    const tape = new EquityTape();
    tape.push(0, 1, money(1), null, 1, 0);
    expect(() => tape.timeAt(1)).toThrow('bar 1 is outside the equity tape (0 .. 0)');
    expect(() => tape.truncate(2)).toThrow('cannot truncate an equity tape of 1 bars to 2');
  });
});

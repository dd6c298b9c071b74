import { describe, expect, it } from 'vitest';
import type { AccountView } from '../../../engine/core/trading.ts';
import { paramsOf } from '../../_kit/run-node.ts';
import { contextAt } from '../../signals/_shared/testing.ts';
import { accountView, BASE, fire, MIN } from '../_enygma/harness.ts';
import { enygmaCooldownGate as gate } from './enygma-cooldown-gate.node.ts';

const DAY0 = Date.UTC(2024, 0, 10);
const at = (h: number, m: number) => DAY0 + h * 60 * MIN + m * MIN;

/** The gate on the 5m base bar opening at `open` (now = open + 5 min). */
function cooldown(open: number, history: Partial<AccountView>, params: Record<string, unknown> = {}) {
  return fire(gate, { account: accountView(history), time: open }, params, contextAt(open, BASE));
}

describe('enygma.cooldown-gate', () => {
  it('defaults to 60 min after an entry signal (2 primary bars of 30min), 30 min after an exit, 3 losses', () => {
    expect(paramsOf(gate)).toEqual({ signalCooldownMinutes: 60, symbolCooldownMinutes: 30, maxConsecutiveLosses: 3 });
  });

  it('after an entry signal at a primary close C: blocks the decision at C+30, opens at C+60', () => {
    const C = at(12, 0);
    const signal = { lastEntryOrderTime: C };
    // the base bar that closes the next primary bar (closes C+30)
    expect(cooldown(C + 25 * MIN, signal)).toEqual([false, 'blocked: signal cooldown 60 min after the entry signal at 2024-01-10 12:00 UTC: 30 min left']);
    expect(cooldown(C + 50 * MIN, signal)).toEqual([false, 'blocked: signal cooldown 60 min after the entry signal at 2024-01-10 12:00 UTC: 5 min left']);
    // closes C+60: now − C = 60 is not < 60
    expect(cooldown(C + 55 * MIN, signal)).toEqual([true, 'no cooldown active']);
  });

  it('after an exit: blocks for 30 min counted to the close of the base bar', () => {
    const X = at(12, 7);
    expect(cooldown(X + 10 * MIN, { lastExitTime: X })).toEqual([false, 'blocked: exit cooldown 30 min after the exit at 2024-01-10 12:07 UTC: 15 min left']);
    expect(cooldown(X + 20 * MIN, { lastExitTime: X })).toEqual([false, 'blocked: exit cooldown 30 min after the exit at 2024-01-10 12:07 UTC: 5 min left']);
    expect(cooldown(X + 25 * MIN, { lastExitTime: X })).toEqual([true, 'no cooldown active']);
  });

  it('halts after 3 consecutive losses until the next UTC day', () => {
    const losing = { lastExitTime: at(15, 0), consecutiveLosses: 3 };
    expect(cooldown(at(16, 0), losing)).toEqual([false, 'blocked: 3 consecutive losses ≥ 3: halted until 2024-01-11 00:00 UTC']);
    // the bar 23:50–23:55 is still on the exit's day; the one closing at 00:00 is on the next
    expect(cooldown(at(23, 50), losing)[0]).toBe(false);
    expect(cooldown(at(23, 55), losing)).toEqual([true, 'no cooldown active']);
    // a further loss on a later day halts that day too (the venue's streak runs until a win)
    expect(cooldown(at(24 + 9, 0), { lastExitTime: at(24 + 8, 0), consecutiveLosses: 4 })).toEqual([
      false,
      'blocked: 4 consecutive losses ≥ 3: halted until 2024-01-12 00:00 UTC',
    ]);
  });

  it('does not halt on 2 losses, nor on the next day', () => {
    expect(cooldown(at(16, 0), { lastExitTime: at(15, 0), consecutiveLosses: 2 })).toEqual([true, 'no cooldown active']);
    expect(cooldown(at(24 + 1, 0), { lastExitTime: at(15, 0), consecutiveLosses: 3 })[0]).toBe(true);
    expect(cooldown(at(16, 0), { lastExitTime: at(15, 0), consecutiveLosses: 2 }, { maxConsecutiveLosses: 2 })[0]).toBe(false);
  });

  it('names the cooldown that ends last', () => {
    // halt (midnight) outlasts the exit cooldown
    expect(cooldown(at(15, 5), { lastExitTime: at(15, 0), consecutiveLosses: 3 })[1]).toMatch(/^blocked: 3 consecutive losses/);
    // signal (16:00) outlasts exit (15:45)
    expect(cooldown(at(15, 20), { lastEntryOrderTime: at(15, 0), lastExitTime: at(15, 15) })[1]).toBe(
      'blocked: signal cooldown 60 min after the entry signal at 2024-01-10 15:00 UTC: 35 min left',
    );
    // exit (15:50) outlasts signal (15:30)
    expect(cooldown(at(15, 25), { lastEntryOrderTime: at(14, 30), lastExitTime: at(15, 20) })[1]).toBe(
      'blocked: exit cooldown 30 min after the exit at 2024-01-10 15:20 UTC: 20 min left',
    );
    // an exit at 23:50 after the third loss: the halt ends at midnight, the exit cooldown at 00:20
    expect(cooldown(at(23, 55), { lastExitTime: at(23, 50), consecutiveLosses: 3 })[1]).toMatch(/^blocked: exit cooldown .*: 20 min left$/);
  });

  it('never blocks without an account; blocks while time is NaN', () => {
    expect(fire(gate, { account: null, time: at(12, 0) }, {}, contextAt(at(12, 0), BASE))).toEqual([true, 'no account yet: nothing to cool down from']);
    expect(fire(gate, { account: accountView(), time: NaN })).toEqual([false, 'blocked: time has no value yet']);
  });
});

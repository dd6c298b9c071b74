import { describe, expect, it } from 'vitest';
import type { AnyNodeDefinition } from '../../../engine/core/node-definition.ts';
import type { AccountView } from '../../../engine/core/trading.ts';
import { describeNodeContract } from '../../_kit/contract.ts';
import { paramsOf } from '../../_kit/run-node.ts';
import { contextAt, runRows } from '../../signals/_shared/testing.ts';
import { cooldown } from './cooldown.node.ts';

const MIN = 60_000;
const BAR = 5 * MIN;
const T0 = Date.UTC(2024, 0, 1);

/** the gate reads only these two fields of the account view */
function account(lastEntryTime: number | null, lastExitTime: number | null): Pick<AccountView, 'lastEntryTime' | 'lastExitTime'> {
  return { lastEntryTime, lastExitTime };
}

/** One firing on the 5m bar opening at `time`; returns [pass, reason]. */
function gate(time: number, view: ReturnType<typeof account> | null, params: Record<string, unknown> = {}) {
  const o = runRows(cooldown, paramsOf(cooldown, params), [{ time, account: view }], () => contextAt(time, BAR))[0]!;
  return [o['pass'], o['reason']];
}

describe('gate.cooldown', () => {
  it('defaults to 0 minutes after entry, 30 after exit', () => {
    expect(paramsOf(cooldown)).toEqual({ afterEntryMinutes: 0, afterExitMinutes: 30 });
  });

  it('counts the exit cooldown to the close of the bar, opening exactly at 30 minutes', () => {
    const exit = T0;
    // bar opening at exit + 10 min closes at +15: 15 min left
    expect(gate(exit + 10 * MIN, account(null, exit))).toEqual([false, 'cooldown after exit: 15 min left']);
    expect(gate(exit + 20 * MIN, account(null, exit))).toEqual([false, 'cooldown after exit: 5 min left']);
    // the bar opening at +25 closes at +30: the cooldown is over (strict <)
    expect(gate(exit + 25 * MIN, account(null, exit))).toEqual([true, 'no cooldown active']);
  });

  it('rounds the minutes left up', () => {
    expect(gate(T0, account(null, T0 - 90_000))).toEqual([false, 'cooldown after exit: 24 min left']);
    expect(gate(T0, account(null, T0 - 24 * MIN - 59_000))).toEqual([false, 'cooldown after exit: 1 min left']);
  });

  it('blocks after an entry when afterEntryMinutes is set; 0 never blocks', () => {
    expect(gate(T0, account(T0, null), { afterEntryMinutes: 60 })).toEqual([false, 'cooldown after entry: 55 min left']);
    expect(gate(T0, account(T0 + BAR, null))).toEqual([true, 'no cooldown active']);
  });

  it('reports whichever cooldown ends later when both run', () => {
    const params = { afterEntryMinutes: 60, afterExitMinutes: 30 };
    expect(gate(T0, account(T0 - 40 * MIN, T0 - 10 * MIN), params)).toEqual([false, 'cooldown after exit: 15 min left']);
    expect(gate(T0, account(T0 - 10 * MIN, T0 - 5 * MIN), params)).toEqual([false, 'cooldown after entry: 45 min left']);
  });

  it('never blocks on null times or without an account', () => {
    expect(gate(T0, account(null, null), { afterEntryMinutes: 60 })).toEqual([true, 'no cooldown active']);
    expect(gate(T0, null)).toEqual([true, 'no account yet: nothing to cool down from']);
  });

  it('does not pass while time is NaN', () => {
    expect(gate(NaN, account(null, null))).toEqual([false, 'time has no value yet']);
  });

  it('counts down bar by bar, then opens', () => {
    const view = account(null, T0);
    const rows = [0, 1, 2, 3, 4, 5, 6].map((k) => ({ time: T0 + k * BAR, account: view }));
    const out = runRows(cooldown, paramsOf(cooldown), rows, (k) => contextAt(T0 + k * BAR, BAR));
    expect(out.map((o) => o['reason'])).toEqual([
      'cooldown after exit: 25 min left',
      'cooldown after exit: 20 min left',
      'cooldown after exit: 15 min left',
      'cooldown after exit: 10 min left',
      'cooldown after exit: 5 min left',
      'no cooldown active',
      'no cooldown active',
    ]);
    expect(out.map((o) => o['pass'])).toEqual([false, false, false, false, false, true, true]);
  });

  it('validates params', () => {
    expect(cooldown.params.safeParse({ afterExitMinutes: -1 }).success).toBe(false);
    expect(cooldown.params.safeParse({ afterEntryMinutes: 2.5 }).success).toBe(true);
  });
});

/** The contract drives numeric columns: build the account view from entry/exit time columns (NaN = null). */
const fromColumns: AnyNodeDefinition = {
  ...cooldown,
  step: (state, i: { time: number; entry: number; exit: number }, out, params, ctx) =>
    cooldown.step(state, { time: i.time, account: account(Number.isNaN(i.entry) ? null : i.entry, Number.isNaN(i.exit) ? null : i.exit) }, out, params, ctx),
};
const n = 200;
const time = Array.from({ length: n }, (_, k) => T0 + k * BAR);
// a trade every 13 bars, entering 3 bars before it exits
const exit = time.map((t, k) => (k < 13 ? NaN : T0 + Math.floor(k / 13) * 13 * BAR));
const entry = exit.map((t) => t - 3 * BAR);
describeNodeContract(fromColumns, paramsOf(cooldown, { afterEntryMinutes: 20, afterExitMinutes: 30 }), { time, entry, exit });

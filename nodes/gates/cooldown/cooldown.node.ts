import { z } from 'zod';
import { defineNode } from '../../../engine/core/node-definition.ts';
import type { AccountView } from '../../../engine/core/trading.ts';

const MINUTE = 60_000;
const OPEN = 'no cooldown active';
const NO_ACCOUNT = 'no account yet: nothing to cool down from';
const NO_TIME = 'time has no value yet';

interface CooldownState {
  /** reason text and what it was built for: rebuilt only when the shown minutes change */
  reason: string;
  shownMinutes: number;
  shownAfterExit: boolean;
}

/** all this gate reads of the account */
type TradeTimes = Pick<AccountView, 'lastEntryTime' | 'lastExitTime'>;

interface CooldownOutputs {
  pass: boolean;
  reason: string;
}

/**
 * Blocks entries for a while after the last entry and after the last exit. "Now" is the close of
 * the bar being committed, so a 30-minute cooldown counts time that has actually passed.
 */
export const cooldown = defineNode({
  type: 'gate.cooldown',
  version: 1,
  title: 'Cooldown',
  category: 'gate',
  // no state; its verdict changes as time passes, so it is read fresh whenever a decision is made
  quiet: { wakeInputs: [], volatile: true },
  summary: 'Blocks for some minutes after the last entry and after the last exit.',
  params: z.object({
    afterEntryMinutes: z.number().min(0).default(0).describe('minutes to wait after the most recent entry fill'),
    afterExitMinutes: z.number().min(0).default(30).describe('minutes to wait after the last closed trade'),
  }),
  inputs: {
    time: { type: 'series', help: 'bar open time, ms UTC: wire the candle feed (candles.time)' },
    account: { type: 'account', help: 'the account view, for the last entry and exit times' },
  },
  outputs: {
    pass: { type: 'bool', help: 'false while a cooldown runs' },
    reason: { type: 'text', help: 'e.g. "cooldown after exit: 12 min left"' },
  },
  warmup: () => 0,
  init: (): CooldownState => ({ reason: OPEN, shownMinutes: -1, shownAfterExit: false }),
  step(s: CooldownState, i: { time: number; account: TradeTimes | null }, o: CooldownOutputs, p, ctx) {
    const time = i.time;
    if (time !== time) {
      o.pass = false;
      o.reason = NO_TIME;
      return true;
    }
    const account = i.account;
    if (account === null || account === undefined) {
      o.pass = true;
      o.reason = NO_ACCOUNT;
      return true;
    }
    const now = time + ctx.bar.interval;
    const entryLeft = account.lastEntryTime === null ? 0 : account.lastEntryTime + p.afterEntryMinutes * MINUTE - now;
    const exitLeft = account.lastExitTime === null ? 0 : account.lastExitTime + p.afterExitMinutes * MINUTE - now;
    if (entryLeft <= 0 && exitLeft <= 0) {
      o.pass = true;
      o.reason = OPEN;
      return true;
    }
    // the longer of the two is when the gate opens again
    const afterExit = exitLeft >= entryLeft;
    const minutes = Math.ceil((afterExit ? exitLeft : entryLeft) / MINUTE);
    if (minutes !== s.shownMinutes || afterExit !== s.shownAfterExit) {
      s.shownMinutes = minutes;
      s.shownAfterExit = afterExit;
      s.reason = `cooldown after ${afterExit ? 'exit' : 'entry'}: ${minutes} min left`;
    }
    o.pass = false;
    o.reason = s.reason;
    return true;
  },
});

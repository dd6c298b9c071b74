import { z } from 'zod';
import { defineNode } from '../../../engine/core/node-definition.ts';
import type { AccountView } from '../../../engine/core/trading.ts';
import { block, GATE_OUTPUTS, pass, type GateOutputs } from '../_enygma/gate.ts';

const MINUTE = 60_000;
const DAY = 86_400_000;

/** all this gate reads of the account */
type TradeHistory = Pick<AccountView, 'lastEntryOrderTime' | 'lastExitTime' | 'consecutiveLosses'>;

/**
 * enygma.md §4 cooldowns: 2 primary bars (60 min at 30min) after any entry signal, 30 min after an
 * exit, and no new entries after 3 consecutive losses until the next UTC day. "Now" is the close of
 * the base bar being committed; each cooldown ends when now reaches its end (strict <).
 */
export const enygmaCooldownGate = defineNode({
  type: 'enygma.cooldown-gate',
  version: 1,
  title: 'ENYGMA cooldowns',
  category: 'gate',
  // no state; its verdict follows the account, so it is read fresh whenever the entry decides
  quiet: { wakeInputs: [], volatile: true },
  summary: 'Blocks after an entry signal, after an exit, and for the rest of the UTC day after 3 losses in a row.',
  params: z.object({
    signalCooldownMinutes: z.number().min(0).default(60).describe('minutes after an entry signal (2 primary bars of 30min)'),
    symbolCooldownMinutes: z.number().min(0).default(30).describe('minutes after the last exit'),
    maxConsecutiveLosses: z.number().int().min(1).default(3).describe('losses in a row that halt new entries until the next UTC day'),
  }),
  inputs: {
    account: { type: 'account', help: 'the account view (account.account): last entry signal, last exit, losing streak' },
    time: { type: 'series', help: 'base bar open time, ms UTC: wire the candle feed (candles.time)' },
  },
  outputs: GATE_OUTPUTS,
  warmup: () => 0,
  init: () => ({}),
  step(_s: object, i: { account: TradeHistory | null; time: number }, o: GateOutputs, p, ctx) {
    if (i.time !== i.time) return block(o, 'time has no value yet');
    const a = i.account;
    if (a === null || a === undefined) return pass(o, 'no account yet: nothing to cool down from');
    const now = i.time + ctx.bar.interval;
    // the cooldown that ends last is the one to name: it decides when the gate opens
    let end = now;
    let why = '';
    const exit = a.lastExitTime;
    if (a.consecutiveLosses >= p.maxConsecutiveLosses && exit !== null && Math.floor(now / DAY) === Math.floor(exit / DAY)) {
      end = (Math.floor(exit / DAY) + 1) * DAY;
      why = `${a.consecutiveLosses} consecutive losses ≥ ${p.maxConsecutiveLosses}: halted until ${utc(end)}`;
    }
    const signalEnd = a.lastEntryOrderTime === null ? now : a.lastEntryOrderTime + p.signalCooldownMinutes * MINUTE;
    if (signalEnd > end) {
      end = signalEnd;
      why = `signal cooldown ${p.signalCooldownMinutes} min after the entry signal at ${utc(a.lastEntryOrderTime!)}: ${left(end, now)} min left`;
    }
    const exitEnd = exit === null ? now : exit + p.symbolCooldownMinutes * MINUTE;
    if (exitEnd > end) {
      end = exitEnd;
      why = `exit cooldown ${p.symbolCooldownMinutes} min after the exit at ${utc(exit!)}: ${left(end, now)} min left`;
    }
    return why === '' ? pass(o, 'no cooldown active') : block(o, why);
  },
});

function left(end: number, now: number): number {
  return Math.ceil((end - now) / MINUTE);
}

function utc(t: number): string {
  return `${new Date(t).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

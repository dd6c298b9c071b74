import { z } from 'zod';
import { defineNode } from '../../../engine/core/node-definition.ts';
import type { AccountView } from '../../../engine/core/trading.ts';
import { block, GATE_OUTPUTS, num, pass, type GateOutputs } from '../_enygma/gate.ts';

/** all this gate reads of the account */
type DayEquity = Pick<AccountView, 'equity' | 'dayStartEquity'>;

/**
 * enygma.md §4 drawdown: daily drawdown = (equity at 00:00 UTC − equity) / that, 0 when above,
 * must stay ≤ 3% (a fraction, as S1's I-006). Research A10 also proposes a peak-to-current rule;
 * the binding spec names only the daily one, so the peak is not checked here.
 */
export const enygmaDrawdownGate = defineNode({
  type: 'enygma.drawdown-gate',
  version: 1,
  title: 'ENYGMA daily drawdown',
  category: 'gate',
  // no state; its verdict follows the account, so it is read fresh whenever the entry decides
  quiet: { wakeInputs: [], volatile: true },
  summary: 'Passes while equity is at most 3% below its value at 00:00 UTC.',
  params: z.object({
    maxDailyDrawdown: z.number().min(0).max(1).default(0.03).describe('largest daily drawdown allowed, a fraction (0.03 = 3%)'),
  }),
  inputs: { account: { type: 'account', help: 'the account view (account.account): equity and equity at 00:00 UTC' } },
  outputs: GATE_OUTPUTS,
  warmup: () => 0,
  init: (): { dd: number } => ({ dd: NaN }),
  step(s: { dd: number }, i: { account: DayEquity | null }, o: GateOutputs, p) {
    const a = i.account;
    // no venue, no equity to lose: like gate.cooldown, a missing account never blocks
    if (a === null || a === undefined || !Number.isFinite(a.equity) || !(a.dayStartEquity > 0)) s.dd = NaN;
    if (a === null || a === undefined) return pass(o, 'no account yet: no drawdown to check');
    if (!Number.isFinite(a.equity) || !(a.dayStartEquity > 0)) return block(o, 'no day-start equity to measure drawdown from');
    const dd = a.equity < a.dayStartEquity ? (a.dayStartEquity - a.equity) / a.dayStartEquity : 0;
    // This gate runs on every base bar; the same drawdown keeps the same verdict and sentence.
    if (dd === s.dd) return true;
    s.dd = dd;
    const ok = dd <= p.maxDailyDrawdown;
    const text = `daily drawdown ${num(dd * 100, 2)}% ${ok ? '≤' : '>'} ${num(p.maxDailyDrawdown * 100, 2)}%`;
    return ok ? pass(o, text) : block(o, text);
  },
});

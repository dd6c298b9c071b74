import { z } from 'zod';
import { defineNode } from '../../../engine/core/node-definition.ts';
import type { AccountView } from '../../../engine/core/trading.ts';

interface AccountOutputs {
  account: AccountView | null;
  equity: number;
  cash: number;
  unrealizedPnl: number;
  drawdown: number;
  dailyDrawdown: number;
  positionSide: number;
  positionLots: number;
}

const ACCOUNT_OUTPUTS: readonly (keyof AccountOutputs & string)[] = ['account', 'equity', 'cash', 'unrealizedPnl', 'drawdown', 'dailyDrawdown', 'positionSide', 'positionLots'];

/**
 * The venue's account at this bar's close (after the bar's fills), as a source node: risk and gate
 * nodes read it like any other input, so the graph shows where position knowledge enters.
 */
export const accountState = defineNode({
  type: 'account.state',
  version: 1,
  title: 'Account',
  category: 'account',
  summary: "The venue's account after this bar's fills: equity, cash, drawdowns and the open position.",
  role: 'account',
  // The account is the sum of every trade so far: anything that reads it depends on history.
  historyDependent: ACCOUNT_OUTPUTS,
  params: z.object({}),
  inputs: {},
  outputs: {
    account: { type: 'account', help: 'the whole account view (for risk and gate nodes)' },
    equity: { type: 'series', help: 'cash + unrealised PnL at the close' },
    cash: { type: 'series', help: 'wallet balance (margin included)' },
    unrealizedPnl: { type: 'series' },
    drawdown: { type: 'series', help: 'fraction below the equity peak' },
    dailyDrawdown: { type: 'series', help: 'fraction below equity at 00:00 UTC (0 when above)' },
    positionSide: { type: 'series', help: '+1 long, -1 short, 0 flat' },
    positionLots: { type: 'series' },
  },
  warmup: () => 0,
  init: () => ({}),
  step(_s: object, _i: object, out: AccountOutputs, _p, ctx) {
    const a = ctx.account;
    out.account = a;
    if (a === null) {
      out.equity = out.cash = out.unrealizedPnl = out.drawdown = out.dailyDrawdown = out.positionSide = out.positionLots = NaN;
      return true;
    }
    out.equity = a.equity;
    out.cash = a.cash;
    out.unrealizedPnl = a.unrealizedPnl;
    out.drawdown = a.peakEquity > 0 ? Math.max(0, (a.peakEquity - a.equity) / a.peakEquity) : 0;
    out.dailyDrawdown = a.dayStartEquity > 0 ? Math.max(0, (a.dayStartEquity - a.equity) / a.dayStartEquity) : 0;
    out.positionSide = a.position === null ? 0 : a.position.side;
    out.positionLots = a.position === null ? 0 : a.position.lots;
    return true;
  },
});

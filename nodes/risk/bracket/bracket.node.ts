import { z } from 'zod';
import { defineNode } from '../../../engine/core/node-definition.ts';
import type { AccountView, EntryOrder, Intent } from '../../../engine/core/trading.ts';
import { money } from '../../../engine/venues/paper/money.ts';
import { lotsFor } from '../../../engine/venues/paper/paper-math.ts';

interface BracketOutputs {
  order: EntryOrder | null;
  reason: string;
}

/**
 * Turns a fresh entry intent into a sized market entry with a stop-loss and take-profit. Size:
 * margin = equity × marginPct, lots = floor(margin × leverage / price / multiplier / lotSize) × lotSize
 * (decimal). Stop and target are offsets from the fill: in ROI percent (price move = ROI/lev/100) or
 * as price multipliers (long stop 0.98 = 2% below; shorts mirrored).
 */
export const bracketRisk = defineNode({
  type: 'risk.bracket',
  version: 1,
  title: 'Bracket risk',
  category: 'risk',
  summary: 'Sizes an intent by margin % and leverage, and attaches a stop-loss and a take-profit.',
  // acts only on a fresh intent; the account and price are read then (batch runs skip the rest)
  quiet: { wakeInputs: ['intent'] },
  params: z
    .object({
      leverage: z.number().int().min(1).max(125).default(5).describe('leverage of the position'),
      marginPct: z.number().gt(0).max(1).default(0.02).describe('fraction of equity committed as margin'),
      priceMode: z.enum(['roi', 'multiplier']).default('roi').describe('how stopLoss/takeProfit are read'),
      stopLoss: z.number().positive().default(6).describe('roi: loss in ROI % (6 = 6% of margin); multiplier: long stop price ÷ entry (e.g. 0.98)'),
      takeProfit: z.number().positive().default(15).describe('roi: gain in ROI %; multiplier: long target ÷ entry (e.g. 1.03)'),
    })
    .refine((p) => p.priceMode !== 'multiplier' || (p.stopLoss < 1 && p.takeProfit > 1), {
      message: 'in multiplier mode stopLoss must be below 1 and takeProfit above 1 (long view; shorts are mirrored)',
    }),
  inputs: {
    intent: { type: 'intent' },
    account: { type: 'account' },
    price: { type: 'series', help: 'price to size against, usually the close' },
  },
  outputs: {
    order: { type: 'order' },
    reason: { type: 'text', help: 'why no order was made, or the order made' },
  },
  warmup: () => 0,
  init: () => ({}),
  step(_s: object, i: { intent: Intent | null; account: AccountView | null; price: number }, out: BracketOutputs, p, ctx) {
    const now = ctx.time + ctx.bar.interval;
    out.order = null;
    const intent = i.intent;
    const account = i.account;
    if (intent === null || intent === undefined || intent.time !== now) {
      out.reason = '';
      return true;
    }
    if (account === null || !(i.price > 0)) {
      out.reason = 'no account or price';
      return true;
    }
    if (account.position !== null || account.pendingEntries > 0) {
      out.reason = 'a position is already open';
      return true;
    }
    const c = account.contract;
    const lots = lotsFor(money(account.equity).times(p.marginPct), p.leverage, money(i.price), money(c.multiplier), money(c.lotSize)).toNumber();
    if (lots < c.lotSize) {
      out.reason = `size below one lot at equity ${account.equity.toFixed(2)}`;
      return true;
    }
    const side = intent.side;
    const stopFrac = p.priceMode === 'roi' ? (-side * p.stopLoss) / p.leverage / 100 : side === 1 ? p.stopLoss - 1 : 1 - p.stopLoss;
    const takeProfitFrac = p.priceMode === 'roi' ? (side * p.takeProfit) / p.leverage / 100 : side === 1 ? p.takeProfit - 1 : 1 - p.takeProfit;
    out.order = {
      kind: 'entry',
      time: now,
      side,
      lots,
      leverage: p.leverage,
      refPrice: i.price,
      bracket: { stopFrac, takeProfitFrac },
      reason: intent.reason,
      detail: { score: intent.score, ...(intent.detail ?? {}) },
    };
    out.reason = `${side === 1 ? 'long' : 'short'} ${lots} lots at ${p.leverage}x`;
    return true;
  },
});

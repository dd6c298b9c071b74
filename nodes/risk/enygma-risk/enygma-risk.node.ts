import { z } from 'zod';
import { defineNode } from '../../../engine/core/node-definition.ts';
import type { AccountView, Intent, OrderCommand, Side } from '../../../engine/core/trading.ts';
import { money } from '../../../engine/venues/paper/money.ts';
import { liquidationPrice, lotsFor } from '../../../engine/venues/paper/paper-math.ts';
import { dueCandidates, initialStop, nextStop, roiAt, type StopRules } from './stop-ladder.ts';

interface RiskState {
  positionId: number;
  maxRoi: number;
  stop: number;
  stopReason: string;
}

interface RiskOutputs {
  order: OrderCommand | null;
  stop: number;
  stopReason: string;
  roi: number;
  maxRoi: number;
  leverage: number;
  reason: string;
}

const roi = (d: number) => z.number().min(0).max(1000).default(d);

const params = z.object({
  leverage: z.number().min(1).max(125).default(6).describe('default leverage'),
  maxLeverage: z.number().min(1).max(125).default(10).describe('global leverage ceiling'),
  sizePct: z.number().gt(0).max(100).default(2).describe('percent of equity committed as margin, before the regime multiplier'),
  stopLossRoi: roi(6).describe('initial stop distance in ROI %'),
  stopFeeTerm: z.number().min(0).max(10).default(0.06).describe('S1 literal fee term: the stop sits at (stopLossRoi − 2 × this) ROI'),
  hardLimitRoi: roi(10).describe('worst stop ever allowed, in ROI %'),
  takeProfitRoi: roi(15).describe('final target in ROI %'),
  partials: z
    .array(z.object({ roi: z.number().positive(), fraction: z.number().gt(0).lt(1) }))
    .default([{ roi: 4, fraction: 0.25 }, { roi: 8, fraction: 0.25 }, { roi: 12, fraction: 0.25 }])
    .describe('reduce-only partial exits: at each ROI close this fraction of the initial size'),
  breakEvenActivationRoi: roi(1).describe('break-even arms at max(this, 2×fee×lev×100 + buffer) ROI'),
  breakEvenBufferRoi: roi(0.05).describe('ROI kept above the fee-covering break-even price'),
  profitLocks: z
    .array(z.object({ reached: z.number().positive(), lock: z.number().min(0) }))
    .default([
      { reached: 1, lock: 0.2 },
      { reached: 2, lock: 0.8 },
      { reached: 3, lock: 1.5 },
      { reached: 4, lock: 2.5 },
      { reached: 6, lock: 4 },
      { reached: 8, lock: 6 },
    ])
    .describe('gross ROI floors: once `reached` ROI was seen at a close, the stop is at least `lock` ROI'),
  trailingActivationRoi: roi(2).describe('trailing starts once this ROI was reached at a close'),
  trailingRoi: roi(1).describe('trail distance behind the close, in ROI %'),
  liquidationBuffer: z.number().min(0).max(1).default(0.05).describe('refuse an entry whose liquidation price is within this fraction of the entry'),
});

/**
 * ENYGMA's risk manager (enygma.md §5): sizes an entry by equity, regime and leverage, refuses one
 * whose liquidation price is too close, attaches the initial stop, partial exits and take-profit,
 * and then, bar by bar on closes, raises the stop through break-even, profit locks and the
 * trailing stop — never backwards, never on a timer. Every exit it causes is reduce-only.
 */
export const enygmaRisk = defineNode({
  type: 'enygma.risk',
  version: 1,
  title: 'ENYGMA risk',
  category: 'risk',
  summary: 'Sizing, leverage, initial stop, partials, take-profit, break-even, profit locks and trailing (never untrails).',
  // flat, it acts only on a fresh intent; with a position open it manages the stop every bar
  quiet: { wakeInputs: ['intent'], everyBar: (_p, venue) => venue.inPosition },
  params,
  inputs: {
    intent: { type: 'intent' },
    account: { type: 'account' },
    price: { type: 'series', help: 'the base close: stops are managed on every base bar close' },
    leverageCap: { type: 'series', help: "the primary timeframe regime's leverage cap" },
    sizeMultiplier: { type: 'series', help: "the primary timeframe regime's size multiplier" },
  },
  outputs: {
    order: { type: 'order' },
    stop: { type: 'series', help: 'the effective stop of the open position' },
    stopReason: { type: 'text' },
    roi: { type: 'series', help: 'ROI % of the open position at this close' },
    maxRoi: { type: 'series', help: 'best ROI % seen at a close during this position' },
    leverage: { type: 'series', help: 'leverage of the open position (or of the last entry decided)' },
    reason: { type: 'text', help: 'what the node did or why it refused' },
  },
  warmup: () => 0,
  init: (): RiskState => ({ positionId: -1, maxRoi: -Infinity, stop: NaN, stopReason: '' }),
  step(s: RiskState, i: { intent: Intent | null; account: AccountView | null; price: number; leverageCap: number; sizeMultiplier: number }, out: RiskOutputs, p, ctx) {
    const now = ctx.time + ctx.bar.interval;
    out.order = null;
    const account = i.account;
    const position = account?.position ?? null;
    if (account === null || account === undefined || !(i.price > 0)) {
      out.reason = 'no account or price';
      return true;
    }
    if (position !== null) {
      manage(s, position, account, i.price, now, out, p);
      return true;
    }
    s.positionId = -1;
    out.stop = out.roi = out.maxRoi = NaN;
    out.stopReason = '';
    const intent = i.intent;
    if (intent === null || intent === undefined || intent.time !== now) {
      out.reason = '';
      return true;
    }
    out.order = enter(intent, account, i, now, out, p);
    return true;
  },
});

type RiskParams = z.output<typeof params>;

function rulesOf(p: RiskParams): StopRules {
  return p;
}

function enter(intent: Intent, account: AccountView, i: { price: number; leverageCap: number; sizeMultiplier: number }, now: number, out: RiskOutputs, p: RiskParams): OrderCommand | null {
  if (account.pendingEntries > 0) {
    out.reason = 'an entry is already waiting for the next bar';
    return null;
  }
  if (!Number.isFinite(i.leverageCap) || !Number.isFinite(i.sizeMultiplier)) {
    out.reason = 'no volatility regime yet';
    return null;
  }
  const side: Side = intent.side;
  const leverage = Math.min(p.leverage, i.leverageCap, p.maxLeverage);
  out.leverage = leverage;
  const c = account.contract;
  const margin = money(account.equity).times(p.sizePct).div(100).times(money(i.sizeMultiplier));
  const lots = lotsFor(margin, leverage, money(i.price), money(c.multiplier), money(c.lotSize)).toNumber();
  if (lots < c.lotSize) {
    out.reason = `refused: margin ${margin.toFixed(2)} buys less than one lot at ${leverage}x`;
    return null;
  }
  const liquidation = liquidationPrice(side, money(i.price), leverage, money(c.maintenanceMargin)).toNumber();
  const distance = Math.abs(i.price - liquidation) / i.price;
  if (distance < p.liquidationBuffer) {
    out.reason = `refused: liquidation ${liquidation.toFixed(4)} is ${(distance * 100).toFixed(2)}% from entry (< ${p.liquidationBuffer * 100}%)`;
    return null;
  }
  const initial = initialStop(1, side, leverage, rulesOf(p));
  const frac = (r: number) => (side * r) / leverage / 100;
  out.reason = `${side === 1 ? 'long' : 'short'} ${lots} lots at ${leverage}x, margin ${margin.toFixed(2)}`;
  return {
    kind: 'entry',
    time: now,
    side,
    lots,
    leverage,
    refPrice: i.price,
    bracket: {
      stopFrac: initial.price - 1,
      takeProfitFrac: frac(p.takeProfitRoi),
      partials: p.partials.map((x, k) => ({ triggerFrac: frac(x.roi), fraction: x.fraction, label: `partial ${k + 1} at ${x.roi} ROI` })),
    },
    reason: intent.reason,
    detail: { ...(intent.detail ?? {}), leverage, margin: margin.toFixed(8), sizeMultiplier: i.sizeMultiplier },
  };
}

function manage(s: RiskState, position: NonNullable<AccountView['position']>, account: AccountView, close: number, now: number, out: RiskOutputs, p: RiskParams): void {
  const { side, entryPrice, leverage } = position;
  const roi = roiAt(entryPrice, side, leverage, close);
  if (s.positionId !== position.id) {
    s.positionId = position.id;
    s.maxRoi = roi;
  }
  // The venue's stop is the truth (a move it refused must not be assumed).
  const initial = initialStop(entryPrice, side, leverage, rulesOf(p));
  const current = position.stopPrice === null ? initial : { price: position.stopPrice, reason: position.stopReason };
  if (roi > s.maxRoi) s.maxRoi = roi;
  const candidates = dueCandidates(entryPrice, side, leverage, close, s.maxRoi, account.contract.takerFee, rulesOf(p));
  const next = nextStop(side, current, close, candidates);
  out.roi = roi;
  out.maxRoi = s.maxRoi;
  out.leverage = leverage;
  s.stop = next.price;
  s.stopReason = next.reason;
  if (next.price !== current.price) {
    out.order = { kind: 'stop', time: now, positionId: position.id, price: next.price, reason: next.reason };
    out.reason = `stop → ${next.price.toFixed(4)} (${next.reason}) at ROI ${roi.toFixed(2)}`;
  } else out.reason = `holding, ROI ${roi.toFixed(2)}`;
  out.stop = s.stop;
  out.stopReason = s.stopReason;
}

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { AccountView, EntryOrder, Intent, PositionView, Side, StopMove } from '../../../engine/core/trading.ts';
import { bareContext, paramsOf } from '../../_kit/run-node.ts';
import { enygmaRisk } from './enygma-risk.node.ts';
import { dueCandidates, initialStop, nextStop, priceAtRoi, type StopRules } from './stop-ladder.ts';

const params = paramsOf(enygmaRisk) as Parameters<typeof enygmaRisk.init>[0] & StopRules;
const FEE = 0.0006;
const INTERVAL = 300_000;

function account(over: Partial<AccountView> = {}, position: Partial<PositionView> | null = null): AccountView {
  return {
    contract: { symbol: 'ETHUSDTM', multiplier: 0.01, lotSize: 1, tickSize: 0.01, maintenanceMargin: 0.005, takerFee: FEE },
    equity: 10_000,
    cash: 10_000,
    unrealizedPnl: 0,
    usedMargin: 0,
    dayStartEquity: 10_000,
    peakEquity: 10_000,
    consecutiveLosses: 0,
    lastEntryOrderTime: null,
    lastEntryTime: null,
    lastExitTime: null,
    lastExitWasLoss: false,
    pendingEntries: 0,
    openPositions: position === null ? 0 : 1,
    position:
      position === null
        ? null
        : { id: 1, side: 1, lots: 60, initialLots: 60, entryPrice: 100, entryTime: 0, leverage: 6, margin: 100, stopPrice: null, stopReason: 'stop', takeProfitPrice: null, liquidationPrice: 83.4167, partialsFilled: 0, unrealizedPnl: 0, ...position },
    ...over,
  };
}

function step(state: ReturnType<typeof enygmaRisk.init>, inputs: { intent?: Intent | null; account: AccountView; price: number; leverageCap?: number; sizeMultiplier?: number }, time = 0) {
  const out: any = {};
  const ctx = { ...bareContext(), time, bar: { ...bareContext().bar, time, interval: INTERVAL } };
  enygmaRisk.step(state, { intent: null, leverageCap: 15, sizeMultiplier: 1, ...inputs }, out, params, ctx);
  return out as { order: EntryOrder | StopMove | null; stop: number; stopReason: string; roi: number; reason: string; leverage: number };
}

const intent = (side: Side, time = INTERVAL): Intent => ({ side, time, score: 85 * side, reason: 'enygma' });

describe('enygma.risk worked numbers (enygma.md §7: E = 100, lev 6, taker 0.06%, MMR 0.005)', () => {
  it('puts the initial stop at 99.02 long and 100.98 short', () => {
    expect(initialStop(100, 1, 6, params).price).toBeCloseTo(99.02, 10);
    expect(initialStop(100, -1, 6, params).price).toBeCloseTo(100.98, 10);
  });

  it('puts the take-profit at 102.5 / 97.5 and the partials at 100.667 / 101.333 / 102.0', () => {
    expect(priceAtRoi(100, 1, 6, 15)).toBeCloseTo(102.5, 10);
    expect(priceAtRoi(100, -1, 6, 15)).toBeCloseTo(97.5, 10);
    expect([4, 8, 12].map((r) => Number(priceAtRoi(100, 1, 6, r).toFixed(3)))).toEqual([100.667, 101.333, 102]);
  });

  it('locks 100.0333, 100.1333, 100.25, 100.4167, 100.6667 and 101.0 at ROI 1/2/3/4/6/8', () => {
    const locks = params.profitLocks.map((l) => Number(priceAtRoi(100, 1, 6, l.lock).toFixed(4)));
    expect(locks).toEqual([100.0333, 100.1333, 100.25, 100.4167, 100.6667, 101]);
  });

  it('trails at P 100.3333 to 100.1661 and arms break-even at 100.1283', () => {
    const due = dueCandidates(100, 1, 6, 100.3333, 2, FEE, params);
    expect(Number(due.find((c) => c.reason === 'trail')!.price.toFixed(4))).toBe(100.1661);
    expect(Number(due.find((c) => c.reason === 'break-even')!.price.toFixed(4))).toBe(100.1283);
  });

  it('sizes equity 10000 × 2% at 6x and price 2000 (multiplier 0.01) to 60 lots, bracket in fractions of the fill', () => {
    const s = enygmaRisk.init(params);
    const out = step(s, { intent: intent(1), account: account(), price: 2000 });
    const order = out.order as EntryOrder;
    expect(order).toMatchObject({ kind: 'entry', side: 1, lots: 60, leverage: 6 });
    expect(order.bracket.stopFrac).toBeCloseTo(-0.0098, 12);
    expect(order.bracket.takeProfitFrac).toBeCloseTo(0.025, 12);
    expect(order.bracket.partials!.map((p) => [Number(p.triggerFrac.toFixed(6)), p.fraction])).toEqual([[0.006667, 0.25], [0.013333, 0.25], [0.02, 0.25]]);
  });

  it('scales the margin by the regime (LOW ×1.5 → 90 lots, HIGH ×0.5 → 30 lots) and caps leverage by regime and maximum', () => {
    expect((step(enygmaRisk.init(params), { intent: intent(1), account: account(), price: 2000, sizeMultiplier: 1.5, leverageCap: 20 }).order as EntryOrder).lots).toBe(90);
    expect((step(enygmaRisk.init(params), { intent: intent(1), account: account(), price: 2000, sizeMultiplier: 0.5, leverageCap: 10 }).order as EntryOrder).lots).toBe(30);
    const raised = { ...params, leverage: 20 };
    const out: any = {};
    const ctx = { ...bareContext(), bar: { ...bareContext().bar, interval: INTERVAL } };
    enygmaRisk.step(enygmaRisk.init(raised), { intent: intent(1), account: account(), price: 2000, leverageCap: 15, sizeMultiplier: 1 }, out, raised, ctx);
    expect((out['order'] as EntryOrder).leverage).toBe(10);
  });

  it('refuses an entry whose liquidation price is within 5% of the entry, and one below a lot', () => {
    const risky = { ...params, leverage: 25, maxLeverage: 25 };
    const out: any = {};
    const ctx = { ...bareContext(), bar: { ...bareContext().bar, interval: INTERVAL } };
    enygmaRisk.step(enygmaRisk.init(risky), { intent: intent(1), account: account(), price: 2000, leverageCap: 25, sizeMultiplier: 1 }, out, risky, ctx);
    expect(out['order']).toBeNull();
    expect(out['reason']).toMatch(/liquidation .* within|from entry/);
    const poor = step(enygmaRisk.init(params), { intent: intent(1), account: account({ equity: 10 }), price: 2000 });
    expect(poor.order).toBeNull();
    expect(poor.reason).toMatch(/less than one lot/);
  });

  it('acts only on a fresh intent, and never on one while a position is open', () => {
    expect(step(enygmaRisk.init(params), { intent: intent(1, 0), account: account(), price: 2000 }).order).toBeNull();
    expect(step(enygmaRisk.init(params), { intent: intent(1), account: account({}, {}), price: 100 }).order?.kind).not.toBe('entry');
  });
});

describe('enygma.risk stop management', () => {
  it('walks a long through break-even, locks and trailing, with the reason of each move', () => {
    const s = enygmaRisk.init(params);
    let stop: number | null = null;
    let reason = 'stop';
    const moves: string[] = [];
    for (const close of [100, 100.17, 100.34, 100.5, 100.7, 101.2, 101.0, 100.8]) {
      const out = step(s, { account: account({}, { stopPrice: stop, stopReason: reason }), price: close });
      if (out.order?.kind === 'stop') {
        stop = out.order.price;
        reason = out.order.reason;
        moves.push(`${close}:${out.order.reason}:${out.order.price.toFixed(4)}`);
      }
    }
    // Once trailing is active it sits ~1 ROI behind the best close, above every lock (research A6).
    expect(moves).toEqual(['100.17:break-even:100.1283', '100.34:trail:100.1728', '100.5:trail:100.3325', '100.7:trail:100.5322', '101.2:trail:101.0313']);
  });

  it('raises the stop through the profit locks when a fork switches trailing off', () => {
    const noTrail = { ...params, trailingActivationRoi: 1000 };
    const s = enygmaRisk.init(noTrail);
    let stop: number | null = null;
    let reason = 'stop';
    const moves: string[] = [];
    for (const close of [100.17, 100.34, 100.5, 100.7, 101.0, 101.34, 100.9]) {
      const out: any = {};
      const ctx = { ...bareContext(), bar: { ...bareContext().bar, interval: INTERVAL } };
      enygmaRisk.step(s, { intent: null, account: account({}, { stopPrice: stop, stopReason: reason }), price: close, leverageCap: 15, sizeMultiplier: 1 }, out, noTrail, ctx);
      const order = out['order'] as StopMove | null;
      if (order !== null) {
        stop = order.price;
        reason = order.reason;
        moves.push(`${close}:${order.reason}:${order.price.toFixed(4)}`);
      }
    }
    expect(moves).toEqual(['100.17:break-even:100.1283', '100.34:lock 0.8 ROI:100.1333', '100.5:lock 1.5 ROI:100.2500', '100.7:lock 2.5 ROI:100.4167', '101:lock 4 ROI:100.6667', '101.34:lock 6 ROI:101.0000']);
  });

  it('never moves a stop against its position on random price paths (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom<Side>(1, -1), fc.array(fc.double({ min: -0.004, max: 0.004, noNaN: true }), { minLength: 2, maxLength: 200 }), (side, moves) => {
        const s = enygmaRisk.init(params);
        let close = 100;
        let stop: number | null = null;
        let reason = 'stop';
        for (const m of moves) {
          close *= 1 + m;
          const out = step(s, { account: account({}, { side, stopPrice: stop, stopReason: reason, liquidationPrice: side === 1 ? 83.4 : 116.6 }), price: close });
          if (out.order?.kind === 'stop') {
            if (stop !== null) expect(side * (out.order.price - stop)).toBeGreaterThan(0);
            expect(side * (close - out.order.price)).toBeGreaterThan(0);
            stop = out.order.price;
            reason = out.order.reason;
          }
        }
      }),
      { seed: 11, numRuns: 300 },
    );
  });

  it('keeps a stop that is already better than every candidate', () => {
    const next = nextStop(1, { price: 100.9, reason: 'lock' }, 101, dueCandidates(100, 1, 6, 101, 6, FEE, params));
    expect(next).toEqual({ price: 100.9, reason: 'lock' });
  });

  it('defers a candidate that would sit at or through the market', () => {
    const next = nextStop(1, { price: 99.02, reason: 'stop' }, 100.4, [{ price: 100.4167, reason: 'lock 2.5 ROI' }]);
    expect(next.reason).toBe('stop');
  });
});

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { EntryOrder } from '../../core/trading.ts';
import { money } from './money.ts';
import { liquidationPrice, lotsFor, marketFillPrice, notional, pnl } from './paper-math.ts';
import { bar, FIVE_MIN, flat, T0, testVenue } from './test-kit.ts';

const entry = (over: Partial<EntryOrder> = {}): EntryOrder => ({
  kind: 'entry',
  time: T0,
  side: 1,
  lots: 60,
  leverage: 6,
  refPrice: 2000,
  bracket: {},
  reason: 'test',
  ...over,
});

describe('money formulas (enygma.md §7 worked numbers)', () => {
  it('sizes equity 10000 × 2% at 6x, price 2000, multiplier 0.01, lot 1 → margin 200, 60 lots', () => {
    const margin = money(10_000).times('0.02');
    expect(margin.toString()).toBe('200');
    expect(lotsFor(margin, 6, money(2000), money('0.01'), money(1)).toString()).toBe('60');
  });

  it('nets 105.528 on entry value 12000 after +1% with taker 0.06% both ways', () => {
    const lots = money(60);
    const entryValue = notional(lots, money('0.01'), money(20_000));
    expect(entryValue.toString()).toBe('12000');
    const gross = pnl(1, money(20_000), money(20_200), lots, money('0.01'));
    expect(gross.toString()).toBe('120');
    const exitValue = notional(lots, money('0.01'), money(20_200));
    const net = gross.minus(entryValue.times('0.0006')).minus(exitValue.times('0.0006'));
    expect(net.toString()).toBe('105.528');
  });

  it('puts the isolated liquidation at 83.4167 (long) and 116.5833 (short) for E=100, 6x, MMR 0.005', () => {
    expect(liquidationPrice(1, money(100), 6, money('0.005')).toDecimalPlaces(4).toString()).toBe('83.4167');
    expect(liquidationPrice(-1, money(100), 6, money('0.005')).toDecimalPlaces(4).toString()).toBe('116.5833');
  });

  it('moves market fills against the trader and onto the tick grid', () => {
    expect(marketFillPrice(money(100), 'buy', money('0.0002'), money('0.01')).toString()).toBe('100.02');
    expect(marketFillPrice(money(100), 'sell', money('0.0002'), money('0.01')).toString()).toBe('99.98');
    expect(marketFillPrice(money('100.001'), 'buy', money(0), money('0.01')).toString()).toBe('100.01');
    expect(marketFillPrice(money('100.009'), 'sell', money(0), money('0.01')).toString()).toBe('100');
  });
});

describe('paper venue', () => {
  it('fills an entry at the next open with the taker fee, and books the exit PnL exactly', () => {
    const v = testVenue();
    v.settleBar(flat(0, 2000), 0, true);
    v.submit(entry({ bracket: { takeProfitFrac: 0.01 } }), T0 + FIVE_MIN);
    v.settleBar(bar(1, 2000, 2030, 1990, 2025), 0, true);
    const [fill, exit] = v.ledger.fills;
    expect(fill).toMatchObject({ kind: 'entry', side: 'buy' });
    expect(fill!.price.toString()).toBe('2000');
    expect(fill!.fee.toString()).toBe('0.72');
    expect(exit!.price.toString()).toBe('2020');
    const trade = v.ledger.trades[0]!;
    expect(trade.grossPnl.toString()).toBe('12');
    expect(trade.netPnl.toString()).toBe(money(12).minus('0.72').minus(money(60 * 0.01 * 2020).times('0.0006')).toString());
    expect(v.cash.toString()).toBe(money(10_000).plus(trade.netPnl).toString());
  });

  it('rounds exit fills to the tick against the trader', () => {
    const v = testVenue();
    v.settleBar(flat(0, 100), 0, true);
    v.submit(entry({ lots: 8, refPrice: 100, bracket: { takeProfitFrac: 4 / 6 / 100 } }), T0);
    v.settleBar(flat(1, 100), 0, true);
    v.settleBar(bar(2, 100, 101, 100, 101), 0, true);
    expect(v.ledger.trades[0]!.exitPrice.toString()).toBe('100.66');
  });

  it('fills limit targets at their price as a maker, and only when the bar trades through them', () => {
    const v = testVenue({ targetOrders: 'limit', slippage: money('0.001') });
    v.settleBar(flat(0, 100), 0, true);
    v.submit(entry({ lots: 10, refPrice: 100, bracket: { takeProfitFrac: 0.02 } }), T0);
    v.settleBar(flat(1, 100), 0, true);
    const entryFill = v.ledger.fills[0]!;
    const limitPrice = entryFill.price.times('1.02').toNearest('0.01');
    v.settleBar(bar(2, 100.2, limitPrice.toNumber(), 100, 101), 0, true);
    expect(v.ledger.trades, 'a touch of the limit price does not fill').toHaveLength(0);
    v.settleBar(bar(3, 101, 103, 101, 102), 0, true);
    const exit = v.ledger.fills[1]!;
    expect(exit.price.toString()).toBe(limitPrice.toString());
    expect(exit.fee.toString()).toBe(exit.notional.times('0.0002').toString());
    expect(exit.slippage.toString()).toBe('0');
  });

  it('fills the stop first when a bar touches both the stop and the target', () => {
    const v = testVenue();
    v.settleBar(flat(0, 100), 0, true);
    v.submit(entry({ lots: 10, refPrice: 100, bracket: { stopFrac: -0.0098, takeProfitFrac: 0.025 } }), T0);
    v.settleBar(flat(1, 100), 0, true);
    v.settleBar(bar(2, 100, 103, 98, 101), 0, true);
    const trade = v.ledger.trades[0]!;
    expect(trade.exitReason).toBe('stop');
    expect(trade.exitPrice.toString()).toBe('99.02');
  });

  it('fills a stop that the open gapped through at the open, not at the stop', () => {
    const v = testVenue();
    v.settleBar(flat(0, 100), 0, true);
    v.submit(entry({ lots: 10, refPrice: 100, bracket: { stopFrac: -0.0098 } }), T0);
    v.settleBar(flat(1, 100), 0, true);
    v.settleBar(bar(2, 97, 97.5, 96, 97), 3, true);
    expect(v.ledger.trades[0]!.exitPrice.toString()).toBe('97');
    expect(v.ledger.trades[0]!.exitReason).toBe('stop (gap)');
  });

  it('takes partial exits at their levels and the rest at the take-profit, all reduce-only', () => {
    const v = testVenue({ contract: { symbol: 'ETHUSDTM', multiplier: 0.01, lotSize: 1, tickSize: 0, maintenanceMargin: 0.005 } });
    v.settleBar(flat(0, 100), 0, true);
    const partials = [4, 8, 12].map((roi, k) => ({ triggerFrac: roi / 6 / 100, fraction: 0.25, label: `partial ${k + 1}` }));
    v.submit(entry({ lots: 8, refPrice: 100, bracket: { stopFrac: -0.0098, takeProfitFrac: 0.025, partials } }), T0);
    v.settleBar(flat(1, 100), 0, true);
    v.settleBar(bar(2, 100, 101.5, 100, 101), 0, true);
    expect(v.openPosition!.lots.toString()).toBe('4');
    v.settleBar(bar(3, 101, 103, 101, 102), 0, true);
    const trade = v.ledger.trades[0]!;
    expect(trade.exits.map((e) => [e.lots.toString(), e.price.toDecimalPlaces(4).toString(), e.reason])).toEqual([
      ['2', '100.6667', 'partial 1'],
      ['2', '101.3333', 'partial 2'],
      ['2', '102', 'partial 3'],
      ['2', '102.5', 'take-profit'],
    ]);
    expect(trade.exits.reduce((a, e) => a + e.lots.toNumber(), 0)).toBe(8);
  });

  it('liquidates a long when the range reaches the liquidation price and no stop protects it', () => {
    const v = testVenue();
    v.settleBar(flat(0, 100), 0, true);
    v.submit(entry({ lots: 10, refPrice: 100 }), T0);
    v.settleBar(flat(1, 100), 0, true);
    v.settleBar(bar(2, 100, 100, 83, 84), 0, true);
    const trade = v.ledger.trades[0]!;
    expect(trade.exitReason).toBe('liquidation');
    expect(trade.grossPnl.toString()).toBe(money(-10 * 0.01 * 100).div(6).toString());
  });

  it('charges longs and pays shorts funding at 00:00, 08:00 and 16:00 UTC on the position value', () => {
    const day = Date.UTC(2021, 0, 5);
    const at = (minutes: number, price: number) => ({ time: day + minutes * 60_000, open: price, high: price, low: price, close: price, volume: 1, interval: FIVE_MIN, complete: true });
    for (const side of [1, -1] as const) {
      const v = testVenue();
      v.settleBar(at(-20, 2000), 0, true);
      v.submit(entry({ side, lots: 50 }), day);
      v.settleBar(at(-15, 2000), 0, true);
      v.settleBar(at(-10, 2000), 0, true);
      v.settleBar(at(0, 2100), 0, true);
      const funding = v.ledger.fills.filter((f) => f.kind === 'funding');
      expect(funding).toHaveLength(1);
      expect(funding[0]!.time).toBe(day);
      expect(funding[0]!.notional.toString()).toBe('1050');
      expect(funding[0]!.funding.toString()).toBe(side === 1 ? '0.105' : '-0.105');
    }
  });

  it('books a settlement that fell inside a data gap on the first bar after it', () => {
    const v = testVenue();
    const day = Date.UTC(2021, 0, 5);
    const at = (minutes: number) => ({ time: day + minutes * 60_000, open: 100, high: 100, low: 100, close: 100, volume: 1, interval: FIVE_MIN, complete: true });
    v.settleBar(at(-30), 0, true);
    v.submit(entry({ lots: 10, refPrice: 100 }), day);
    v.settleBar(at(-25), 0, true);
    v.settleBar(at(30), 10, true);
    expect(v.ledger.fills.filter((f) => f.kind === 'funding').map((f) => f.time)).toEqual([day]);
  });

  it('rejects an entry it cannot afford, and a second entry while one is open, and records why', () => {
    const v = testVenue();
    v.settleBar(flat(0, 2000), 0, true);
    v.submit(entry({ lots: 100_000 }), T0);
    v.settleBar(flat(1, 2000), 0, true);
    expect(v.ledger.rejections[0]!.reason).toMatch(/needs margin/);
    v.submit(entry(), T0 + FIVE_MIN);
    v.settleBar(flat(2, 2000), 0, true);
    v.submit(entry(), T0 + 2 * FIVE_MIN);
    expect(v.ledger.rejections[1]!.reason).toMatch(/already open/);
  });

  it('does not trade while warming up', () => {
    const v = testVenue();
    v.submit(entry(), T0);
    v.settleBar(flat(0, 2000), 0, false);
    expect(v.ledger.fills).toHaveLength(0);
    expect(v.ledger.rejections[0]!.reason).toMatch(/warming up/);
  });

  it('keeps equity equal to cash plus unrealised PnL on every bar of random paths (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ move: fc.double({ min: -0.03, max: 0.03, noNaN: true }), range: fc.double({ min: 0, max: 0.02, noNaN: true }), act: fc.integer({ min: 0, max: 5 }) }), { minLength: 5, maxLength: 60 }),
        (steps) => {
          const v = testVenue({ slippage: money('0.0002') });
          let price = 100;
          steps.forEach((s, i) => {
            const open = price;
            price = Math.max(1, price * (1 + s.move));
            const high = Math.max(open, price) * (1 + s.range);
            const low = Math.min(open, price) * (1 - s.range);
            v.settleBar(bar(i, open, high, low, price), 0, true);
            expect(v.equity.toString()).toBe(v.cash.plus(v.unrealized).toString());
            const p = v.openPosition;
            if (s.act === 1 && p === null) v.submit(entry({ lots: 20, side: i % 2 === 0 ? 1 : -1, refPrice: price, bracket: { stopFrac: -0.01 * (i % 2 === 0 ? 1 : -1), takeProfitFrac: 0.02 * (i % 2 === 0 ? 1 : -1) } }), T0);
            if (s.act === 2 && p !== null) v.submit({ kind: 'close', time: T0, positionId: p.id, reason: 'test' }, T0);
          });
          const realised = v.ledger.trades.reduce((a, t) => a.plus(t.netPnl), money(0));
          const open = v.openPosition;
          const openCosts = open === null ? money(0) : open.gross.minus(open.fees).minus(open.funding);
          expect(v.cash.toString()).toBe(money(10_000).plus(realised).plus(openCosts).toString());
        },
      ),
      { seed: 7, numRuns: 200 },
    );
  });

  it('restores a snapshot exactly, ledger included', () => {
    const v = testVenue();
    v.settleBar(flat(0, 100), 0, true);
    v.submit(entry({ lots: 10, refPrice: 100, bracket: { stopFrac: -0.01 } }), T0);
    const snap = v.snapshot();
    v.settleBar(bar(1, 100, 100, 98, 98), 0, true);
    expect(v.ledger.trades).toHaveLength(1);
    v.restore(snap);
    expect(v.ledger.trades).toHaveLength(0);
    expect(v.ledger.fills).toHaveLength(0);
    v.settleBar(bar(1, 100, 100, 98, 98), 0, true);
    expect(v.ledger.trades).toHaveLength(1);
  });
});

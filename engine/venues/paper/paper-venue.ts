import type { Decimal } from 'decimal.js';
import { cloneState } from '../../core/state-clone.ts';
import type { AccountView, Bar, CloseOrder, EntryOrder, OrderCommand, PositionView, Side, StopMove } from '../../core/trading.ts';
import type { Venue } from '../venue.ts';
import { funding as fundingPayment, settle } from './settlement.ts';
import { emptyLedger, type Ledger } from './ledger.ts';
import { fmtMoney, money, ZERO } from './money.ts';
import type { PaperConfig } from './paper-config.ts';
import { liquidationPrice, lotsFor, marketFillPrice, notional } from './paper-math.ts';
import { settlementsBetween } from './funding.ts';
import type { PositionState, VenueState } from './paper-state.ts';

const DAY_MS = 86_400_000;

/**
 * Simulated KuCoin-style isolated-margin venue for one contract. Commands submitted at a bar's
 * close act on the next bar: entries fill at its open (plus slippage, taker fee); protective stops,
 * partial exits and the take-profit are then checked against its range in the conservative order
 * of enygma.md §5 (a gap through the stop fills at the open; if the range touches both the stop and
 * a target, the stop fills first; liquidation when the range reaches the liquidation price before
 * the stop). Funding settles at fixed instants on the position held at that instant. All money is
 * decimal; every exit is reduce-only.
 */
export class PaperVenue implements Venue {
  readonly config: PaperConfig;
  readonly ledger: Ledger = emptyLedger();
  private state: VenueState;
  /** the float64 view handed to nodes; rebuilt only after something changed (most flat bars change nothing) */
  private view: AccountView | null = null;
  /** float64 mirror of the open position, rebuilt after any change to it (fills, stop moves) */
  private positionMirror: PositionMirror | null = null;
  private readonly floats = new FloatMemo();
  private readonly contractView: AccountView['contract'];
  private readonly multiplier: Decimal;
  private readonly lotSize: Decimal;
  private readonly tick: Decimal;
  private readonly mmr: Decimal;

  constructor(config: PaperConfig) {
    this.config = config;
    this.multiplier = money(config.contract.multiplier);
    this.lotSize = money(config.contract.lotSize);
    this.tick = money(config.contract.tickSize);
    this.mmr = money(config.contract.maintenanceMargin);
    const c = config.contract;
    this.contractView = Object.freeze({ symbol: c.symbol, multiplier: c.multiplier, lotSize: c.lotSize, tickSize: c.tickSize, maintenanceMargin: c.maintenanceMargin, takerFee: config.takerFee.toNumber() });
    this.state = {
      cash: config.initialEquity,
      position: null,
      pending: [],
      pendingClose: null,
      nextId: 1,
      bars: 0,
      lastOpen: null,
      lastClose: NaN,
      mark: null,
      markFor: null,
      equityF: config.initialEquity.toNumber(),
      peakF: config.initialEquity.toNumber(),
      day: null,
      dayStartEquity: config.initialEquity,
      consecutiveLosses: 0,
      lastEntryTime: null,
      lastEntryOrderTime: null,
      lastExitTime: null,
      lastExitWasLoss: false,
      time: 0,
    };
  }

  submit(command: OrderCommand, time: number): void {
    this.view = null;
    this.positionMirror = null;
    switch (command.kind) {
      case 'entry':
        return this.acceptEntry(command, time);
      case 'stop':
        return this.moveStop(command, time);
      case 'close':
        return this.acceptClose(command, time);
    }
  }

  settleBar(bar: Bar, _gapBefore: number, trading: boolean): void {
    if (!this.settleQuietly(bar)) this.settleFully(bar, trading);
  }

  /**
   * settleBar on each of bars[from .. to] (indices into `bars`; bars before `firstTraded` only warm
   * up), for a caller that knows no command arrives meanwhile (a batch run's quiet stretch,
   * engine/batch/quiet-bars.ts). It stops after a bar on which a position opens or closes or a
   * pending entry fills, so that the caller can run what must see that bar. Returns the index of
   * the last bar settled.
   */
  settleStretch(bars: readonly Bar[], from: number, to: number, firstTraded: number): number {
    const s = this.state;
    const inPosition = s.position !== null;
    const pending = s.pending.length > 0;
    for (let i = from; i <= to; i++) {
      const bar = bars[i]!;
      if (this.settleQuietly(bar)) continue;
      this.settleFully(bar, i >= firstTraded);
      if ((s.position !== null) !== inPosition || s.pending.length > 0 !== pending) return i;
    }
    return to;
  }

  reserve(bars: number): void {
    this.ledger.equity.reserve(bars);
  }

  /**
   * The common bar, on which no money moves: flat with nothing pending, or holding a position whose
   * levels the bar's range does not come near, with no funding due — and the same UTC day as the
   * last bar. Only the float mark and the equity tape change, exactly as settleFully would change
   * them. Returns false, having done nothing, for any other bar.
   */
  private settleQuietly(bar: Bar): boolean {
    const s = this.state;
    const time = bar.time;
    if (s.day === null || time < s.day || time - s.day >= DAY_MS || s.pending.length > 0 || s.pendingClose !== null) return false;
    const p = s.position;
    let lots = 0;
    if (p !== null) {
      if ((s.lastOpen !== null && this.fundingDue(s.lastOpen, time)) || this.mayTouchALevel(p, bar)) return false;
      this.view = null;
      this.mark(bar.close);
      lots = this.mirror(p).lots * p.side;
    }
    s.time = time;
    s.lastOpen = time;
    s.lastClose = bar.close;
    s.bars++;
    this.ledger.equity.push(time, s.equityF, s.cash, s.mark, bar.close, lots);
    return true;
  }

  private settleFully(bar: Bar, trading: boolean): void {
    const s = this.state;
    s.time = bar.time;
    const day = Math.floor(bar.time / DAY_MS) * DAY_MS;
    if (day !== s.day) {
      s.day = day;
      s.dayStartEquity = this.exactEquity();
      this.view = null;
    }
    // Flat with nothing pending, a bar changes no money: skip the decimal work entirely.
    if (s.position !== null || s.pending.length > 0 || s.pendingClose !== null) {
      this.view = null;
      if (s.pending.length > 0 || s.pendingClose !== null) this.positionMirror = null;
      // Decimal work only where money moves: funding due, a pending order, a level in the bar's reach.
      // The open as a decimal is made on first use (no closure for it: under tsx's keepNames every
      // closure created per bar costs a defineProperty call).
      let open: Decimal | null = null;
      if (s.lastOpen !== null && s.position !== null && this.fundingDue(s.lastOpen, bar.time)) {
        for (const at of settlementsBetween(s.lastOpen, bar.time, this.config.fundingIntervalMs, this.config.fundingOffsetMs)) this.payFunding(at, (open ??= money(bar.open)));
      }
      if (s.pendingClose !== null && s.position !== null && s.position.id === s.pendingClose.positionId) {
        open ??= money(bar.open);
        this.exit(s.position, bar.time, s.position.lots, marketFillPrice(open, exitAction(s.position.side), this.config.slippage, this.tick), open, s.pendingClose.reason);
      }
      s.pendingClose = null;
      for (const order of s.pending) this.fillEntry(order, bar, (open ??= money(bar.open)), trading);
      s.pending = [];
      if (s.position !== null && this.mayTouchALevel(s.position, bar)) {
        this.positionMirror = null;
        this.walkBar(s.position, bar, (open ??= money(bar.open)));
      }
      this.mark(bar.close);
    }
    s.lastOpen = bar.time;
    s.lastClose = bar.close;
    s.bars++;
    this.ledger.equity.push(bar.time, s.equityF, s.cash, s.mark, bar.close, s.position === null ? 0 : this.mirror(s.position).lots * s.position.side);
  }

  /** Whether a funding settlement falls in (previousOpen, open] — cheap enough to ask on every bar. */
  private fundingDue(previousOpen: number, open: number): boolean {
    const { fundingIntervalMs: interval, fundingOffsetMs: offset } = this.config;
    return Math.floor((open - offset) / interval) > Math.floor((previousOpen - offset) / interval);
  }

  private mirror(p: PositionState): PositionMirror {
    if (this.positionMirror === null || this.positionMirror.id !== p.id) this.positionMirror = mirrorOf(p);
    return this.positionMirror;
  }

  /**
   * Whether the bar's range comes near the stop, the liquidation price or the next target. Most
   * bars of an open position touch nothing; they skip the exact decimal walk. "Near" leaves a
   * 1e-9 relative margin, so every bar that might touch a level is decided in decimal.
   */
  private mayTouchALevel(p: PositionState, bar: Bar): boolean {
    const m = this.mirror(p);
    const long = p.side === 1;
    const worst = long ? bar.low : bar.high;
    const best = long ? bar.high : bar.low;
    if (m.stop !== null && near(long, worst, m.stop, true)) return true;
    if (near(long, worst, m.liquidation, true)) return true;
    if (m.nextTarget !== null && near(long, best, m.nextTarget, false)) return true;
    return false;
  }

  account(): AccountView {
    if (this.view === null) this.view = this.buildView();
    return this.view;
  }

  private buildView(): AccountView {
    const s = this.state;
    const p = s.position;
    const cash = this.floats.of('cash', s.cash);
    const unrealizedPnl = s.equityF - cash;
    const position: PositionView | null = p === null ? null : positionView(this.mirror(p).view, unrealizedPnl);
    return {
      contract: this.contractView,
      equity: s.equityF,
      cash,
      unrealizedPnl,
      usedMargin: position === null ? 0 : position.margin,
      dayStartEquity: this.floats.of('dayStart', s.dayStartEquity),
      peakEquity: s.peakF,
      consecutiveLosses: s.consecutiveLosses,
      lastEntryTime: s.lastEntryTime,
      lastEntryOrderTime: s.lastEntryOrderTime,
      lastExitTime: s.lastExitTime,
      lastExitWasLoss: s.lastExitWasLoss,
      pendingEntries: s.pending.length,
      openPositions: p === null ? 0 : 1,
      position,
    };
  }

  /** Exact money state, for reports and tests (the view above is float64 for signal nodes). */
  get equity(): Decimal {
    return this.exactEquity();
  }

  get cash(): Decimal {
    return this.state.cash;
  }

  get unrealized(): Decimal {
    return this.exactEquity().minus(this.state.cash);
  }

  /** Equity at the last close in decimal: cash + close × k − base. */
  private exactEquity(): Decimal {
    const s = this.state;
    return s.mark === null || s.lastClose !== s.lastClose ? s.cash : s.cash.plus(money(s.lastClose).times(s.mark.k).minus(s.mark.base));
  }

  get inPosition(): boolean {
    return this.state.position !== null;
  }

  get pendingEntries(): number {
    return this.state.pending.length;
  }

  get openPosition(): Readonly<PositionState> | null {
    return this.state.position;
  }

  snapshot(): unknown {
    const l = this.ledger;
    return { state: cloneState(this.state), lengths: [l.fills.length, l.trades.length, l.rejections.length, l.equity.length] };
  }

  restore(snapshot: unknown): void {
    const { state, lengths } = snapshot as { state: VenueState; lengths: number[] };
    this.state = cloneState(state);
    this.view = null;
    this.positionMirror = null;
    // The ledger is cut back to where it was at the snapshot. A fresh venue restored from another
    // one's snapshot (a server replaying from a checkpoint, for node values) has no history to keep:
    // it starts its ledger empty rather than with holes where the other venue's records were.
    const l = this.ledger;
    l.fills.length = Math.min(l.fills.length, lengths[0]!);
    l.trades.length = Math.min(l.trades.length, lengths[1]!);
    l.rejections.length = Math.min(l.rejections.length, lengths[2]!);
    l.equity.truncate(Math.min(l.equity.length, lengths[3]!));
  }

  private reject(time: number, command: string, reason: string): void {
    this.ledger.rejections.push({ time, command, reason });
  }

  private acceptEntry(order: EntryOrder, time: number): void {
    const s = this.state;
    s.lastEntryOrderTime = time;
    const lots = money(order.lots);
    if (s.position !== null) return this.reject(time, 'entry', `a ${sideName(s.position.side)} position is already open`);
    if (s.pending.length > 0) return this.reject(time, 'entry', 'an entry is already waiting for the next bar');
    if (!(order.lots > 0) || !lots.div(this.lotSize).isInteger()) return this.reject(time, 'entry', `size ${order.lots} is not a positive multiple of the lot size ${this.config.contract.lotSize}`);
    if (!(order.leverage >= 1)) return this.reject(time, 'entry', `leverage ${order.leverage} is below 1`);
    s.pending.push(order);
  }

  private moveStop(move: StopMove, time: number): void {
    const p = this.state.position;
    if (p === null || p.id !== move.positionId) return this.reject(time, 'stop', `position ${move.positionId} is not open`);
    if (!(move.price > 0) || !Number.isFinite(move.price)) return this.reject(time, 'stop', `stop price ${move.price} is not a positive number`);
    const price = money(move.price);
    if (p.stop !== null && price.eq(p.stop) && p.stopReason === move.reason) return;
    p.stop = price;
    p.stopReason = move.reason;
    p.stopPath.push({ time, price, reason: move.reason });
  }

  private acceptClose(order: CloseOrder, time: number): void {
    const p = this.state.position;
    if (p === null || p.id !== order.positionId) return this.reject(time, 'close', `position ${order.positionId} is not open`);
    this.state.pendingClose = { positionId: order.positionId, reason: order.reason };
  }

  private fillEntry(order: EntryOrder, bar: Bar, open: Decimal, trading: boolean): void {
    const s = this.state;
    if (!trading) return this.reject(bar.time, 'entry', 'trading is off while warming up');
    const c = this.config;
    const action = order.side === 1 ? 'buy' : 'sell';
    const price = marketFillPrice(open, action, c.slippage, this.tick);
    const lots = money(order.lots);
    const value = notional(lots, this.multiplier, price);
    const margin = value.div(order.leverage);
    const fee = value.times(c.takerFee);
    const available = s.cash.minus(margin).minus(fee);
    if (available.isNegative()) return this.reject(bar.time, 'entry', `needs margin ${fmtMoney(margin)} + fee ${fmtMoney(fee)}, cash is ${fmtMoney(s.cash)}`);
    const slippage = price.minus(open).abs().times(lots).times(this.multiplier);
    s.cash = s.cash.minus(fee);
    const position: PositionState = {
      id: s.nextId++,
      side: order.side,
      lots,
      initialLots: lots,
      entryPrice: price,
      entryTime: bar.time,
      entryBar: s.bars,
      leverage: order.leverage,
      margin,
      stop: null,
      stopReason: 'stop',
      takeProfit: null,
      partials: [],
      partialsFilled: 0,
      liquidation: liquidationPrice(order.side, price, order.leverage, this.mmr),
      gross: ZERO,
      fees: fee,
      funding: ZERO,
      slippage,
      entryReason: order.reason,
      entryDetail: order.detail,
      exits: [],
      stopPath: [],
    };
    resolveBracket(position, order, this.lotSize);
    if (position.stop !== null) position.stopPath.push({ time: bar.time, price: position.stop, reason: 'stop' });
    s.position = position;
    s.lastEntryTime = bar.time;
    this.ledger.fills.push({ time: bar.time, positionId: position.id, kind: 'entry', side: action, price, lots, notional: value, fee, funding: ZERO, slippage, reason: order.reason });
  }

  /** The bar's path, conservatively: gaps first, then the stop (or liquidation), then targets. */
  private walkBar(p: PositionState, bar: Bar, open: Decimal): void {
    const long = p.side === 1;
    const low = money(bar.low);
    const high = money(bar.high);
    const worst = long ? low : high;
    const best = long ? high : low;
    // `beyond`: a price at or past a protective level (against the position); `reached`: the bar's
    // best price got to a target.
    const beyond = (price: Decimal, level: Decimal) => (long ? price.lte(level) : price.gte(level));
    const reached = (level: Decimal) => (long ? best.gte(level) : best.lte(level));
    const stopFirst = p.stop !== null && (long ? p.stop.gt(p.liquidation) : p.stop.lt(p.liquidation));
    const action = exitAction(p.side);
    if (stopFirst && beyond(open, p.stop!)) {
      return this.exit(p, bar.time, p.lots, marketFillPrice(open, action, this.config.slippage, this.tick), open, `${p.stopReason} (gap)`);
    }
    if (beyond(open, p.liquidation)) return this.liquidate(p, bar.time);
    if (stopFirst && beyond(worst, p.stop!)) {
      return this.exit(p, bar.time, p.lots, marketFillPrice(p.stop!, action, this.config.slippage, this.tick), p.stop!, p.stopReason);
    }
    if (beyond(worst, p.liquidation)) return this.liquidate(p, bar.time);
    // Targets: market orders trigger when the bar touches the level; resting limit orders fill at
    // their price, as a maker, only when the bar trades through it (a touch may not fill a queue).
    const limit = this.config.targetOrders === 'limit';
    const target = (level: Decimal) => (limit ? this.onTick(level) : level);
    const filled = (level: Decimal) => (limit ? (long ? best.gt(target(level)) : best.lt(target(level))) : reached(level));
    const fill = (level: Decimal) => (limit ? target(level) : marketFillPrice(level, action, this.config.slippage, this.tick));
    const fee = limit ? this.config.makerFee : this.config.takerFee;
    while (p.partials.length > 0 && filled(p.partials[0]!.price)) {
      const partial = p.partials.shift()!;
      p.partialsFilled++;
      this.exit(p, bar.time, partial.lots, fill(partial.price), limit ? fill(partial.price) : partial.price, partial.label, fee);
    }
    if (p.takeProfit !== null && filled(p.takeProfit) && this.state.position === p) {
      this.exit(p, bar.time, p.lots, fill(p.takeProfit), limit ? fill(p.takeProfit) : p.takeProfit, 'take-profit', fee);
    }
  }

  /** A limit price on the tick grid. */
  private onTick(price: Decimal): Decimal {
    return this.tick.isZero() ? price : price.toNearest(this.tick);
  }

  private exit(p: PositionState, time: number, lots: Decimal, price: Decimal, reference: Decimal, reason: string, feeRate: Decimal = this.config.takerFee): void {
    const effect = settle(p, lots, price, reference, this.multiplier, feeRate);
    this.state.cash = this.state.cash.plus(effect.gross).minus(effect.fee);
    p.exits.push({ time, price, lots, reason });
    this.ledger.fills.push({ time, positionId: p.id, kind: 'exit', side: exitAction(p.side), price, lots, notional: effect.value, fee: effect.fee, funding: ZERO, slippage: effect.slippage, reason });
    if (p.lots.isZero()) this.closeTrade(p, time, reason);
  }

  /** Isolated margin: the position's remaining margin is lost; the exchange keeps the rest. */
  private liquidate(p: PositionState, time: number): void {
    const lost = p.margin;
    p.gross = p.gross.minus(lost);
    this.state.cash = this.state.cash.minus(lost);
    const lots = p.lots;
    p.exits.push({ time, price: p.liquidation, lots, reason: 'liquidation' });
    this.ledger.fills.push({ time, positionId: p.id, kind: 'liquidation', side: exitAction(p.side), price: p.liquidation, lots, notional: notional(lots, this.multiplier, p.liquidation), fee: ZERO, funding: ZERO, slippage: ZERO, reason: 'liquidation' });
    p.lots = ZERO;
    p.margin = ZERO;
    this.closeTrade(p, time, 'liquidation');
  }

  private payFunding(at: number, mark: Decimal): void {
    const p = this.state.position!;
    const rate = this.config.fundingSeries?.get(at) ?? this.config.fundingRate;
    const { value, payment } = fundingPayment(p, mark, rate, this.multiplier);
    this.state.cash = this.state.cash.minus(payment);
    p.funding = p.funding.plus(payment);
    this.ledger.fills.push({ time: at, positionId: p.id, kind: 'funding', side: 'funding', price: mark, lots: p.lots, notional: value, fee: ZERO, funding: payment, slippage: ZERO, reason: `funding ${rate.toString()}` });
  }

  private closeTrade(p: PositionState, time: number, reason: string): void {
    const s = this.state;
    const net = p.gross.minus(p.fees).minus(p.funding);
    const exitLots = p.exits.reduce((sum, e) => sum.plus(e.lots), ZERO);
    const exitPrice = p.exits.reduce((sum, e) => sum.plus(e.price.times(e.lots)), ZERO).div(exitLots);
    const initialMargin = notional(p.initialLots, this.multiplier, p.entryPrice).div(p.leverage);
    this.ledger.trades.push({
      id: p.id,
      side: p.side,
      entryTime: p.entryTime,
      entryPrice: p.entryPrice,
      exitTime: time,
      exitPrice,
      lots: p.initialLots,
      leverage: p.leverage,
      margin: initialMargin,
      grossPnl: p.gross,
      fees: p.fees,
      funding: p.funding,
      slippage: p.slippage,
      netPnl: net,
      roiPct: net.div(initialMargin).times(100),
      entryReason: p.entryReason,
      entryDetail: p.entryDetail,
      exitReason: reason,
      exits: p.exits,
      stopPath: p.stopPath,
      barsHeld: s.bars - p.entryBar + 1,
    });
    s.position = null;
    s.lastExitTime = time;
    s.lastExitWasLoss = net.isNegative();
    if (net.isNegative()) s.consecutiveLosses++;
    else if (net.isPositive()) s.consecutiveLosses = 0;
  }

  /** Float marking at the close; the decimal mark object changes only when the position does. */
  private mark(closePrice: number): void {
    const s = this.state;
    const p = s.position;
    if (p === null) {
      s.mark = null;
      s.markFor = null;
    } else if (s.markFor === null || s.markFor.id !== p.id || s.markFor.lots !== p.lots) {
      const k = p.lots.times(this.multiplier).times(p.side);
      const base = p.entryPrice.times(k);
      s.mark = { k, base, kF: k.toNumber(), baseF: base.toNumber() };
      s.markFor = { id: p.id, lots: p.lots };
    }
    const cash = this.floats.of('cash', s.cash);
    s.equityF = s.mark === null ? cash : cash + closePrice * s.mark.kF - s.mark.baseF;
    if (s.equityF > s.peakF) s.peakF = s.equityF;
  }
}

/**
 * The mirror's view with the bar's unrealised PnL, written out field by field (same keys, same
 * order as `{ ...view, unrealizedPnl }`): rebuilt on every bar a position is open, and a literal
 * of known shape costs a fraction of an object spread.
 */
function positionView(v: Omit<PositionView, 'unrealizedPnl'>, unrealizedPnl: number): PositionView {
  return {
    id: v.id,
    side: v.side,
    lots: v.lots,
    initialLots: v.initialLots,
    entryPrice: v.entryPrice,
    entryTime: v.entryTime,
    leverage: v.leverage,
    margin: v.margin,
    stopPrice: v.stopPrice,
    stopReason: v.stopReason,
    takeProfitPrice: v.takeProfitPrice,
    liquidationPrice: v.liquidationPrice,
    partialsFilled: v.partialsFilled,
    unrealizedPnl,
  };
}

/** Whether `price` is at or past `level` (against the position: below it for a long), give or take a 1e-9 relative slack. */
function near(long: boolean, price: number, level: number, against: boolean): boolean {
  const slack = Math.abs(level) * 1e-9;
  return long === against ? price <= level + slack : price >= level - slack;
}

/** Decimal → number, remembered per field: decimals are immutable, so the same object means the same value. */
class FloatMemo {
  private readonly last = new Map<string, { value: Decimal; number: number }>();
  of(field: string, value: Decimal): number {
    const hit = this.last.get(field);
    if (hit !== undefined && hit.value === value) return hit.number;
    const number = value.toNumber();
    this.last.set(field, { value, number });
    return number;
  }
}

interface PositionMirror {
  id: number;
  lots: number;
  stop: number | null;
  liquidation: number;
  /** the nearest target still waiting: the first partial, else the take-profit */
  nextTarget: number | null;
  view: Omit<PositionView, 'unrealizedPnl'>;
}

function mirrorOf(p: PositionState): PositionMirror {
  const view = {
    id: p.id,
    side: p.side,
    lots: p.lots.toNumber(),
    initialLots: p.initialLots.toNumber(),
    entryPrice: p.entryPrice.toNumber(),
    entryTime: p.entryTime,
    leverage: p.leverage,
    margin: p.margin.toNumber(),
    stopPrice: p.stop === null ? null : p.stop.toNumber(),
    stopReason: p.stopReason,
    takeProfitPrice: p.takeProfit === null ? null : p.takeProfit.toNumber(),
    liquidationPrice: p.liquidation.toNumber(),
    partialsFilled: p.partialsFilled,
  };
  const next = p.partials[0]?.price ?? p.takeProfit;
  return { id: p.id, lots: view.lots, stop: view.stopPrice, liquidation: view.liquidationPrice, nextTarget: next === null ? null : next.toNumber(), view };
}

function exitAction(side: Side): 'buy' | 'sell' {
  return side === 1 ? 'sell' : 'buy';
}

function sideName(side: Side): string {
  return side === 1 ? 'long' : 'short';
}

/** Bracket offsets become prices at the actual fill; partial sizes become whole lots. */
function resolveBracket(p: PositionState, order: EntryOrder, lotSize: Decimal): void {
  const at = (frac: number) => p.entryPrice.times(money(1).plus(money(frac)));
  const b = order.bracket;
  if (b.stopFrac !== undefined) p.stop = at(b.stopFrac);
  if (b.takeProfitFrac !== undefined) p.takeProfit = at(b.takeProfitFrac);
  let allotted = ZERO;
  const partials = [...(b.partials ?? [])].sort((x, y) => (x.triggerFrac - y.triggerFrac) * p.side);
  for (const partial of partials) {
    const lots = p.initialLots.times(partial.fraction).div(lotSize).floor().times(lotSize);
    // Keep at least one lot for the final target: a partial may never close the whole position.
    if (lots.isZero() || allotted.plus(lots).gte(p.initialLots)) continue;
    allotted = allotted.plus(lots);
    p.partials.push({ price: at(partial.triggerFrac), lots, label: partial.label });
  }
}

export { lotsFor };

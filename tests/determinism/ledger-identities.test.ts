/**
 * The money of a real run reconciles exactly (in Decimal, not to a tolerance): mean-reversion on
 * the first ~20k ETH 5m bars, cut so that the run ends holding a position that has paid funding. Every fill obeys notional = lots × multiplier × price and
 * fee = notional × takerFee; every funding row funding = notional × rate × position side; every
 * trade net = gross − fees − funding, built from its own fills; the cash at every bar is the
 * initial equity plus the cash effect of every fill so far; the final equity is the initial equity
 * plus the closed trades' net PnL plus the open position's unrealised PnL less its costs so far.
 * The written reports (fills.csv, trades.csv, equity.csv, summary.json) reconcile the same way.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Decimal } from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paperVenueOf, runBacktest, type BacktestResult } from '../../engine/run/backtest.ts';
import { summarise, writeReports, type RunSummary } from '../../engine/run/reports.ts';
import type { FillRecord } from '../../engine/venues/paper/ledger.ts';
import { fmtMoney, money, ZERO } from '../../engine/venues/paper/money.ts';
import type { PaperVenue } from '../../engine/venues/paper/paper-venue.ts';
import { compileShipped, ethBars, ROOT } from '../support/shipped.ts';

interface ExecutorParams {
  initialEquity: number;
  takerFee: number;
  multiplier: number;
}

const sum = (values: readonly Decimal[]) => values.reduce((a, b) => a.plus(b), ZERO);
/** "x equals y" as text, so a failure prints both decimals in full */
const same = (x: Decimal, y: Decimal) => expect(x.toString()).toBe(y.toString());

describe('money identities of a mean-reversion run on ~20k ETH 5m bars', () => {
  const plan = compileShipped(join(ROOT, 'pipelines/examples/mean-reversion.yaml'));
  const params = plan.nodes[plan.executor!]!.params as ExecutorParams;
  const takerFee = money(params.takerFee);
  const multiplier = money(params.multiplier);
  const initial = money(params.initialEquity);
  let result: BacktestResult;
  let venue: PaperVenue;
  let fills: FillRecord[];
  /** position id → side (+1 long, −1 short) and entry price, from the entry fills */
  const positions = new Map<number, { side: 1 | -1; entry: Decimal; lots: Decimal }>();

  beforeAll(() => {
    // end the run one bar after the last funding settlement of a trade still open then
    const data = ethBars(20_000);
    const first = paperVenueOf(runBacktest(plan, data))!.ledger;
    const exitOf = new Map(first.trades.map((t) => [t.id, t.exitTime]));
    const settlement = first.fills.findLast((f) => f.kind === 'funding' && (exitOf.get(f.positionId) ?? Infinity) > f.time + data.intervalMs)!;
    const last = data.time.indexOf(settlement.time) + 1;
    result = runBacktest(plan, ethBars(last + 1));
    venue = paperVenueOf(result)!;
    fills = venue.ledger.fills;
    for (const f of fills) if (f.kind === 'entry') positions.set(f.positionId, { side: f.side === 'buy' ? 1 : -1, entry: f.price, lots: f.lots });
  });

  it('has closed trades, funding settlements and an open position that paid funding to reconcile', () => {
    expect(venue.ledger.trades.length).toBeGreaterThan(100);
    expect(fills.filter((f) => f.kind === 'funding').length).toBeGreaterThan(5);
    expect(fills.every((f) => positions.has(f.positionId))).toBe(true);
    expect(venue.openPosition).not.toBeNull();
    expect(venue.openPosition!.funding.isZero()).toBe(false);
  });

  it('charges every trade fill the taker fee on its notional, and notional = lots × multiplier × price', () => {
    for (const f of fills.filter((x) => x.kind === 'entry' || x.kind === 'exit')) {
      same(f.notional, f.lots.times(multiplier).times(f.price));
      same(f.fee, f.notional.times(takerFee));
      same(f.funding, ZERO);
    }
  });

  it('books every funding settlement as notional × the recorded rate, paid by longs and received by shorts', () => {
    for (const f of fills.filter((x) => x.kind === 'funding')) {
      const rate = /^funding (-?[\d.eE+-]+)$/.exec(f.reason);
      expect(rate, f.reason).not.toBeNull();
      same(f.notional, f.lots.times(multiplier).times(f.price));
      same(f.funding, f.notional.times(money(rate![1]!)).times(positions.get(f.positionId)!.side));
      same(f.fee, ZERO);
    }
  });

  it('nets every trade as gross − fees − funding, each summed from its own fills', () => {
    for (const t of venue.ledger.trades) {
      const own = fills.filter((f) => f.positionId === t.id);
      const p = positions.get(t.id)!;
      const exits = own.filter((f) => f.kind === 'exit' || f.kind === 'liquidation');
      expect(t.side).toBe(p.side);
      same(t.entryPrice, p.entry);
      same(t.lots, p.lots);
      same(sum(exits.map((f) => f.lots)), t.lots);
      same(t.fees, sum(own.map((f) => f.fee)));
      same(t.funding, sum(own.map((f) => f.funding)));
      if (!exits.some((f) => f.kind === 'liquidation')) {
        same(t.grossPnl, sum(exits.map((f) => f.price.minus(p.entry).times(f.lots).times(multiplier).times(p.side))));
      }
      same(t.netPnl, t.grossPnl.minus(t.fees).minus(t.funding));
    }
  });

  it('keeps the cash at every bar equal to the initial equity plus the cash effect of every fill so far', () => {
    const l = venue.ledger;
    const byPosition = new Map(l.trades.map((t) => [t.id, t]));
    const effect = (f: FillRecord): Decimal => {
      const p = positions.get(f.positionId)!;
      switch (f.kind) {
        case 'entry':
          return f.fee.neg();
        case 'exit':
          return f.price.minus(p.entry).times(f.lots).times(multiplier).times(p.side).minus(f.fee);
        case 'funding':
          return f.funding.neg();
        case 'liquidation': {
          // the margin left in the position is lost: the trade's gross less what its exits made
          const t = byPosition.get(f.positionId)!;
          const made = sum(fills.filter((x) => x.positionId === f.positionId && x.kind === 'exit').map((x) => x.price.minus(p.entry).times(x.lots).times(multiplier).times(p.side)));
          return t.grossPnl.minus(made);
        }
      }
    };
    let cash = initial;
    let next = 0;
    const wrong: string[] = [];
    for (let i = 0; i < l.equity.length; i++) {
      while (next < fills.length && fills[next]!.time <= l.equity.timeAt(i)) cash = cash.plus(effect(fills[next++]!));
      if (!cash.eq(l.equity.cashAt(i))) wrong.push(`bar ${i}: ledger cash ${l.equity.cashAt(i).toString()}, fills say ${cash.toString()}`);
    }
    expect(wrong.slice(0, 5)).toEqual([]);
    expect(next).toBe(fills.length);
  });

  it('ends with equity = initial + Σ closed-trade net + open unrealised − open costs, to the last digit', () => {
    const l = venue.ledger;
    const open = venue.openPosition;
    const closedNet = sum(l.trades.map((t) => t.netPnl));
    let openPart = ZERO;
    if (open !== null) {
      const close = money(result.data.close[result.lastIndex]!);
      const unrealised = close.minus(open.entryPrice).times(open.lots).times(multiplier).times(open.side);
      same(venue.unrealized, unrealised);
      // realised so far (partial exits), less the entry fee and the funding paid
      openPart = unrealised.plus(open.gross).minus(open.fees).minus(open.funding);
      const own = fills.filter((f) => f.positionId === open.id);
      same(open.fees, sum(own.map((f) => f.fee)));
      same(open.funding, sum(own.map((f) => f.funding)));
    }
    same(l.equity.exactAt(l.equity.length - 1), initial.plus(closedNet).plus(openPart));
    same(venue.equity, venue.cash.plus(venue.unrealized));
    const summary = summarise(result);
    expect(summary.netPnl).toBe(fmtMoney(closedNet.plus(openPart)));
    expect(summary.fees).toBe(fmtMoney(sum(fills.map((f) => f.fee))));
    expect(summary.funding).toBe(fmtMoney(sum(fills.map((f) => f.funding))));
    expect(summary.trades).toBe(l.trades.length);
  });

  describe('in the written reports', () => {
    let dir: string;
    let summary: RunSummary;
    const rows = (name: string) => {
      const [header, ...lines] = readFileSync(join(dir, name), 'utf8').trimEnd().split('\n');
      const columns = header!.split(',');
      // the columns checked here never hold commas
      return lines.map((line) => Object.fromEntries(line.split(',').slice(0, columns.length).map((cell, k) => [columns[k]!, cell])));
    };

    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'barflow-ledger-'));
      summary = summarise(result);
      writeReports(dir, result, summary);
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('writes fills whose fee and funding columns follow from their notional, exactly at 8 decimals', () => {
      for (const f of rows('fills.csv')) {
        expect(money(f['notional']!).toFixed(8)).toBe(money(f['lots']!).times(multiplier).times(f['price']!).toFixed(8));
        if (f['kind'] === 'funding') {
          const side = positions.get(Number(f['position']))!.side;
          expect(f['funding']).toBe(money(f['notional']!).times(money(f['reason']!.split(' ')[1]!)).times(side).toFixed(8));
        } else expect(f['fee']).toBe(money(f['notional']!).times(takerFee).toFixed(8));
      }
    });

    it('writes trades whose net_pnl = gross_pnl − fees − funding, and an equity.csv whose last row reconciles with them', () => {
      const trades = rows('trades.csv');
      for (const t of trades) expect(t['net_pnl']).toBe(money(t['gross_pnl']!).minus(t['fees']!).minus(t['funding']!).toFixed(8));
      const closed = new Set(trades.map((t) => t['id']));
      const openCosts = sum(rows('fills.csv').filter((f) => !closed.has(f['position'])).map((f) => money(f['fee']!).plus(f['funding']!)));
      const unrealised = summary.openPosition === null ? ZERO : money(summary.openPosition['unrealizedPnl'] as string);
      const equity = rows('equity.csv');
      const last = equity[equity.length - 1]!;
      expect(last['equity']).toBe(initial.plus(sum(trades.map((t) => money(t['net_pnl']!)))).minus(openCosts).plus(unrealised).toFixed(8));
      expect(last['equity']).toBe(summary.finalEquity);
      expect(money(last['equity']!).minus(initial).toFixed(8)).toBe(summary.netPnl);
    });
  });
});

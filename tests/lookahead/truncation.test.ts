/**
 * No look-ahead, end to end: for every shipped pipeline, a run on data cut at some bar is exactly
 * the prefix of the run on the longer data. Every output of every node is observed on every bar
 * (the ValueRecorder with every node id, as `--dump` writes it), and the venue's ledgers (fills,
 * trades, rejections, equity) of the cut run must be a prefix of the long run's. Cuts: inside a
 * data gap (through `to`), in the middle of an open trade, and mid-period for every resampled
 * clock (through a sliced series).
 */
import { basename } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { sliceCandles, type CandleSeries } from '../../engine/data/candles-csv.ts';
import { paperVenueOf, runBacktest, type BacktestResult } from '../../engine/run/backtest.ts';
import type { Ledger } from '../../engine/venues/paper/ledger.ts';
import { compileShipped, ethBars, shippedPipelines } from '../support/shipped.ts';

const BARS = 20_000;
const HOUR = 3_600_000;

function indexOfTime(data: CandleSeries, time: number): number {
  let lo = 0;
  let hi = data.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (data.time[mid]! < time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The first row (and column) where the cut run's values differ from the long run's, or null. */
function firstDifference(columns: readonly string[], cut: readonly string[], long: readonly string[]): string | null {
  for (let r = 0; r < cut.length; r++) {
    if (cut[r] === long[r]) continue;
    const a = cut[r]!.split(',');
    const b = (long[r] ?? '').split(',');
    const c = a.findIndex((cell, k) => cell !== b[k]);
    return `row ${r} (time ${a[0]}), column ${c > 0 ? columns[c - 1] : 'time'}: cut run ${a[c]} vs long run ${b[c]}`;
  }
  return null;
}

const json = (records: readonly unknown[]) => records.map((r) => JSON.stringify(r));

function ledgerOf(result: BacktestResult): Ledger {
  const venue = paperVenueOf(result);
  if (venue === null) throw new Error('shipped pipelines trade on the paper venue');
  return venue.ledger;
}

function expectPrefix(cut: BacktestResult, long: BacktestResult): void {
  const bars = cut.lastIndex + 1;
  // every node output on every shared bar
  expect(cut.values!.rows.length).toBe(bars);
  expect(firstDifference(cut.values!.columns, cut.values!.rows, long.values!.rows.slice(0, bars))).toBeNull();
  // the ledgers: identical up to the cut, the long run may only add later entries
  const a = ledgerOf(cut);
  const b = ledgerOf(long);
  const lastTime = cut.data.time[cut.lastIndex]!;
  expect(json(a.fills)).toEqual(json(b.fills.slice(0, a.fills.length)));
  expect(b.fills.slice(a.fills.length).every((f) => f.time > lastTime)).toBe(true);
  expect(json(a.trades)).toEqual(json(b.trades.slice(0, a.trades.length)));
  expect(b.trades.slice(a.trades.length).every((t) => t.exitTime > lastTime)).toBe(true);
  expect(json(a.rejections)).toEqual(json(b.rejections.slice(0, a.rejections.length)));
  expect(a.equityTime).toEqual(b.equityTime.slice(0, bars));
  expect(json(a.equity)).toEqual(json(b.equity.slice(0, bars)));
  expect(json(a.cash)).toEqual(json(b.cash.slice(0, bars)));
  expect(a.positionLots).toEqual(b.positionLots.slice(0, bars));
}

describe.each(shippedPipelines().map((file) => [basename(file), file] as const))('no look-ahead in %s', (_name, file) => {
  const plan = compileShipped(file);
  const ids = plan.nodes.map((n) => n.id);
  const data = ethBars(BARS);
  let long: BacktestResult;

  beforeAll(() => {
    long = runBacktest(plan, data, { dump: ids });
  });

  it('observes every output of every node', () => {
    const ports = plan.nodes.reduce((n, node) => n + Object.keys(node.def.outputs).length, 0);
    expect(long.values!.columns.length).toBe(ports);
    expect(ledgerOf(long).trades.length).toBeGreaterThan(3);
  });

  it('gives a run on data that ends at a data gap exactly the prefix of the longer run, and so does --to inside the gap', () => {
    const gap = data.gaps.find((g) => g.index > 5000 && g.missing >= 12)!;
    expect(gap).toBeDefined();
    // the data stops right before the gap: whatever the gap hides must not leak into it
    expectPrefix(runBacktest(plan, sliceCandles(data, 0, gap.index), { dump: ids }), long);
    // `to` at a time the data does not have: the run's last bar is the one before the gap
    const to = runBacktest(plan, data, { to: gap.from + Math.floor(gap.missing / 2) * data.intervalMs, dump: ids });
    expect(to.lastIndex).toBe(gap.index - 1);
    expectPrefix(to, long);
  });

  it('gives a run cut while a trade is open exactly the prefix of the longer run', () => {
    const trade = ledgerOf(long).trades.find((t) => indexOfTime(data, t.entryTime) > BARS / 2 && indexOfTime(data, t.exitTime) >= indexOfTime(data, t.entryTime) + 2)!;
    expect(trade).toBeDefined();
    const last = indexOfTime(data, trade.entryTime) + 1;
    const cut = runBacktest(plan, sliceCandles(data, 0, last + 1), { dump: ids });
    // the cut run ends holding the position the long run later closes
    expect(paperVenueOf(cut)!.openPosition?.id).toBe(trade.id);
    expectPrefix(cut, long);
  });

  it('gives a run cut in the middle of every higher-timeframe period exactly the prefix of the longer run', () => {
    // a bar whose close is on no 15m, 30m or 1h boundary: every resampled clock is mid-period
    let last = Math.floor(BARS * 0.7);
    while ((data.time[last]! + data.intervalMs) % (15 * 60_000) === 0 || (data.time[last]! + data.intervalMs) % HOUR === 0) last++;
    const cut = runBacktest(plan, sliceCandles(data, 0, last + 1), { dump: ids });
    expectPrefix(cut, long);
  });
});

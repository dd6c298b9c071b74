/**
 * No look-ahead, end to end: for every shipped pipeline, a run on data cut at some bar is exactly
 * the prefix of the run on the longer data (the first 20k ETH 5m bars). Every output of every node
 * is observed after every bar (as a hash of all of a node's outputs, plus whether it fired), and
 * the venue's ledgers (fills, trades, rejections, equity, cash, position) of the cut run must be a
 * prefix of the long run's, which may only add later entries. Cuts: at a data gap (the data
 * stops right before it, and `--to` falls inside it), in the middle of an open trade, and
 * mid-period for every resampled clock.
 */
import { basename } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { sliceCandles, type CandleSeries } from '../../engine/data/candles-csv.ts';
import type { CompiledPipeline } from '../../engine/pipeline/plan.ts';
import { paperVenueOf, runBacktest } from '../../engine/run/backtest.ts';
import type { Ledger } from '../../engine/venues/paper/ledger.ts';
import { PaperVenue } from '../../engine/venues/paper/paper-venue.ts';
import type { Venue } from '../../engine/venues/venue.ts';
import { NodeDigests, replay } from '../support/observe.ts';
import { compileShipped, ethBars, shippedPipelines } from '../support/shipped.ts';

const BARS = 20_000;
const HOUR = 3_600_000;

interface Run {
  bars: number;
  digests: NodeDigests;
  venue: PaperVenue;
}

function ledgerVenue(venue: Venue | null): PaperVenue {
  if (!(venue instanceof PaperVenue)) throw new Error('shipped pipelines trade on the paper venue');
  return venue;
}

function observedRun(plan: CompiledPipeline, data: CandleSeries): Run {
  const digests = new NodeDigests(plan, data.length);
  const { venue } = replay(plan, data, { observe: (runner, i) => digests.record(runner, i) });
  return { bars: data.length, digests, venue: ledgerVenue(venue) };
}

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

const json = (records: readonly unknown[]) => records.map((r) => JSON.stringify(r));

/** The cut run's ledger is the long run's up to its last bar; the long run only adds later entries. */
function expectLedgerPrefix(a: Ledger, b: Ledger, bars: number): void {
  const lastTime = a.equity.timeAt(bars - 1);
  expect(a.equity.length).toBe(bars);
  expect(json(a.fills)).toEqual(json(b.fills.slice(0, a.fills.length)));
  expect(b.fills.slice(a.fills.length).every((f) => f.time > lastTime)).toBe(true);
  expect(json(a.trades)).toEqual(json(b.trades.slice(0, a.trades.length)));
  expect(b.trades.slice(a.trades.length).every((t) => t.exitTime > lastTime)).toBe(true);
  expect(json(a.rejections)).toEqual(json(b.rejections.slice(0, a.rejections.length)));
  expect(a.equity.times()).toEqual(b.equity.times(0, bars));
  expect(a.equity.equities()).toEqual(b.equity.equities(0, bars));
  expect(a.equity.positionLots()).toEqual(b.equity.positionLots(0, bars));
  const money = (l: Ledger) => Array.from({ length: bars }, (_, i) => JSON.stringify([l.equity.cashAt(i), l.equity.markAt(i)]));
  expect(money(a)).toEqual(money(b));
}

function expectPrefix(cut: Run, long: Run): void {
  expect(cut.digests.bars).toBe(cut.bars);
  expect(cut.digests.firstDifference(long.digests, cut.bars)).toBeNull();
  expectLedgerPrefix(cut.venue.ledger, long.venue.ledger, cut.bars);
}

describe.each(shippedPipelines().map((file) => [basename(file), file] as const))('no look-ahead in %s', (_name, file) => {
  const plan = compileShipped(file);
  const data = ethBars(BARS);
  let long: Run;

  beforeAll(() => {
    long = observedRun(plan, data);
  });

  it('trades on the test data and observes every node', () => {
    expect(long.venue.ledger.trades.length).toBeGreaterThan(3);
    expect(long.digests.ids).toHaveLength(plan.nodes.length);
    // every node ran at least once
    expect(long.digests.fired.every((f) => f.includes(1))).toBe(true);
  });

  it('gives a run on data that stops at a data gap exactly the prefix of the longer run, and so does --to inside the gap', () => {
    const gap = data.gaps.find((g) => g.index > 5000 && g.missing >= 12)!;
    expect(gap).toBeDefined();
    // whatever the gap hides, and whatever comes after it, must not leak into the bars before it
    expectPrefix(observedRun(plan, sliceCandles(data, 0, gap.index)), long);
    // runBacktest with `to` at a time the data does not have: the last bar is the one before the gap
    const to = runBacktest(plan, data, { to: gap.from + Math.floor(gap.missing / 2) * data.intervalMs });
    expect(to.lastIndex).toBe(gap.index - 1);
    expectLedgerPrefix(paperVenueOf(to)!.ledger, long.venue.ledger, gap.index);
  });

  it('gives a run cut while a trade is open exactly the prefix of the longer run', () => {
    const trades = long.venue.ledger.trades;
    const trade = trades.find((t) => indexOfTime(data, t.entryTime) > BARS / 2 && indexOfTime(data, t.exitTime) >= indexOfTime(data, t.entryTime) + 2) ?? trades.find((t) => t.exitTime - t.entryTime >= 2 * data.intervalMs)!;
    expect(trade).toBeDefined();
    const last = indexOfTime(data, trade.entryTime) + 1;
    const cut = observedRun(plan, sliceCandles(data, 0, last + 1));
    // the cut run ends holding the position the long run closes later
    expect(cut.venue.openPosition?.id).toBe(trade.id);
    expectPrefix(cut, long);
  });

  it('gives a run cut in the middle of every higher-timeframe period exactly the prefix of the longer run', () => {
    // a bar whose close is on no 15m boundary (hence on no 30m, 1h, 2h or 4h one either)
    let last = Math.floor(BARS * 0.7);
    while ((data.time[last]! + data.intervalMs) % (15 * 60_000) === 0) last++;
    expect((data.time[last]! + data.intervalMs) % HOUR).not.toBe(0);
    expectPrefix(observedRun(plan, sliceCandles(data, 0, last + 1)), long);
  });
});

import { describe, expect, it } from 'vitest';
import { BarflowError } from '../../../engine/core/errors.ts';
import { isoTime, parseTimeframe, periodStart } from '../../../engine/core/timeframe.ts';
import type { Bar } from '../../../engine/core/trading.ts';
import { loadCandles, type CandleSeries } from '../../../engine/data/candles-csv.ts';
import { describeNodeContract } from '../../_kit/contract.ts';
import { embeddedPath } from '../../_kit/reference-data.ts';
import { bareContext, paramsOf, type Columns } from '../../_kit/run-node.ts';
import { resample } from './resample.node.ts';

const FIVE_MIN = 300_000;
const eth = loadCandles(embeddedPath('eth-5m'));
const btc = loadCandles(embeddedPath('btc-5m'));

function barsOf(series: CandleSeries): Bar[] {
  return Array.from({ length: series.length }, (_, i) => ({
    time: series.time[i]!,
    open: series.open[i]!,
    high: series.high[i]!,
    low: series.low[i]!,
    close: series.close[i]!,
    volume: series.volume[i]!,
    interval: series.intervalMs,
    complete: true,
  }));
}

interface Published {
  bar: Bar;
  /** index of the input bar on which it was published */
  at: number;
}

/** Drives the node directly, one input bar per step. */
function run(bars: readonly Bar[], timeframe: string): Published[] {
  const params = paramsOf(resample, { timeframe }) as { timeframe: string };
  const state = resample.init(params);
  const out: Record<string, unknown> = {};
  const published: Published[] = [];
  const ctx = bareContext();
  bars.forEach((bar, i) => {
    if (resample.step(state, { bar }, out as never, params, ctx)) {
      published.push({ bar: out['bar'] as Bar, at: i });
      // the series outputs mirror the bar
      if (out['time'] !== (out['bar'] as Bar).time || out['close'] !== (out['bar'] as Bar).close || out['complete'] !== (out['bar'] as Bar).complete) {
        throw new Error(`outputs disagree with the published bar at ${i}`);
      }
    }
  });
  return published;
}

interface Period {
  bar: Bar;
  first: number;
  last: number;
  /** the period's own closing base bar is in the data */
  closes: boolean;
}

/** The independent aggregation: rows grouped by UTC-aligned period, computed from the raw columns. */
function aggregate(series: CandleSeries, tfMs: number): Period[] {
  const periods: Period[] = [];
  for (let i = 0; i < series.length; i++) {
    const start = Math.floor(series.time[i]! / tfMs) * tfMs;
    const current = periods[periods.length - 1];
    if (current === undefined || current.bar.time !== start) {
      periods.push({
        bar: { time: start, open: series.open[i]!, high: -Infinity, low: Infinity, close: NaN, volume: 0, interval: tfMs, complete: false },
        first: i,
        last: i,
        closes: false,
      });
    }
    const p = periods[periods.length - 1]!;
    p.bar.high = Math.max(p.bar.high, series.high[i]!);
    p.bar.low = Math.min(p.bar.low, series.low[i]!);
    p.bar.close = series.close[i]!;
    p.bar.volume += series.volume[i]!;
    p.last = i;
  }
  for (const p of periods) {
    p.bar.complete = p.last - p.first + 1 === tfMs / series.intervalMs;
    p.closes = series.time[p.last]! + series.intervalMs === p.bar.time + tfMs;
  }
  return periods;
}

/** When a period must be published: on its closing bar, or else on the first bar after it. */
function expectedPublication(series: CandleSeries, periods: Period[]): Published[] {
  return periods.flatMap((p) => {
    if (p.closes) return [{ bar: p.bar, at: p.last }];
    if (p.last + 1 < series.length) return [{ bar: p.bar, at: p.last + 1 }];
    return []; // the trailing period is still forming
  });
}

const describeBar = (b: Bar) => `${isoTime(b.time)} o${b.open} h${b.high} l${b.low} c${b.close} v${b.volume} ${b.complete ? 'complete' : 'incomplete'}`;

function expectSamePublications(actual: Published[], expected: Published[], series: CandleSeries): void {
  const n = Math.max(actual.length, expected.length);
  for (let k = 0; k < n; k++) {
    const a = actual[k];
    const e = expected[k];
    const same =
      a !== undefined &&
      e !== undefined &&
      a.at === e.at &&
      a.bar.time === e.bar.time &&
      a.bar.open === e.bar.open &&
      a.bar.high === e.bar.high &&
      a.bar.low === e.bar.low &&
      a.bar.close === e.bar.close &&
      a.bar.volume === e.bar.volume &&
      a.bar.interval === e.bar.interval &&
      a.bar.complete === e.bar.complete;
    if (!same) {
      const show = (p: Published | undefined) => (p ? `${describeBar(p.bar)} published at ${p.at} (${isoTime(series.time[p.at]!)})` : 'nothing');
      throw new Error(`period #${k}: got ${show(a)}, expected ${show(e)}`);
    }
  }
}

describe('transform.resample on the real 5m data', () => {
  for (const [name, series] of [
    ['ETH', eth],
    ['BTC', btc],
  ] as const) {
    const bars = barsOf(series);
    for (const timeframe of ['15m', '30m', '1h', '4h']) {
      it(`${name} 5m → ${timeframe} equals an independent UTC-aligned aggregation, each bar published on the base bar that closes it`, () => {
        const tfMs = parseTimeframe(timeframe);
        const periods = aggregate(series, tfMs);
        expectSamePublications(run(bars, timeframe), expectedPublication(series, periods), series);
      });
    }
  }

  const bars = barsOf(eth);

  it('never publishes a period before the base bar that ends it (no look-ahead)', () => {
    for (const timeframe of ['15m', '30m', '1h', '2h', '4h', '1d']) {
      const tfMs = parseTimeframe(timeframe);
      for (const { bar, at } of run(bars, timeframe)) {
        const closeOfBase = eth.time[at]! + FIVE_MIN;
        const closeOfPeriod = bar.time + tfMs;
        if (closeOfBase < closeOfPeriod) throw new Error(`${timeframe} ${isoTime(bar.time)} published early at ${isoTime(eth.time[at]!)}`);
        // later than its close only when a gap swallowed the closing bar
        if (closeOfBase > closeOfPeriod && eth.gapBefore[at] === 0) throw new Error(`${timeframe} ${isoTime(bar.time)} published late at ${isoTime(eth.time[at]!)}`);
        expect(bar.time % tfMs).toBe(0);
      }
    }
  });

  it('publishes the periods cut by the known gaps on the first bar after the gap, marked incomplete, dropping none', () => {
    for (const timeframe of ['15m', '30m', '1h', '4h']) {
      const tfMs = parseTimeframe(timeframe);
      const published = run(bars, timeframe);
      const periods = aggregate(eth, tfMs);
      // none dropped: every period with data is published except the one still forming at the end
      const forming = periods[periods.length - 1]!.closes ? 0 : 1;
      expect(published.length).toBe(periods.length - forming);
      for (const gap of eth.gaps) {
        const cut = periods.find((p) => p.last === gap.index - 1 && !p.closes);
        const onGap = published.filter((p) => p.at === gap.index);
        if (cut === undefined) {
          expect(onGap).toEqual([]);
          continue;
        }
        expect(onGap.map((p) => p.bar)).toEqual([cut.bar]);
        expect(cut.bar.complete).toBe(false);
      }
    }
  });

  it('publishes the 14:00 hour cut by the 2020-12-21 gap on the 18:00 bar with the two bars it had', () => {
    const hour = run(bars, '1h').find((p) => p.bar.time === Date.parse('2020-12-21T14:00:00Z'))!;
    expect(isoTime(eth.time[hour.at]!)).toBe('2020-12-21T18:00:00Z');
    expect(hour.at).toBe(5930);
    expect(hour.bar.complete).toBe(false);
    expect(hour.bar.open).toBe(eth.open[5928]);
    expect(hour.bar.close).toBe(eth.close[5929]);
    expect(hour.bar.volume).toBe(eth.volume[5928]! + eth.volume[5929]!);
    expect(hour.bar.high).toBe(Math.max(eth.high[5928]!, eth.high[5929]!));
  });

  it('publishes the 04:00 4h period of 2021-04-25, which has one bar before a 56-bar gap, on the 08:45 bar', () => {
    const published = run(bars, '4h');
    const cut = published.find((p) => p.bar.time === Date.parse('2021-04-25T04:00:00Z'))!;
    expect(isoTime(eth.time[cut.at]!)).toBe('2021-04-25T08:45:00Z');
    expect(cut.bar).toEqual({ time: eth.time[41687], open: eth.open[41687], high: eth.high[41687], low: eth.low[41687], close: eth.close[41687], volume: eth.volume[41687], interval: 14_400_000, complete: false });
    // the next period starts mid-way (08:45) and is published on its own closing bar, also incomplete
    const next = published.find((p) => p.bar.time === Date.parse('2021-04-25T08:00:00Z'))!;
    expect(isoTime(eth.time[next.at]!)).toBe('2021-04-25T11:55:00Z');
    expect(next.bar.complete).toBe(false);
  });

  it('4h resampling of the 5m data yields one bar per 4h period with data, the forming last one excepted', () => {
    const published = run(bars, '4h');
    const periods = new Set(Array.from(eth.time, (t) => periodStart(t, 14_400_000)));
    const lastClose = eth.time[eth.length - 1]! + FIVE_MIN;
    const lastPeriodClosed = lastClose % 14_400_000 === 0;
    expect(published.length).toBe(periods.size - (lastPeriodClosed ? 0 : 1));
    // 2020-12-01 00:00 … 2021-07-17 16:00: 228 days × 6 + 5 periods; no gap covers a whole 4h period
    expect(published.length).toBe(228 * 6 + 5);
    // the six gaps cut 2 + 1 + 2 + 1 + 2 + 2 periods
    expect(published.filter((p) => !p.bar.complete).map((p) => isoTime(p.bar.time))).toEqual([
      '2020-12-21T12:00:00Z',
      '2020-12-21T16:00:00Z',
      '2020-12-25T00:00:00Z',
      '2021-02-11T00:00:00Z',
      '2021-02-11T04:00:00Z',
      '2021-03-06T00:00:00Z',
      '2021-04-20T00:00:00Z',
      '2021-04-20T04:00:00Z',
      '2021-04-25T04:00:00Z',
      '2021-04-25T08:00:00Z',
    ]);
    expect(new Set(published.map((p) => p.bar.time)).size).toBe(published.length);
  });

  it('resampling a resample gives the same bars, completeness included, as resampling the base bars', () => {
    const m15 = run(bars, '15m').map((p) => p.bar);
    for (const [from, to] of [
      [m15, '1h'],
      [m15, '4h'],
    ] as const) {
      const direct = run(bars, to).map((p) => p.bar);
      const twice = run(from, to).map((p) => p.bar);
      // the forming last period may differ (the 15m one it needs is not out yet)
      expect(twice.length).toBeGreaterThanOrEqual(direct.length - 1);
      for (let k = 0; k < direct.length - 1; k++) {
        const a = twice[k]!;
        const e = direct[k]!;
        // volumes are summed in another order, so they may differ in the last bits
        const same =
          a.time === e.time && a.open === e.open && a.high === e.high && a.low === e.low && a.close === e.close &&
          a.complete === e.complete && a.interval === e.interval && Math.abs(a.volume - e.volume) <= 1e-9 * Math.abs(e.volume);
        if (!same) throw new Error(`${to} period #${k}: via 15m ${describeBar(a)}, direct ${describeBar(e)}`);
      }
    }
  });
});

describe('transform.resample on hand-made bars', () => {
  const T = Date.UTC(2021, 0, 4);
  const bar = (k: number, over: Partial<Bar> = {}): Bar => ({
    time: T + k * FIVE_MIN,
    open: 100 + k,
    high: 102 + k,
    low: 99 + k,
    close: 101 + k,
    volume: 1 + k,
    interval: FIVE_MIN,
    complete: true,
    ...over,
  });

  it('publishes nothing mid-period', () => {
    const published = run([bar(0), bar(1)], '15m');
    expect(published).toEqual([]);
  });

  it('marks a first period that starts mid-way as incomplete', () => {
    const published = run([bar(1), bar(2), bar(3), bar(4), bar(5)], '15m');
    expect(published.map((p) => [isoTime(p.bar.time), p.at, p.bar.complete])).toEqual([
      ['2021-01-04T00:00:00Z', 1, false],
      ['2021-01-04T00:15:00Z', 4, true],
    ]);
  });

  it('propagates incompleteness: an hour made of four 15m bars, one of them missing a 5m bar, is incomplete', () => {
    const base = Array.from({ length: 12 }, (_, k) => bar(k)).filter((_, k) => k !== 4);
    const direct = run(base, '1h');
    const m15 = run(base, '15m').map((p) => p.bar);
    expect(m15.map((b) => b.complete)).toEqual([true, false, true, true]);
    const viaM15 = run(m15, '1h');
    expect(direct.map((p) => p.bar.complete)).toEqual([false]);
    expect(viaM15.map((p) => p.bar)).toEqual(direct.map((p) => p.bar));
  });

  it('publishes two periods closed by the same bar one after the other, oldest first, dropping neither', () => {
    // 00:00, 00:05, then a gap to 00:25 — the last bar of the 00:15 period — then 00:30
    const published = run([bar(0), bar(1), bar(5), bar(6)], '15m');
    expect(published.map((p) => [isoTime(p.bar.time), p.at, p.bar.complete])).toEqual([
      ['2021-01-04T00:00:00Z', 2, false],
      ['2021-01-04T00:15:00Z', 3, false],
    ]);
  });

  it('rejects input bars whose interval does not divide the target timeframe', () => {
    for (const timeframe of ['7m', '2m']) {
      let thrown: unknown;
      try {
        run([bar(0)], timeframe);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(BarflowError);
      expect((thrown as BarflowError).format()).toBe(`cannot resample 5m bars to ${timeframe}: the target must be a whole multiple [clock.resample]`);
    }
  });

  it('accepts KuCoin-style timeframes (30min, 1hour) as the same periods', () => {
    const base = Array.from({ length: 24 }, (_, k) => bar(k));
    expect(run(base, '30min')).toEqual(run(base, '30m'));
    expect(run(base, '1hour')).toEqual(run(base, '1h'));
  });
});

// The shared node contract (snapshot/restore, replace-last-bar, determinism) over real bars across a gap.
{
  const slice = barsOf(eth).slice(5800, 6100);
  const perturb = (row: Record<string, unknown>) => {
    const b = row['bar'] as Bar;
    return { bar: { ...b, high: b.high * 1.01, low: b.low * 0.99, close: b.close * 1.005, volume: b.volume * 2 } };
  };
  describeNodeContract(resample, paramsOf(resample, { timeframe: '1h' }), { bar: slice } as unknown as Columns, {
    perturb: perturb as unknown as (row: Record<string, number>) => Record<string, number>,
    checkWarmup: false,
  });
}

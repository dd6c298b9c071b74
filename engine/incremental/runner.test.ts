import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createRegistry, defineNode } from '../core/node-definition.ts';
import type { Bar } from '../core/trading.ts';
import { loadCandles, sliceCandles, type CandleSeries } from '../data/candles-csv.ts';
import { compilePipelineText } from '../pipeline/compile.ts';
import type { CompiledPipeline } from '../pipeline/plan.ts';
import { replayFeed } from '../../nodes/feeds/replay/replay.node.ts';
import { sma } from '../../nodes/indicators/sma/sma.node.ts';
import { resample } from '../../nodes/transforms/resample/resample.node.ts';
import { embeddedPath } from '../../nodes/_kit/reference-data.ts';
import { IncrementalRunner } from './runner.ts';

/* ---------- test-only node types ---------- */

/** counts its own steps; the state is what a snapshot must carry */
const counter = defineNode({
  type: 'test.count',
  version: 1,
  title: 'Count',
  category: 'transform',
  summary: 'number of times it ran',
  params: z.object({}),
  inputs: { source: { type: 'series' } },
  outputs: { count: { type: 'series' }, last: { type: 'series' } },
  warmup: () => 0,
  init: () => ({ n: 0, seen: [] as number[] }),
  step(s: { n: number; seen: number[] }, i: { source: number }, o: { count: number; last: number }) {
    s.n += 1;
    s.seen.push(i.source);
    if (s.seen.length > 4) s.seen.shift();
    o.count = s.n;
    o.last = s.seen.reduce((a, b) => a + b, 0);
    return true;
  },
});

/** many inputs on different clocks (not syncInputs) */
const merge = defineNode({
  type: 'test.merge',
  version: 1,
  title: 'Merge',
  category: 'scorer',
  summary: 'sum of xs',
  params: z.object({}),
  inputs: { xs: { type: 'series', many: true } },
  outputs: { value: { type: 'series' }, parts: { type: 'record' } },
  warmup: () => 0,
  init: () => ({}),
  step(_s: object, i: { xs: number[] }, o: { value: number; parts: number[] }) {
    o.value = i.xs.reduce((acc, x) => acc + x, 0);
    o.parts = [...i.xs];
    return true;
  },
});

const registry = createRegistry([replayFeed, resample, sma, counter, merge]);

const PIPELINE = [
  'pipeline: mtf',
  'nodes:',
  '  feed: { type: feed.replay, params: { file: eth.csv.gz } }',
  '  m15: { type: transform.resample, params: { timeframe: 15m }, in: { bar: feed.bar } }',
  '  h1: { type: transform.resample, params: { timeframe: 1h }, in: { bar: feed.bar } }',
  '  h4: { type: transform.resample, params: { timeframe: 4h }, in: { bar: m15.bar } }',
  '  fast: { type: indicator.sma, params: { period: 3 }, in: { source: m15.close } }',
  '  slow: { type: indicator.sma, params: { period: 5 }, in: { source: h1.close } }',
  '  trend: { type: indicator.sma, params: { period: 2 }, in: { source: h4.close } }',
  '  hourly: { type: test.count, in: { source: h1.close } }',
  '  mix: { type: test.merge, in: { xs: [feed.close, fast.value, slow.value, trend.value, hourly.last] } }',
].join('\n');

const plan: CompiledPipeline = compilePipelineText(PIPELINE, 'mtf.yaml', registry);
const eth = loadCandles(embeddedPath('eth-5m'));
/** 6000 bars spanning the 2020-12-21 (46 bars, window index 2930) and 2020-12-25 (12 bars, index 3890) gaps */
const window = sliceCandles(eth, 3000, 9000);

function barAt(series: CandleSeries, i: number): Bar {
  return {
    time: series.time[i]!,
    open: series.open[i]!,
    high: series.high[i]!,
    low: series.low[i]!,
    close: series.close[i]!,
    volume: series.volume[i]!,
    interval: series.intervalMs,
    complete: true,
  };
}

/** a still-forming version of bar i: same time, other prices and volume */
function formingVersion(series: CandleSeries, i: number, k = 1): Bar {
  const bar = barAt(series, i);
  const shift = 1 + 0.004 * k;
  return { ...bar, high: bar.high * shift, low: bar.low / shift, close: bar.close * (1 + 0.002 * k), volume: bar.volume * 0.5 * k };
}

/** NaN-, -0- and Infinity-safe text of a value */
const text = (value: unknown) =>
  JSON.stringify(value, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : typeof v === 'number' && Object.is(v, -0) ? '-0' : v));

/** Every output of every node after the last committed bar, plus who fired. */
function trace(runner: IncrementalRunner): string {
  return plan.nodes.map((n) => `${n.id}${runner.fired(n.index) ? '*' : ''}=${text(runner.outputsOf(n.index))}`).join(' ');
}

function runAll(series: CandleSeries, from = 0, to = series.length, runner = new IncrementalRunner(plan)): string[] {
  const traces: string[] = [];
  for (let i = from; i < to; i++) {
    runner.push(barAt(series, i), series.gapBefore[i]!);
    traces.push(trace(runner));
  }
  return traces;
}

function expectSameTraces(actual: string[], expected: string[], offset = 0): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (actual[i] !== expected[i]) {
      expect(actual[i], `bar ${i + offset}`).toBe(expected[i]);
    }
  }
}

const reference = runAll(window);

describe('IncrementalRunner', () => {
  it('runs a node only when one of its inputs fired: one step per closed hour on a 1h resample', () => {
    const runner = new IncrementalRunner(plan);
    const hourly = plan.byId.get('hourly')!.index;
    const h1 = plan.byId.get('h1')!.index;
    const stepsAt: number[] = [];
    for (let i = 0; i < eth.length; i++) {
      runner.push(barAt(eth, i), eth.gapBefore[i]!);
      if (runner.fired(hourly)) stepsAt.push(i);
      if (runner.fired(hourly) !== runner.fired(h1)) throw new Error(`hourly and h1 disagree at ${i}`);
    }
    // independently: each hour with data closes on its last 5m bar, or on the first bar after a gap
    const expected: number[] = [];
    for (let i = 0; i < eth.length; i++) {
      const hour = Math.floor(eth.time[i]! / 3_600_000);
      const nextHour = i + 1 < eth.length ? Math.floor(eth.time[i + 1]! / 3_600_000) : null;
      if (nextHour === hour) continue;
      if ((eth.time[i]! + 300_000) % 3_600_000 === 0) expected.push(i);
      else if (nextHour !== null) expected.push(i + 1);
    }
    expect(stepsAt).toEqual(expected);
    expect(runner.value('hourly', 'count')).toBe(expected.length);
    // the 2020-12-21 14:00 hour lost its closing bar to the gap and closes on the 18:00 bar instead
    expect(stepsAt).toContain(5930);
  });

  it('fires downstream nodes exactly when their inputs fired and holds their outputs in between', () => {
    const runner = new IncrementalRunner(plan);
    const idx = (id: string) => plan.byId.get(id)!.index;
    let held = NaN;
    for (let i = 0; i < window.length; i++) {
      runner.push(barAt(window, i), window.gapBefore[i]!);
      if (runner.fired(idx('trend')) !== runner.fired(idx('h4'))) throw new Error(`trend vs h4 at ${i}`);
      if (runner.fired(idx('fast')) !== runner.fired(idx('m15'))) throw new Error(`fast vs m15 at ${i}`);
      if (!runner.fired(idx('mix')) || !runner.fired(idx('feed'))) throw new Error(`mix or feed idle at ${i}`);
      const slow = runner.value('slow', 'value') as number;
      if (!runner.fired(idx('slow')) && !Object.is(slow, held)) throw new Error(`slow changed without firing at ${i}`);
      held = slow;
    }
    expect(runner.index).toBe(window.length - 1);
    expect(runner.time).toBe(window.time[window.length - 1]);
  });

  it('continues after snapshot() and restore() into a fresh runner exactly like an uninterrupted run', () => {
    for (const cut of [1, 2930, 3891]) {
      const first = new IncrementalRunner(plan);
      runAll(window, 0, cut, first);
      const snapshot = first.snapshot();
      const second = new IncrementalRunner(plan);
      second.restore(snapshot);
      expect(second.index).toBe(cut - 1);
      expectSameTraces(runAll(window, cut, window.length, second), reference.slice(cut), cut);
    }
  });

  it('rewinds to a snapshot taken earlier although the run went on and changed every state after it', () => {
    const runner = new IncrementalRunner(plan);
    runAll(window, 0, 3000, runner);
    const snapshot = runner.snapshot();
    runAll(window, 3000, 5000, runner);
    runner.restore(snapshot);
    expect([runner.index, runner.time]).toEqual([2999, window.time[2999]]);
    expectSameTraces(runAll(window, 3000, window.length, runner), reference.slice(3000), 3000);
    // and the snapshot itself was not consumed: restoring it again replays the same
    runner.restore(snapshot);
    expectSameTraces(runAll(window, 3000, 3500, runner), reference.slice(3000, 3500), 3000);
  });

  it('gives the add-only result when a forming bar is replaced by the final one (replaceLast)', () => {
    const runner = new IncrementalRunner(plan, { replaceable: true });
    const traces: string[] = [];
    for (let i = 0; i < window.length; i++) {
      const bar = barAt(window, i);
      if (i % 3 === 1 || window.gapBefore[i]! > 0) {
        runner.push(formingVersion(window, i, 1), window.gapBefore[i]!);
        if (i % 2 === 0) runner.replaceLast(formingVersion(window, i, 2), window.gapBefore[i]!);
        runner.replaceLast(bar, window.gapBefore[i]!);
      } else {
        runner.push(bar, window.gapBefore[i]!);
      }
      traces.push(trace(runner));
    }
    expectSameTraces(traces, reference);
  });

  it('really does see the forming bar before it is replaced', () => {
    const runner = new IncrementalRunner(plan, { replaceable: true });
    runAll(window, 0, 11, runner);
    runner.push(formingVersion(window, 11, 3));
    expect(runner.value('feed', 'close')).toBe(formingVersion(window, 11, 3).close);
    const forming = runner.value('m15', 'close');
    runner.replaceLast(barAt(window, 11));
    expect(runner.value('feed', 'close')).toBe(window.close[11]);
    expect(runner.value('m15', 'close')).not.toBe(forming);
    expect(trace(runner)).toBe(reference[11]);
  });

  it('refuses replaceLast on a runner not created replaceable', () => {
    const runner = new IncrementalRunner(plan);
    runner.push(barAt(window, 0));
    expect(() => runner.replaceLast(barAt(window, 0))).toThrow(/replaceable: true/);
  });

  it('computes on a truncated series exactly the prefix of the full run (no look-ahead), multi-timeframe', () => {
    // cuts mid-hour, on a period close, right before and right after a gap, mid-4h
    for (const cut of [1, 2, 12, 13, 2930, 2931, 3890, 3891, 4005, 5999]) {
      const truncated = sliceCandles(window, 0, cut);
      expect(truncated.length).toBe(cut);
      expectSameTraces(runAll(truncated), reference.slice(0, cut));
    }
  });

  it('lets an observer unsubscribe twice without removing another observer', () => {
    const runner = new IncrementalRunner(plan);
    const seen: string[] = [];
    const offA = runner.onBar(() => seen.push('a'));
    runner.onBar(() => seen.push('b'));
    runner.push(barAt(window, 0));
    offA();
    offA();
    runner.push(barAt(window, 1));
    expect(seen).toEqual(['a', 'b', 'b']);
  });
});

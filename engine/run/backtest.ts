import { dirname, isAbsolute, resolve } from 'node:path';
import { BarflowError } from '../core/errors.ts';
import type { Bar } from '../core/trading.ts';
import { formatTimeframe, parseTimeframe } from '../core/timeframe.ts';
import { loadCandles, type CandleSeries } from '../data/candles-csv.ts';
import { IncrementalRunner } from '../incremental/runner.ts';
import type { CompiledPipeline } from '../pipeline/plan.ts';
import type { Venue } from '../venues/venue.ts';
import { PaperVenue } from '../venues/paper/paper-venue.ts';
import { ValueRecorder } from './value-recorder.ts';
import { warmupBars } from './warmup.ts';

export interface BacktestOptions {
  /** first bar to trade (ms UTC); earlier data is used for warm-up only */
  from?: number;
  /** last bar (ms UTC, inclusive) */
  to?: number;
  /** node ids or node.port names whose outputs are recorded per bar */
  dump?: readonly string[];
  /** where dumped rows go as the run proceeds (else they are kept in memory) */
  dumpSink?: (text: string) => void;
  onProgress?: (done: number, total: number) => void;
}

export interface BacktestResult {
  plan: CompiledPipeline;
  data: CandleSeries;
  venue: Venue | null;
  /** index into `data` of the first bar fed (warm-up included) */
  startIndex: number;
  /** indices into `data` of the bars traded (after warm-up) */
  firstIndex: number;
  lastIndex: number;
  warmupBars: number;
  values: ValueRecorder | null;
}

/** Where relative paths in a pipeline's params point: the pipeline file's own folder. */
export function pipelineDir(plan: CompiledPipeline): string {
  return dirname(resolve(plan.file));
}

export function resolveFromPipeline(plan: CompiledPipeline, path: string): string {
  return isAbsolute(path) ? path : resolve(pipelineDir(plan), path);
}

/** The candle file a run reads: `--data` when given, else the feed's `file` param. */
export function loadPipelineData(plan: CompiledPipeline, dataOverride?: string): CandleSeries {
  const feed = plan.nodes[plan.candleSource]!;
  const params = feed.params as { file: string; timeframe?: string };
  const file = dataOverride !== undefined ? resolve(dataOverride) : resolveFromPipeline(plan, params.file);
  const series = loadCandles(file);
  checkClocks(plan, series);
  return series;
}

function checkClocks(plan: CompiledPipeline, series: CandleSeries): void {
  const feed = plan.nodes[plan.candleSource]!;
  const expected = (feed.params as { timeframe?: string }).timeframe;
  if (expected !== undefined) {
    const ms = parseTimeframe(expected);
    if (ms !== series.intervalMs) {
      throw new BarflowError('data.timeframe', `feed expects ${expected} bars but ${series.file} has ${formatTimeframe(series.intervalMs)} bars`, { node: feed.id, param: 'timeframe' });
    }
  }
  for (const node of plan.nodes) {
    if (!node.def.outputInterval) continue;
    const target = node.def.outputInterval(node.params);
    if (target < series.intervalMs || target % series.intervalMs !== 0) {
      throw new BarflowError('data.resample', `cannot resample the data's ${formatTimeframe(series.intervalMs)} bars to ${formatTimeframe(target)}`, { node: node.id, line: node.line, file: plan.file });
    }
  }
}

export function createVenue(plan: CompiledPipeline): Venue | null {
  if (plan.executor === null) return null;
  const node = plan.nodes[plan.executor]!;
  if (node.def.createVenue === undefined) return null;
  return node.def.createVenue(node.params, { resolvePath: (path) => resolveFromPipeline(plan, path) });
}

/** Replays the data through the pipeline bar by bar, with the venue the executor asks for. */
/** The bars a run feeds: [start, lastIndex], trading from firstIndex (earlier bars only warm up). */
export interface RunRange {
  start: number;
  firstIndex: number;
  lastIndex: number;
  warmupBars: number;
}

export function runRange(plan: CompiledPipeline, data: CandleSeries, from?: number, to?: number): RunRange {
  const firstIndex = from === undefined ? 0 : lowerBound(data.time, from);
  const lastIndex = to === undefined ? data.length - 1 : lowerBound(data.time, to + 1) - 1;
  if (firstIndex > lastIndex) {
    throw new BarflowError('run.range', 'the --from/--to range holds no bars of the data', { file: data.file });
  }
  const warm = warmupBars(plan, data.intervalMs);
  return { start: from === undefined ? firstIndex : Math.max(0, firstIndex - warm), firstIndex, lastIndex, warmupBars: warm };
}

/** Bar `i` of the data as a fresh object (nodes may keep the bar they were given). */
export function barOf(data: CandleSeries, i: number): Bar {
  return { time: data.time[i]!, open: data.open[i]!, high: data.high[i]!, low: data.low[i]!, close: data.close[i]!, volume: data.volume[i]!, interval: data.intervalMs, complete: true };
}

/** Replays the data through the pipeline bar by bar, with the venue the executor asks for. */
export function runBacktest(plan: CompiledPipeline, data: CandleSeries, options: BacktestOptions = {}): BacktestResult {
  const venue = createVenue(plan);
  const runner = new IncrementalRunner(plan, { venue });
  const { start, firstIndex, lastIndex, warmupBars: warm } = runRange(plan, data, options.from, options.to);
  const values = options.dump && options.dump.length > 0 ? new ValueRecorder(plan, options.dump, options.dumpSink ?? null) : null;
  const total = lastIndex - start + 1;
  const step = Math.max(1, Math.floor(total / 200));
  for (let i = start; i <= lastIndex; i++) {
    const trading = i >= firstIndex;
    runner.push(barOf(data, i), i === start ? 0 : data.gapBefore[i]!, trading);
    if (trading && values !== null) values.record(runner);
    if (options.onProgress && (i - start) % step === 0) options.onProgress(i - start + 1, total);
  }
  options.onProgress?.(total, total);
  values?.flush();
  return { plan, data, venue, startIndex: start, firstIndex, lastIndex, warmupBars: warm, values };
}

function lowerBound(times: Float64Array, value: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function paperVenueOf(result: BacktestResult): PaperVenue | null {
  return result.venue instanceof PaperVenue ? result.venue : null;
}

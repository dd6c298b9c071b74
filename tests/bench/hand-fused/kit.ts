import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import type { StepContext } from '../../../engine/core/node-definition.ts';
import type { AccountView, Bar, EntryOrder, Intent, OrderCommand, VenuePort } from '../../../engine/core/trading.ts';
import type { CandleSeries } from '../../../engine/data/candles-csv.ts';
import { IncrementalRunner } from '../../../engine/incremental/runner.ts';
import type { CompiledPipeline } from '../../../engine/pipeline/plan.ts';
import { barOf, createVenue } from '../../../engine/run/backtest.ts';
import { PaperVenue } from '../../../engine/venues/paper/paper-venue.ts';
import { paperExecutor } from '../../../nodes/executors/paper/paper.node.ts';

/**
 * What the hand-fused pipelines share. A hand-fused pipeline is the engine's work for one example
 * pipeline written out as one straight loop: the same node definitions' `init`/`step`, called
 * directly with hard-wired inputs, in a fixed order, with the same PaperVenue settled before the
 * nodes on every bar (as IncrementalRunner.push does). What it leaves out is only the graph
 * machinery: dirty checks, input gathering and the generic `defs[k].step` dispatch.
 *
 * With `venue: false` the same loop runs without the venue (no PaperVenue, no settleBar, a null
 * account: the "signal graph only" variant), which is what IncrementalRunner does with
 * `venue: null`: account.state then outputs NaN/null, and risk and executor do nothing.
 *
 * The scaffolding is here (the params every example shares, the venue and context, the start of
 * every bar, the initial outputs and inputs of the nodes every example has); each pipeline's file
 * keeps its own nodes' params and the whole loop body: every step and every input, written out.
 */

export interface FusedOptions {
  /** false: no venue at all (no settleBar, ctx.account and ctx.venue null); default true */
  venue?: boolean;
  /** called after every bar, once all nodes have stepped (index into the data) */
  onBar?: (index: number, outputs: Readonly<Record<string, object>>) => void;
}

export interface FusedResult {
  /** the venue, or null when run with `venue: false` */
  venue: PaperVenue | null;
  bars: number;
  /** node id (as in the pipeline file) → that node's output object, updated in place every bar */
  outputs: Readonly<Record<string, object>>;
}

/** A StepContext the loop updates in place, like the runner's MutableContext. */
export interface FusedContext extends StepContext {
  index: number;
  time: number;
  bar: Bar;
  gapBefore: number;
  account: AccountView | null;
  venue: VenuePort | null;
  trading: boolean;
}

export function fusedContext(venue: PaperVenue | null): FusedContext {
  const bar: Bar = { time: 0, open: NaN, high: NaN, low: NaN, close: NaN, volume: NaN, interval: 0, complete: true };
  return { index: -1, time: 0, bar, gapBefore: 0, account: null, venue, trading: true };
}

/** The replay feed's params in every example: the ETH 5m data, as the pipeline files name it. */
export const ETH_5M_FEED = { file: '../../data/ethusdt-binance-spot-5m.csv.gz', symbol: 'ETHUSDTM', timeframe: '5m' };

/**
 * The paper executor's params every example shares (the ETHUSDTM contract, fees, funding); each
 * pipeline file adds its own slippage (and order types).
 */
export const ETH_PAPER = {
  initialEquity: 10000,
  takerFee: 0.0006,
  makerFee: 0.0002,
  fundingRate: 0.0001,
  symbol: 'ETHUSDTM',
  multiplier: 0.01,
  lotSize: 1,
  tickSize: 0.01,
  maintenanceMargin: 0.005,
};

type PaperParams = Parameters<NonNullable<typeof paperExecutor.createVenue>>[0];

/** The loop's venue (null with `venue: false`) and the context it updates. */
export function fusedSetup(executor: PaperParams, pipelineFile: string, options: FusedOptions): { venue: PaperVenue | null; ctx: FusedContext } {
  const venue = options.venue === false ? null : createPaperVenue(executor, pipelineFile);
  return { venue, ctx: fusedContext(venue) };
}

/**
 * Starts bar `i` as IncrementalRunner.push does before any node steps: a fresh bar object (nodes
 * may keep it), the venue settled on it, and the context updated in place (the venue's account in it).
 */
export function openBar(ctx: FusedContext, venue: PaperVenue | null, data: CandleSeries, i: number): void {
  const bar = barOf(data, i);
  const gap = i === 0 ? 0 : data.gapBefore[i]!;
  ctx.index = i;
  ctx.time = bar.time;
  ctx.bar = bar;
  ctx.gapBefore = gap;
  ctx.trading = true;
  if (venue !== null) {
    venue.settleBar(bar, gap, true);
    ctx.account = venue.account();
  }
}

/** The initial outputs, as the runner's start (series NaN, bool false, text '', anything else null), of the nodes every example has. */
export const startOutputs = {
  feed: () => ({ time: NaN, open: NaN, high: NaN, low: NaN, close: NaN, volume: NaN, bar: null as Bar | null, gap: false }),
  resample: () => ({ time: NaN, open: NaN, high: NaN, low: NaN, close: NaN, volume: NaN, bar: null as Bar | null, complete: false }),
  entry: () => ({ intent: null as Intent | null, blockedBy: '' }),
  account: () => ({ account: null as AccountView | null, equity: NaN, cash: NaN, unrealizedPnl: NaN, drawdown: NaN, dailyDrawdown: NaN, positionSide: NaN, positionLots: NaN }),
  risk: () => ({ order: null as EntryOrder | null, reason: '' }),
  executor: () => ({ submitted: NaN, last: '' }),
};

/** The inputs, wired by hand each bar, of the nodes every example has (`none`: the feed's and the account's). */
export const startInputs = {
  none: () => ({}),
  resample: () => ({ bar: null as unknown as Bar }),
  risk: () => ({ intent: null as Intent | null, account: null as AccountView | null, price: NaN }),
  executor: () => ({ orders: [null] as (OrderCommand | null)[] }),
};

export function examplePipelineFile(name: string): string {
  return fileURLToPath(new URL(`../../../pipelines/examples/${name}.yaml`, import.meta.url));
}

/** The venue exactly as runBacktest gets it: the executor definition's createVenue. */
export function createPaperVenue(params: PaperParams, pipelineFile: string): PaperVenue {
  const dir = dirname(resolve(pipelineFile));
  const venue = paperExecutor.createVenue!(params, { resolvePath: (path) => (isAbsolute(path) ? path : resolve(dir, path)) });
  if (!(venue instanceof PaperVenue)) throw new Error('executor.paper did not create a PaperVenue');
  return venue;
}

/** The plain runBacktest loop (all bars, no warm-up range), for a runner built by hand. */
export function replay(runner: IncrementalRunner, data: CandleSeries): IncrementalRunner {
  const n = data.length;
  for (let i = 0; i < n; i++) runner.push(barOf(data, i), i === 0 ? 0 : data.gapBefore[i]!, true);
  return runner;
}

/** A runner as runBacktest builds it (`venue: true`: the executor's venue) or without a venue. */
export function engineRunner(plan: CompiledPipeline, options: { venue: boolean; interpret?: boolean }): IncrementalRunner {
  return new IncrementalRunner(plan, { venue: options.venue ? createVenue(plan) : null, interpret: options.interpret ?? false });
}

export interface OutputMismatch {
  bar: number;
  node: string;
  port: string;
  expected: unknown;
  actual: unknown;
  /** which comparison: 'hand-fused' (fused vs generated commit) or 'interpreted' (interpreted vs generated) */
  against: string;
}

export interface LockstepResult {
  bars: number;
  /** node ids the hand-fused code exposes (every node of the plan, or the check fails) */
  nodes: string[];
  /** output values compared (bars × ports) */
  compared: number;
  /** bars on which some node output a fresh entry intent / order (so the comparison is not vacuous) */
  freshIntents: number;
  freshOrders: number;
  mismatch: OutputMismatch | null;
}

/** Exact equality: Object.is for values (NaN equals NaN, 0 and -0 differ), structure for objects. */
export function sameValue(a: unknown, b: unknown): boolean {
  return Object.is(a, b) || (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null && isDeepStrictEqual(a, b));
}

/**
 * Runs the hand-fused loop and the engine (generated commit, and optionally the interpreted loop)
 * bar by bar on the same data, and compares every output port of every node the hand-fused code
 * exposes after every bar, exactly. Stops comparing at the first mismatch and returns it.
 */
export function lockstep(
  plan: CompiledPipeline,
  data: CandleSeries,
  run: (data: CandleSeries, options: FusedOptions) => FusedResult,
  options: { venue: boolean; interpreted?: boolean },
): LockstepResult {
  const engine = engineRunner(plan, { venue: options.venue });
  const interpreted = options.interpreted ? engineRunner(plan, { venue: options.venue, interpret: true }) : null;
  const interval = data.intervalMs;
  type Port = { node: string; port: string; fused: Readonly<Record<string, unknown>>; engine: Readonly<Record<string, unknown>>; interpreted: Readonly<Record<string, unknown>> | null };
  let ports: Port[] | null = null;
  let nodes: string[] = [];
  let compared = 0;
  let freshIntents = 0;
  let freshOrders = 0;
  let mismatch: OutputMismatch | null = null;
  const onBar = (i: number, outputs: Readonly<Record<string, object>>) => {
    const b = barOf(data, i);
    const gap = i === 0 ? 0 : data.gapBefore[i]!;
    engine.push(b, gap, true);
    interpreted?.push({ ...b }, gap, true);
    if (ports === null) {
      nodes = Object.keys(outputs);
      ports = nodes.flatMap((node) => {
        const planNode = plan.byId.get(node);
        if (planNode === undefined) throw new Error(`hand-fused ${plan.name} exposes "${node}", which is no node of the pipeline`);
        const engineOut = engine.outputsOf(planNode.index);
        const fusedOut = outputs[node] as Readonly<Record<string, unknown>>;
        const missing = Object.keys(engineOut).filter((port) => !(port in fusedOut));
        if (missing.length > 0) throw new Error(`hand-fused ${plan.name}: node "${node}" lacks output ports ${missing.join(', ')}`);
        return Object.keys(fusedOut).map((port) => ({ node, port, fused: fusedOut, engine: engineOut, interpreted: interpreted === null ? null : interpreted.outputsOf(planNode.index) }));
      });
    }
    if (mismatch !== null) return;
    const now = b.time + interval;
    let intent = false;
    let order = false;
    for (const p of ports) {
      const expected = p.engine[p.port];
      const actual = p.fused[p.port];
      compared++;
      if (!sameValue(actual, expected)) {
        mismatch = { bar: i, node: p.node, port: p.port, expected, actual, against: 'hand-fused' };
        return;
      }
      if (p.interpreted !== null && !sameValue(p.interpreted[p.port], expected)) {
        mismatch = { bar: i, node: p.node, port: p.port, expected, actual: p.interpreted[p.port], against: 'interpreted' };
        return;
      }
      // a fresh intent or entry order carries the close time of this bar
      const v = expected as { time?: unknown; kind?: unknown; side?: unknown } | null;
      if (typeof v === 'object' && v !== null && v.time === now && v.side !== undefined) {
        if (v.kind === 'entry') order = true;
        else intent = true;
      }
    }
    if (intent) freshIntents++;
    if (order) freshOrders++;
  };
  const fused = run(data, { venue: options.venue, onBar });
  return { bars: fused.bars, nodes, compared, freshIntents, freshOrders, mismatch };
}

import type { Bar } from '../core/trading.ts';
import type { CandleSeries } from '../data/candles-csv.ts';
import { IncrementalRunner } from '../incremental/runner.ts';
import { canonicalJson } from '../pipeline/normalise.ts';
import type { CompiledPipeline, PlanNode } from '../pipeline/plan.ts';
import { createVenue, runRange, type BacktestResult } from '../run/backtest.ts';
import { barTape, evaluateColumns, kernelColumns, kernelInputs, type BarTape, type NodeColumns } from './columns.ts';
import { GpuBackend, runAsync, runSync, type GpuOptions, type KernelCall, type KernelRows } from './gpu/backend.ts';
import { gpuColumnsDriver, hasGpuKernel } from './gpu/gpu-columns.ts';
import type { ParamSet } from './plan-variants.ts';
import { quietBars, type QuietBars } from './quiet-bars.ts';
import type { Venue } from '../venues/venue.ts';
import { tradingNodes, tradingPlan } from './trading-plan.ts';

export interface BatchSetResult {
  index: number;
  set: ParamSet;
  result: BacktestResult;
}

/**
 * How signal columns are computed:
 * - 'cpu' (default): each node's CPU batch kernel where it has one (and its inputs come from one
 *   firing sequence), its `step` looped otherwise: float64, exactly the per-bar runner's values;
 * - 'step': `step` looped everywhere (the reference the kernels are held to);
 * - 'gpu': as 'cpu', except that nodes with a GPU kernel are computed in float32 by gpu.js, many
 *   parameter sets per call, within GPU_TOLERANCE of the CPU columns (docs/concepts/batch.md). Not
 *   exact: a sweep ranks with it, then re-runs its winners with 'cpu' (recheckOnCpu).
 */
export type KernelChoice = 'cpu' | 'step' | 'gpu';

export interface BatchOptions {
  from?: number;
  to?: number;
  /** called after each parameter set finishes */
  onSet?: (done: number, total: number) => void;
  /** default 'cpu' */
  kernels?: KernelChoice;
  /** with kernels: 'gpu': the gpu.js backend (default mode 'webasm'), or one to reuse */
  gpu?: GpuOptions | GpuBackend;
  /** with kernels: 'gpu': filled in with what the GPU did */
  gpuReport?: GpuReport;
  /**
   * Signal columns kept across runs over the same series (a sweep worker keeps one, so that the
   * chunks it is handed share the signal work they have in common instead of each redoing it).
   * Columns computed with 'gpu', 'cpu' and 'step' are kept apart, so a CPU run never reads a
   * float32 column.
   */
  store?: SignalStore;
}

/**
 * Signal columns by key, kept between batch runs over one series, least recently used evicted past
 * `maxBytes` (sizes estimated: typed arrays by their bytes, other columns at 16 bytes a value). A
 * run stores the columns that every one of its sets uses (what its sets have in common is what the
 * next run most likely shares: in a sweep, the work of the params it does not vary); the others are
 * freed as usual once their last set is done.
 */
export class SignalStore {
  private readonly entries = new Map<string, { columns: NodeColumns; bytes: number }>();
  private series: CandleSeries | null = null;
  bytes = 0;
  hits = 0;
  stored = 0;

  constructor(readonly maxBytes = 256 * 2 ** 20) {}

  /** Binds the store to the series a run reads; another series empties it (keys do not name the series). */
  bind(series: CandleSeries): void {
    if (this.series === series) return;
    this.clear();
    this.series = series;
  }

  get(key: string): NodeColumns | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    // most recently used last
    this.entries.delete(key);
    this.entries.set(key, entry);
    this.hits++;
    return entry.columns;
  }

  put(key: string, columns: NodeColumns): void {
    if (this.entries.has(key)) return;
    const bytes = columnBytes(columns);
    if (bytes > this.maxBytes) return;
    this.entries.set(key, { columns, bytes });
    this.bytes += bytes;
    this.stored++;
    for (const [k, e] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(k);
      this.bytes -= e.bytes;
    }
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }
}

function columnBytes(c: NodeColumns): number {
  let bytes = c.fired.byteLength;
  for (const column of Object.values(c.outputs)) bytes += Array.isArray(column) ? column.length * 16 : column.byteLength;
  return bytes;
}

/** What the GPU path did in one batch run. */
export interface GpuReport {
  /** the gpu.js backend(s) that actually ran, e.g. 'webasm' */
  backend: string;
  /** GPU computations (one per node type × upstream columns × program), and the columns they filled */
  groups: number;
  columns: number;
  /** gpu.js kernel calls */
  calls: number;
  ms: number;
}

/**
 * The batch executor: many parameter sets of one pipeline over one series. Each node's signal work
 * is keyed by what determines it — its params, its inputs' keys and where the run starts — and
 * computed once per distinct key over the whole series (node-major, see columns.ts); the trading
 * part (account → gates → risk → executor → venue) then runs bar by bar per set, fed by those
 * columns. Same node code and the same venue as the per-bar runner, so fills are identical.
 * Columns are freed as soon as the last set that needs them is done.
 *
 * With kernels: 'gpu', before the per-set loop, the signal computations that are the same node type
 * over the same upstream columns with different params, and whose node has a GPU kernel, are done
 * in one gpu.js call per group and cached; everything else as with 'cpu'. Synchronous backends only
 * (webasm, gpu, cpu); mode 'webgpu' goes through runBatchAsync.
 */
export function* runBatch(plans: readonly CompiledPipeline[], sets: readonly ParamSet[], data: CandleSeries, options: BatchOptions = {}): Generator<BatchSetResult> {
  const session = new BatchSession(plans, data, options);
  if (options.kernels === 'gpu') session.precomputeGpu(false);
  yield* session.run(sets);
}

/** runBatch for every gpu.js mode, webgpu's Promise-returning kernels included. */
export async function* runBatchAsync(plans: readonly CompiledPipeline[], sets: readonly ParamSet[], data: CandleSeries, options: BatchOptions = {}): AsyncGenerator<BatchSetResult> {
  const session = new BatchSession(plans, data, options);
  if (options.kernels === 'gpu') await session.precomputeGpu(true);
  yield* session.run(sets);
}

/**
 * Re-runs chosen parameter sets (a GPU sweep's winners, say) on the exact float64 CPU path: the
 * results are those of the per-bar runner, to the cent. `indices` pick from `plans`/`sets`.
 */
export function recheckOnCpu(plans: readonly CompiledPipeline[], sets: readonly ParamSet[], data: CandleSeries, indices: readonly number[], options: Omit<BatchOptions, 'kernels' | 'gpu' | 'gpuReport'> = {}): BatchSetResult[] {
  const chosen = indices.map((i) => plans[i]!);
  const out: BatchSetResult[] = [];
  for (const r of runBatch(chosen, indices.map((i) => sets[i] ?? []), data, { ...options, kernels: 'cpu' })) out.push({ ...r, index: indices[r.index]! });
  return out;
}

/** What runSignalPart did. */
export interface SignalPartReport {
  sets: number;
  /** signal computations made on the CPU (kernel or looped step), distinct keys only */
  cpuComputations: number;
}

/**
 * The signal part of a batch run alone: every set's signal columns computed — and freed — exactly as
 * runBatch computes them (GPU groups first with kernels: 'gpu'), with no trading part. For
 * benchmarks that time the kernels, CPU or GPU, apart from the per-set trading loop. Every gpu.js
 * mode, webgpu included.
 */
export async function runSignalPart(plans: readonly CompiledPipeline[], data: CandleSeries, options: Omit<BatchOptions, 'onSet'> = {}): Promise<SignalPartReport> {
  const session = new BatchSession(plans, data, options);
  if (options.kernels === 'gpu') await session.precomputeGpu(true);
  session.signalsOnly();
  return { sets: plans.length, cpuComputations: session.computed };
}

interface Prepared {
  plan: CompiledPipeline;
  range: ReturnType<typeof runRange>;
  trading: Set<number>;
  /** signal node index → the key of its computation */
  signalKeys: Map<number, string>;
}

class BatchSession {
  private readonly prepared: Prepared[];
  private readonly uses = new Map<string, number>();
  private readonly cache = new Map<string, NodeColumns>();
  private readonly tapes = new Map<string, BarTape>();
  /** signal computations made on the CPU */
  computed = 0;
  /** with a store: the keys every set uses (the ones stored), and the namespace of this run's kernels */
  private readonly shared = new Set<string>();
  private readonly storeSpace: string;

  constructor(
    plans: readonly CompiledPipeline[],
    private readonly data: CandleSeries,
    private readonly options: BatchOptions,
  ) {
    this.prepared = plans.map((plan) => prepare(plan, data, options));
    for (const p of this.prepared) for (const key of p.signalKeys.values()) this.uses.set(key, (this.uses.get(key) ?? 0) + 1);
    this.storeSpace = `${options.kernels ?? 'cpu'}|`;
    if (options.store !== undefined) {
      options.store.bind(data);
      for (const [key, n] of this.uses) if (n === this.prepared.length) this.shared.add(key);
    }
  }

  /** A computation's columns: this run's, else the store's (then this run's too). */
  private cached(key: string): NodeColumns | undefined {
    let columns = this.cache.get(key);
    if (columns === undefined && this.options.store !== undefined) {
      columns = this.options.store.get(this.storeSpace + key);
      if (columns !== undefined) this.cache.set(key, columns);
    }
    return columns;
  }

  private keep(key: string, columns: NodeColumns): void {
    this.cache.set(key, columns);
    if (this.options.store !== undefined && this.shared.has(key)) this.options.store.put(this.storeSpace + key, columns);
  }

  *run(sets: readonly ParamSet[]): Generator<BatchSetResult> {
    const { prepared, cache } = this;
    for (let s = 0; s < prepared.length; s++) {
      const p = prepared[s]!;
      for (const node of p.plan.nodes) if (p.signalKeys.has(node.index)) this.columns(p, node.index);
      const result = runTrading(p, this.data, this.tape(p), (n) => cache.get(p.signalKeys.get(n)!)!);
      this.release(p);
      this.options.onSet?.(s + 1, prepared.length);
      yield { index: s, set: sets[s] ?? [], result };
    }
  }

  /** run() without the trading part (runSignalPart). */
  signalsOnly(): void {
    for (const p of this.prepared) {
      for (const node of p.plan.nodes) if (p.signalKeys.has(node.index)) this.columns(p, node.index);
      this.release(p);
    }
  }

  /** One use of each of the set's signal computations is done; columns no set needs any more are freed. */
  private release(p: Prepared): void {
    const { uses, cache } = this;
    for (const key of new Set(p.signalKeys.values())) {
      const left = uses.get(key)! - 1;
      uses.set(key, left);
      if (left === 0) cache.delete(key);
    }
  }

  /** The columns of a signal node of plan `p`, computed (with what they read) unless cached. */
  private columns(p: Prepared, index: number): NodeColumns {
    const key = p.signalKeys.get(index)!;
    let columns = this.cached(key);
    if (columns === undefined) {
      const node = p.plan.nodes[index]!;
      const upstream = new Map(node.upstream.map((u) => [u, this.columns(p, u)]));
      columns = evaluateColumns(node, node.params, upstream, this.tape(p), { kernels: this.options.kernels !== 'step' });
      this.computed++;
      this.keep(key, columns);
    }
    return columns;
  }

  private tape(p: Prepared): BarTape {
    const key = `${p.range.start}:${p.range.lastIndex}`;
    let tape = this.tapes.get(key);
    if (tape === undefined) {
      tape = barTape(this.data, p.range.start, p.range.lastIndex);
      this.tapes.set(key, tape);
    }
    return tape;
  }

  /**
   * Groups the signal computations that are one node type (with a GPU kernel) over the same
   * upstream columns, and computes each group in one GPU pass (distinct params only), in plan
   * order: a group's upstream columns are computed first (on the CPU, or by an earlier group), and
   * its float32 results are cached as float64 columns under every member's key. A group whose
   * upstreams turn out not to fire together is left to the CPU.
   */
  precomputeGpu(async: false): void;
  precomputeGpu(async: true): Promise<void>;
  precomputeGpu(async: boolean): void | Promise<void> {
    const started = performance.now();
    const given = this.options.gpu;
    const backend = given instanceof GpuBackend ? given : new GpuBackend(given);
    const callsBefore = backend.calls;
    const tally = { groups: 0, columns: 0 };
    const finish = (): void => {
      const r = this.options.gpuReport;
      if (r !== undefined) Object.assign(r, { backend: backend.backend, ...tally, calls: backend.calls - callsBefore, ms: performance.now() - started });
      if (!(given instanceof GpuBackend)) backend.destroy();
    };
    const pass = this.gpuPass(tally);
    if (async) return runAsync(backend, pass).then(finish);
    runSync(backend, pass);
    finish();
  }

  private *gpuPass(tally: { groups: number; columns: number }): Generator<KernelCall, void, KernelRows> {
    const groups = new Map<string, { p: Prepared; node: PlanNode; members: Map<string, { params: unknown; keys: string[] }> }>();
    for (const p of this.prepared) {
      for (const node of p.plan.nodes) {
        const key = p.signalKeys.get(node.index);
        if (key === undefined || !hasGpuKernel(node.def) || node.def.batch === undefined) continue;
        const wiring = node.inputs.map((i) => `${i.port}<${i.sources.map((s) => `${p.signalKeys.get(s.node)}.${s.port}`).join(',')}`).join(';');
        const groupKey = `${node.def.type}|${wiring}`;
        let group = groups.get(groupKey);
        if (group === undefined) {
          group = { p, node, members: new Map() };
          groups.set(groupKey, group);
        }
        const paramsKey = canonicalJson(node.params);
        const member = group.members.get(paramsKey) ?? { params: node.params, keys: [] };
        if (!member.keys.includes(key)) member.keys.push(key);
        group.members.set(paramsKey, member);
      }
    }
    // Map order is first-seen order: a group never reads a later group's node
    for (const { p, node, members } of groups.values()) {
      const todo = [...members.values()].filter((m) => m.keys.some((k) => this.cached(k) === undefined));
      if (todo.length === 0) continue;
      const upstream = new Map(node.upstream.map((u) => [u, this.columns(p, u)]));
      const gathered = kernelInputs(node, upstream);
      if (gathered === null) continue;
      const values = yield* gpuColumnsDriver(
        node.def,
        gathered.inputs,
        todo.map((m) => m.params),
      );
      const port = node.def.gpu!.output;
      todo.forEach((m, i) => {
        const columns = kernelColumns(node, gathered.events, { [port]: values[i]! });
        for (const key of m.keys) this.keep(key, columns);
      });
      tally.groups++;
      tally.columns += todo.length;
    }
  }
}

function prepare(plan: CompiledPipeline, data: CandleSeries, options: BatchOptions): Prepared {
  const range = runRange(plan, data, options.from, options.to);
  const trading = tradingNodes(plan);
  const keys = new Map<number, string>();
  for (const node of plan.nodes) {
    if (trading.has(node.index)) continue;
    const upstream = node.upstream.map((u) => keys.get(u)!).join(';');
    keys.set(node.index, `${node.id}:${node.def.type}@${range.start}:${range.lastIndex}|${canonicalJson(node.params)}|${upstream}`);
  }
  return { plan, range, trading, signalKeys: keys };
}

/**
 * One set's trading part, bar by bar. It is fed the tape's bars, made once per range and shared by
 * every set and the signal nodes (the per-bar runner makes a fresh object per bar: the values are
 * the same, and no node changes a bar it is given), so a set allocates no bars of its own.
 */
/**
 * The trading loop of a run that may skip quiet bars: the venue settles every bar, the graph runs on
 * bar k exactly when the per-bar loop's rule says so — k wakes it, or after settling k a node wants
 * every bar in the venue's state (quiet-bars.ts). Stretches with neither go to the venue in one
 * call (settleStretch), which hands back the bar on which its position state changed, if any.
 * Indices are bar numbers of the run (0 = its first bar).
 */
function runQuietly(runner: IncrementalRunner, venue: Venue, quiet: QuietBars, bars: readonly Bar[], gapOf: (k: number) => number, firstTraded: number): void {
  const { wake, everyBar } = quiet;
  const n = bars.length;
  const graph = (k: number) => runner.pushSettled(bars[k]!, gapOf(k), k >= firstTraded, k);
  let nextWake = -1;
  for (let k = 0; k < n; ) {
    if (wake[k] === 1 || (everyBar.length > 0 && needsEveryBar(everyBar, venue)) || venue.settleStretch === undefined) {
      venue.settleBar(bars[k]!, gapOf(k), k >= firstTraded);
      if (wake[k] === 1 || (everyBar.length > 0 && needsEveryBar(everyBar, venue))) graph(k);
      k++;
      continue;
    }
    if (nextWake < k) for (nextWake = k; nextWake < n && wake[nextWake] !== 1; ) nextWake++;
    const settled = venue.settleStretch(bars, k, nextWake - 1, firstTraded);
    if (everyBar.length > 0 && needsEveryBar(everyBar, venue)) graph(settled);
    k = settled + 1;
  }
}

function needsEveryBar(everyBar: QuietBars['everyBar'], venue: Venue): boolean {
  const state = { inPosition: venue.inPosition, pending: venue.pendingEntries > 0 };
  for (const node of everyBar) if (node.test(node.params, state)) return true;
  return false;
}

function runTrading(p: Prepared, data: CandleSeries, tape: BarTape, columnsOf: (n: number) => NodeColumns): BacktestResult {
  const { plan, range } = p;
  const venue = createVenue(plan);
  const runner = new IncrementalRunner(tradingPlan(plan, p.trading, columnsOf, range.start), { venue });
  const bars = tape.bars;
  const gaps = data.gapBefore;
  const start = range.start;
  const first = range.firstIndex;
  const quiet = venue === null ? null : quietBars(plan, p.trading, columnsOf, start, range.lastIndex);
  if (quiet === null || venue === null) {
    for (let i = start; i <= range.lastIndex; i++) runner.push(bars[i - start]!, i === start ? 0 : gaps[i]!, i >= first);
  } else {
    venue.reserve?.(range.lastIndex - start + 1);
    runQuietly(runner, venue, quiet, bars, (k) => (k === 0 ? 0 : gaps[start + k]!), first - start);
  }
  return { plan, data, venue, startIndex: range.start, firstIndex: range.firstIndex, lastIndex: range.lastIndex, warmupBars: range.warmupBars, values: null };
}

import { Worker } from 'node:worker_threads';
import { BarflowError, BarflowErrors } from '../core/errors.ts';
import type { CandleSeries } from '../data/candles-csv.ts';
import { recheckOnCpu, runBatch, runBatchAsync, SignalStore, type BatchOptions, type GpuReport } from '../batch/batch-run.ts';
import { GpuBackend, prepareNodeWebGpu, type GpuMode } from '../batch/gpu/backend.ts';
import { planVariant } from '../batch/plan-variants.ts';
import { compilePipelineText } from '../pipeline/compile.ts';
import type { ParamOverride } from '../pipeline/overrides.ts';
import type { CompiledPipeline } from '../pipeline/plan.ts';
import { loadPipelineData } from '../run/backtest.ts';
import { summarise } from '../run/reports.ts';
import { registry } from '../../nodes/index.ts';
import { metricsOf, type SweepMetrics } from './objective.ts';

/** How a sweep computes signal columns: 'cpu' (float64, exact) or 'gpu' (float32 gpu.js kernels, a ranking to re-check). */
export type SweepKernels = 'cpu' | 'gpu';

/** What every evaluator (in-process or a worker) builds its own copy of. */
export interface ContextInit {
  /** the pipeline file (for relative paths and messages) and its text, compiled identically everywhere */
  file: string;
  text: string;
  /** --data, resolved */
  data?: string;
  /** default 'cpu' */
  kernels?: SweepKernels;
  /** with kernels 'gpu': the gpu.js mode (default 'webasm') */
  gpuMode?: GpuMode;
  /** with gpuMode 'webgpu' in Node: Dawn's flags (BARFLOW_DAWN_FLAGS, e.g. backend=opengl) */
  dawnFlags?: string[];
}

export interface SweepContext {
  init: ContextInit;
  base: CompiledPipeline;
  data: CandleSeries;
  /** kernels 'gpu': this evaluator's gpu.js backend, made on first use and kept (its compiled kernels with it) */
  gpu?: GpuBackend;
  /** signal columns this evaluator keeps between its batches (the chunks it runs share them) */
  store: SignalStore;
}

/** What one evaluator (a worker thread, or the main thread) keeps of signal columns between its batches. */
export const SIGNAL_STORE_BYTES = 256 * 2 ** 20;

export function createContext(init: ContextInit, loaded?: { base: CompiledPipeline; data: CandleSeries }): SweepContext {
  const base = loaded?.base ?? compilePipelineText(init.text, init.file, registry);
  const data = loaded?.data ?? loadPipelineData(base, init.data);
  return { init, base, data, store: new SignalStore(SIGNAL_STORE_BYTES) };
}

/** A context's gpu.js backend (kernels 'gpu'), made on first use; mode webgpu first gives Node a navigator.gpu. */
export async function gpuBackendOf(ctx: SweepContext): Promise<GpuBackend> {
  if (ctx.gpu === undefined) {
    const mode = ctx.init.gpuMode ?? 'webasm';
    if (mode === 'webgpu' && !(await prepareNodeWebGpu(ctx.init.dawnFlags ?? []))) {
      throw new BarflowError('sweep.gpu', "--gpu-mode webgpu: no WebGPU adapter answered (in Node it is Dawn, from the webgpu package; BARFLOW_DAWN_FLAGS passes it flags); use --gpu-mode webasm", { field: '--gpu-mode' }, mode);
    }
    ctx.gpu = new GpuBackend({ mode });
  }
  return ctx.gpu;
}

/** What the GPU path did over a whole evaluation (summed over batches and workers). */
export interface GpuTally {
  mode: GpuMode;
  /** the gpu.js backend(s) that actually ran, e.g. 'webasm' ('none' when no node had a GPU kernel) */
  backend: string;
  groups: number;
  columns: number;
  calls: number;
  /** time in the GPU passes, summed over workers */
  ms: number;
}

export function emptyGpuTally(mode: GpuMode): GpuTally {
  return { mode, backend: 'none', groups: 0, columns: 0, calls: 0, ms: 0 };
}

export function addGpuReport(tally: GpuTally, report: GpuReport): void {
  const ran = new Set([...tally.backend.split('+'), ...report.backend.split('+')].filter((b) => b !== 'none' && b !== ''));
  tally.backend = ran.size === 0 ? 'none' : [...ran].sort().join('+');
  tally.groups += report.groups;
  tally.columns += report.columns;
  tally.calls += report.calls;
  tally.ms += report.ms;
}

/** One parameter set to run: its overrides and the key of its signal params (sets sharing it share signal work). */
export interface EvalJob {
  overrides: ParamOverride[];
  group: string;
}

/** The traded bars: `from`/`to` as for `barflow run` (earlier bars are fed as warm-up). */
export interface EvalRange {
  from?: number;
  to?: number;
}

function plansOf(ctx: SweepContext, jobs: readonly EvalJob[]): { sets: ParamOverride[][]; plans: CompiledPipeline[] } {
  const recompile = () => ({ text: ctx.init.text, registry });
  const sets = jobs.map((j) => j.overrides);
  return { sets, plans: sets.map((s) => planVariant(ctx.base, s, recompile)) };
}

/**
 * Runs `jobs` as one batch (runBatch) on the CPU kernels and yields each set's metrics with its
 * position in `jobs`. (A context with kernels 'gpu' goes through evaluateJobsAsync.)
 */
export function* evaluateJobs(ctx: SweepContext, jobs: readonly EvalJob[], range: EvalRange): Generator<{ position: number; metrics: SweepMetrics }> {
  if (ctx.init.kernels === 'gpu') throw new Error('evaluateJobs: a context with kernels gpu needs evaluateJobsAsync');
  const { sets, plans } = plansOf(ctx, jobs);
  for (const r of runBatch(plans, sets, ctx.data, { from: range.from, to: range.to, store: ctx.store })) {
    yield { position: r.index, metrics: metricsOf(summarise(r.result)) };
  }
}

/**
 * evaluateJobs for every context: with kernels 'gpu', the batch's signal nodes that have a GPU
 * kernel are computed in float32 by the context's gpu.js backend (runBatchAsync, so every mode,
 * webgpu included), and `onGpu` receives what the GPU did. Those metrics rank; they are not exact.
 */
export async function* evaluateJobsAsync(ctx: SweepContext, jobs: readonly EvalJob[], range: EvalRange, onGpu?: (report: GpuReport) => void): AsyncGenerator<{ position: number; metrics: SweepMetrics }> {
  if (ctx.init.kernels !== 'gpu') {
    yield* evaluateJobs(ctx, jobs, range);
    return;
  }
  const { sets, plans } = plansOf(ctx, jobs);
  const gpuReport = {} as GpuReport;
  const options: BatchOptions = { from: range.from, to: range.to, kernels: 'gpu', gpu: await gpuBackendOf(ctx), gpuReport, store: ctx.store };
  let reported = false;
  for await (const r of runBatchAsync(plans, sets, ctx.data, options)) {
    // the GPU pass runs before the first set: report it once
    if (!reported) {
      reported = true;
      onGpu?.(gpuReport);
    }
    yield { position: r.index, metrics: metricsOf(summarise(r.result)) };
  }
}

/**
 * The exact metrics of `jobs` on the float64 CPU path (recheckOnCpu: what `barflow run --set` gives
 * each set), in the order of `jobs`: how a GPU sweep re-checks its winners.
 */
export function recheckJobs(ctx: SweepContext, jobs: readonly EvalJob[], range: EvalRange, onSet?: () => void): SweepMetrics[] {
  const { sets, plans } = plansOf(ctx, jobs);
  const out = new Array<SweepMetrics>(jobs.length);
  const all = jobs.map((_, i) => i);
  for (const r of recheckOnCpu(plans, sets, ctx.data, all, { from: range.from, to: range.to, store: ctx.store })) {
    out[r.index] = metricsOf(summarise(r.result));
    onSet?.();
  }
  return out;
}

/** Evaluates parameter sets; the metrics come back in the order of `jobs`, whoever ran them. */
export interface Evaluator {
  readonly workers: number;
  /** kernels 'gpu': what the GPU path has done so far (null on the CPU path; absent: not reported) */
  readonly gpu?: GpuTally | null;
  evaluate(jobs: readonly EvalJob[], range: EvalRange, onSet?: () => void): Promise<SweepMetrics[]>;
  close(): Promise<void>;
}

/**
 * Orders jobs so that sets with the same signal params are adjacent (they then share signal work in
 * one runBatch), and cuts them into chunks of about `target` sets, preferably at group boundaries.
 * Returns positions into `jobs`.
 */
export function chunkJobs(jobs: readonly EvalJob[], target: number): number[][] {
  const order = jobs.map((_, i) => i).sort((a, b) => (jobs[a]!.group < jobs[b]!.group ? -1 : jobs[a]!.group > jobs[b]!.group ? 1 : a - b));
  const chunks: number[][] = [];
  let current: number[] = [];
  for (const i of order) {
    const boundary = current.length > 0 && jobs[current[current.length - 1]!]!.group !== jobs[i]!.group;
    if ((current.length >= target && boundary) || current.length >= 2 * target) {
      chunks.push(current);
      current = [];
    }
    current.push(i);
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** `--workers 1`: everything in this thread. */
export class InProcessEvaluator implements Evaluator {
  readonly workers = 1;
  readonly gpu: GpuTally | null;
  constructor(private readonly ctx: SweepContext) {
    this.gpu = ctx.init.kernels === 'gpu' ? emptyGpuTally(ctx.init.gpuMode ?? 'webasm') : null;
  }

  async evaluate(jobs: readonly EvalJob[], range: EvalRange, onSet?: () => void): Promise<SweepMetrics[]> {
    const out = new Array<SweepMetrics>(jobs.length);
    for (const chunk of chunkJobs(jobs, Math.max(1, jobs.length))) {
      const part = chunk.map((i) => jobs[i]!);
      if (this.gpu === null) {
        for (const { position, metrics } of evaluateJobs(this.ctx, part, range)) {
          out[chunk[position]!] = metrics;
          onSet?.();
        }
        continue;
      }
      const tally = this.gpu;
      for await (const { position, metrics } of evaluateJobsAsync(this.ctx, part, range, (r) => addGpuReport(tally, r))) {
        out[chunk[position]!] = metrics;
        onSet?.();
      }
    }
    return out;
  }

  async close(): Promise<void> {
    this.ctx.gpu?.destroy();
    this.ctx.gpu = undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// worker threads

export type WorkerRequest = { type: 'run'; chunk: number; jobs: EvalJob[]; range: EvalRange } | { type: 'close' };
export type WorkerReply =
  | { type: 'row'; chunk: number; position: number; metrics: SweepMetrics }
  | { type: 'done'; chunk: number; gpu?: GpuReport }
  | { type: 'error'; chunk: number; errors: SerialisedError[] };

export interface SerialisedError {
  code: string | null;
  message: string;
  location?: BarflowError['location'];
  value?: unknown;
  stack?: string;
}

export function serialiseError(error: unknown): SerialisedError[] {
  if (error instanceof BarflowErrors) return error.errors.flatMap(serialiseError);
  if (error instanceof BarflowError) return [{ code: error.code, message: error.message, location: error.location, value: safeValue(error.value) }];
  const e = error instanceof Error ? error : new Error(String(error));
  return [{ code: null, message: e.message, stack: e.stack }];
}

function safeValue(value: unknown): unknown {
  try {
    return structuredClone(value);
  } catch {
    return String(value);
  }
}

export function deserialiseError(errors: SerialisedError[]): Error {
  const barflow = errors.filter((e) => e.code !== null).map((e) => new BarflowError(e.code!, e.message, e.location ?? {}, e.value));
  if (barflow.length === errors.length) return barflow.length === 1 ? barflow[0]! : new BarflowErrors(barflow);
  const other = errors.find((e) => e.code === null)!;
  const error = new Error(`sweep worker failed: ${other.message}`);
  if (other.stack) error.stack = `${error.message}\n(worker) ${other.stack}`;
  return error;
}

/**
 * Node 20 does not apply `execArgv: ['--import', 'tsx']` to a worker's entry module, so each
 * worker starts from this tiny script, which registers tsx's loader in the worker and then imports
 * the TypeScript worker module (both by absolute URL, so any working directory will do).
 */
function bootstrap(): string {
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./sweep-worker.ts', import.meta.url).href;
  return `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
}

interface Pending {
  jobs: readonly EvalJob[];
  out: SweepMetrics[];
  chunks: number[][];
  next: number;
  left: number;
  onSet?: () => void;
  range: EvalRange;
  resolve: (metrics: SweepMetrics[]) => void;
  reject: (error: Error) => void;
}

/**
 * `--workers N`: N worker threads, each compiling the pipeline and loading the data once, then
 * running the chunks it is handed (runBatch per chunk) and posting back per-set metrics — never
 * ledgers. Chunks are handed out as workers become free, so all cores stay busy; each set's
 * metrics depend only on the set, so the results do not depend on N or on who ran what.
 */
/**
 * A sweep worker's young generation (V8 sizes it at three semi-spaces: 96 MB is 32 MB semi-spaces,
 * against 16 MB by default). A worker keeps a large, long-lived heap (the signal columns of its
 * store) and makes each set's results, which live just long enough to be promoted with the default
 * size; every promotion then brings a major GC marking the whole store. Measured on the canonical
 * sweep (2026-11-21): CPU per set 74 → 48 ms in steady state. The incremental executor, whose heap
 * holds no store, measured no different with the larger size, so only sweep workers get it.
 */
export const SWEEP_YOUNG_GENERATION_MB = 96;

export class WorkerPoolEvaluator implements Evaluator {
  readonly workers: number;
  readonly gpu: GpuTally | null;
  private readonly pool: Worker[] = [];
  private readonly busy = new Map<Worker, number>();
  private readonly chunkOwner = new Map<number, number[]>();
  private nextChunk = 0;
  private pending: Pending | null = null;
  private failure: Error | null = null;
  private closed = false;

  constructor(init: ContextInit, workers: number) {
    this.workers = workers;
    this.gpu = init.kernels === 'gpu' ? emptyGpuTally(init.gpuMode ?? 'webasm') : null;
    const code = bootstrap();
    for (let i = 0; i < workers; i++) {
      const worker = new Worker(code, { eval: true, workerData: init, execArgv: [], resourceLimits: { maxYoungGenerationSizeMb: SWEEP_YOUNG_GENERATION_MB } });
      worker.on('message', (reply: WorkerReply) => this.onReply(worker, reply));
      worker.on('error', (error) => this.fail(error instanceof Error ? error : new Error(String(error))));
      worker.on('exit', (code) => {
        if (!this.closed && code !== 0) this.fail(new Error(`a sweep worker exited with code ${code}`));
      });
      this.pool.push(worker);
    }
  }

  evaluate(jobs: readonly EvalJob[], range: EvalRange, onSet?: () => void): Promise<SweepMetrics[]> {
    if (this.failure !== null) return Promise.reject(this.failure);
    if (this.pending !== null) return Promise.reject(new Error('WorkerPoolEvaluator: one evaluation at a time'));
    if (jobs.length === 0) return Promise.resolve([]);
    const target = Math.max(1, Math.ceil(jobs.length / (this.workers * 4)));
    return new Promise((resolve, reject) => {
      this.pending = { jobs, out: new Array(jobs.length), chunks: chunkJobs(jobs, target), next: 0, left: jobs.length, onSet, range, resolve, reject };
      for (const worker of this.pool) this.dispatch(worker);
    });
  }

  private dispatch(worker: Worker): void {
    const p = this.pending;
    if (p === null || this.busy.has(worker) || p.next >= p.chunks.length) return;
    const positions = p.chunks[p.next++]!;
    const chunk = this.nextChunk++;
    this.busy.set(worker, chunk);
    this.chunkOwner.set(chunk, positions);
    const request: WorkerRequest = { type: 'run', chunk, jobs: positions.map((i) => p.jobs[i]!), range: p.range };
    worker.postMessage(request);
  }

  private onReply(worker: Worker, reply: WorkerReply): void {
    const p = this.pending;
    if (reply.type === 'error') return this.fail(deserialiseError(reply.errors));
    if (p === null) return;
    const positions = this.chunkOwner.get(reply.chunk)!;
    if (reply.type === 'row') {
      p.out[positions[reply.position]!] = reply.metrics;
      p.left--;
      p.onSet?.();
      return;
    }
    if (reply.gpu !== undefined && this.gpu !== null) addGpuReport(this.gpu, reply.gpu);
    this.busy.delete(worker);
    this.chunkOwner.delete(reply.chunk);
    if (p.left === 0 && this.busy.size === 0) {
      this.pending = null;
      p.resolve(p.out);
      return;
    }
    this.dispatch(worker);
  }

  private fail(error: Error): void {
    if (this.failure !== null || this.closed) return;
    this.failure = error;
    const p = this.pending;
    this.pending = null;
    p?.reject(error);
    void this.close();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.gpu !== null && this.failure === null) {
      // GPU workers first release their gpu.js backend and end on their own (Dawn, webgpu's
      // native backend, crashed the process when several threads holding it were terminated)
      await Promise.all(
        this.pool.map(
          (w) =>
            new Promise<void>((resolve) => {
              const timer = setTimeout(resolve, 5000);
              w.once('exit', () => {
                clearTimeout(timer);
                resolve();
              });
              w.postMessage({ type: 'close' } satisfies WorkerRequest);
            }),
        ),
      );
    }
    await Promise.all(this.pool.map((w) => w.terminate()));
  }
}

import { Worker } from 'node:worker_threads';
import { BarflowError, BarflowErrors } from '../core/errors.ts';
import type { CandleSeries } from '../data/candles-csv.ts';
import { runBatch } from '../batch/batch-run.ts';
import { planVariant } from '../batch/plan-variants.ts';
import { compilePipelineText } from '../pipeline/compile.ts';
import type { ParamOverride } from '../pipeline/overrides.ts';
import type { CompiledPipeline } from '../pipeline/plan.ts';
import { loadPipelineData } from '../run/backtest.ts';
import { summarise } from '../run/reports.ts';
import { registry } from '../../nodes/index.ts';
import { metricsOf, type SweepMetrics } from './objective.ts';

/** What every evaluator (in-process or a worker) builds its own copy of. */
export interface ContextInit {
  /** the pipeline file (for relative paths and messages) and its text, compiled identically everywhere */
  file: string;
  text: string;
  /** --data, resolved */
  data?: string;
}

export interface SweepContext {
  init: ContextInit;
  base: CompiledPipeline;
  data: CandleSeries;
}

export function createContext(init: ContextInit, loaded?: { base: CompiledPipeline; data: CandleSeries }): SweepContext {
  const base = loaded?.base ?? compilePipelineText(init.text, init.file, registry);
  const data = loaded?.data ?? loadPipelineData(base, init.data);
  return { init, base, data };
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

/** Runs `jobs` as one batch (runBatch) and yields each set's metrics with its position in `jobs`. */
export function* evaluateJobs(ctx: SweepContext, jobs: readonly EvalJob[], range: EvalRange): Generator<{ position: number; metrics: SweepMetrics }> {
  const recompile = () => ({ text: ctx.init.text, registry });
  const sets = jobs.map((j) => j.overrides);
  const plans = sets.map((s) => planVariant(ctx.base, s, recompile));
  for (const r of runBatch(plans, sets, ctx.data, { from: range.from, to: range.to })) {
    yield { position: r.index, metrics: metricsOf(summarise(r.result)) };
  }
}

/** Evaluates parameter sets; the metrics come back in the order of `jobs`, whoever ran them. */
export interface Evaluator {
  readonly workers: number;
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
  constructor(private readonly ctx: SweepContext) {}

  async evaluate(jobs: readonly EvalJob[], range: EvalRange, onSet?: () => void): Promise<SweepMetrics[]> {
    const out = new Array<SweepMetrics>(jobs.length);
    for (const chunk of chunkJobs(jobs, Math.max(1, jobs.length))) {
      const part = chunk.map((i) => jobs[i]!);
      for (const { position, metrics } of evaluateJobs(this.ctx, part, range)) {
        out[chunk[position]!] = metrics;
        onSet?.();
      }
    }
    return out;
  }

  async close(): Promise<void> {}
}

// ---------------------------------------------------------------------------------------------
// worker threads

export type WorkerRequest = { type: 'run'; chunk: number; jobs: EvalJob[]; range: EvalRange };
export type WorkerReply =
  | { type: 'row'; chunk: number; position: number; metrics: SweepMetrics }
  | { type: 'done'; chunk: number }
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
export class WorkerPoolEvaluator implements Evaluator {
  readonly workers: number;
  private readonly pool: Worker[] = [];
  private readonly busy = new Map<Worker, number>();
  private readonly chunkOwner = new Map<number, number[]>();
  private nextChunk = 0;
  private pending: Pending | null = null;
  private failure: Error | null = null;
  private closed = false;

  constructor(init: ContextInit, workers: number) {
    this.workers = workers;
    const code = bootstrap();
    for (let i = 0; i < workers; i++) {
      const worker = new Worker(code, { eval: true, workerData: init, execArgv: [] });
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
    await Promise.all(this.pool.map((w) => w.terminate()));
  }
}

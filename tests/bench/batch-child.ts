import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { runSignalPart, type GpuReport } from '../../engine/batch/batch-run.ts';
import { barTape, evaluateColumns, type NodeColumns } from '../../engine/batch/columns.ts';
import { GpuBackend, prepareNodeWebGpu, type GpuMode } from '../../engine/batch/gpu/backend.ts';
import { gpuColumnsAsync } from '../../engine/batch/gpu/gpu-columns.ts';
import { planVariant } from '../../engine/batch/plan-variants.ts';
import { compilePipelineText } from '../../engine/pipeline/compile.ts';
import { canonicalJson } from '../../engine/pipeline/normalise.ts';
import type { CompiledPipeline } from '../../engine/pipeline/plan.ts';
import { loadPipelineData, runBacktest } from '../../engine/run/backtest.ts';
import { summarise } from '../../engine/run/reports.ts';
import { createContext, InProcessEvaluator, recheckJobs, WorkerPoolEvaluator, type ContextInit, type EvalJob, type Evaluator, type GpuTally, type SweepKernels } from '../../engine/sweep/evaluate.ts';
import { metricsOf, rankRows, type SweepMetrics } from '../../engine/sweep/objective.ts';
import { withRechecked } from '../../engine/sweep/sweep.ts';
import { registry } from '../../nodes/index.ts';
import { emit } from './common.ts';

/**
 * The batch part's measurements, each in its own process (spawned by batch-bench.ts):
 *
 *   batch-child.ts sweep <pipeline> <data> <jobs.json> <workers> <cpu|gpu> <gpu-mode> <recheck>
 *     the sweep's evaluation path (engine/sweep/evaluate.ts: WorkerPoolEvaluator — worker threads,
 *     each running runBatch over the chunks it is handed — or InProcessEvaluator for 1 worker) over
 *     every set of jobs.json, as `barflow sweep` runs it. The pool is started and warmed first
 *     (compile, data, JIT: two short sets per worker on the first 3000 bars, untimed); then one
 *     timed evaluation of all the sets, wall clock and the process's CPU time (all threads). With
 *     gpu: the sets ranked by return (the sweep's default objective) and the top <recheck> re-run
 *     on the exact CPU path (recheckJobs, as runSweep does), timed apart.
 *   batch-child.ts incremental <pipeline> <data> <jobs.json> <i,j,...>
 *     the incremental executor: runBacktest(planVariant(...)) for each chosen set, one after the
 *     other in this one thread, after one untimed warm-up run; per-set wall and CPU time.
 *   batch-child.ts signal <pipeline> <data> <jobs.json> <gpu-mode> <reps>
 *     the signal part alone (runSignalPart: every set's signal columns, no trading), kernels cpu
 *     against gpu, interleaved, medians; and the GPU-able share of it — the distinct EMA columns —
 *     by the CPU batch kernel per set against one gpu.js computation.
 *
 * Each prints one JSON line. Net PnL is reported per set as text, to compare runs exactly.
 */

export interface SweepChildResult {
  mode: 'sweep';
  workers: number;
  kernels: SweepKernels;
  sets: number;
  bars: number;
  warmupMs: number;
  ms: number;
  cpuMs: number;
  /** per job, in jobs.json order */
  netPnl: string[];
  returnPct: number[];
  gpu: GpuTally | null;
  /** kernels gpu: the top rows by the float32 ranking, re-checked on the CPU path */
  recheck: { indices: number[]; netPnl: string[]; ms: number; cpuMs: number; order: number[] } | null;
}

export interface IncrementalChildResult {
  mode: 'incremental';
  indices: number[];
  bars: number;
  warmupMs: number;
  ms: number[];
  cpuMs: number[];
  netPnl: string[];
}

export interface SignalChildResult {
  mode: 'signal';
  sets: number;
  reps: number;
  cpuMs: number[];
  gpuMs: number[];
  gpuReport: GpuReport;
  cpuComputations: number;
  gpuCpuComputations: number;
  /** the distinct EMA columns of the sweep, CPU kernel per column against one gpu.js computation */
  ema: { columns: number; rows: number; cpuMs: number[]; gpuMs: number[]; gpuFirstMs: number; backend: string; sink: number };
}

const [mode, pipelineArg, dataArg, jobsArg, ...rest] = process.argv.slice(2);
if (mode === undefined || pipelineArg === undefined || dataArg === undefined || jobsArg === undefined) {
  process.stderr.write('usage: batch-child.ts sweep|incremental|signal <pipeline> <data> <jobs.json> ...\n');
  process.exit(2);
}
const file = resolve(pipelineArg);
const dataFile = resolve(dataArg);
const text = readFileSync(file, 'utf8');
const jobs = JSON.parse(readFileSync(jobsArg, 'utf8')) as EvalJob[];

const cpuNow = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

function compile(): { base: CompiledPipeline; plans: (indices: readonly number[]) => CompiledPipeline[] } {
  const base = compilePipelineText(text, file, registry);
  return { base, plans: (indices) => indices.map((i) => planVariant(base, jobs[i]!.overrides, () => ({ text, registry }))) };
}

async function sweep(): Promise<SweepChildResult> {
  const kernels = (rest[1] ?? 'cpu') as SweepKernels;
  const gpuMode = (rest[2] ?? 'webasm') as GpuMode;
  // as runSweep: webgpu (Dawn) runs in the main thread only
  const workers = kernels === 'gpu' && gpuMode === 'webgpu' ? 1 : Number(rest[0] ?? 2);
  const recheckRows = Number(rest[3] ?? 10);
  const init: ContextInit = { file, text, data: dataFile, ...(kernels === 'gpu' ? { kernels, gpuMode, dawnFlags: (process.env.BARFLOW_DAWN_FLAGS ?? '').split(',').filter((f) => f !== '') } : {}) };
  const ctx = createContext(init);
  const evaluator: Evaluator = workers === 1 ? new InProcessEvaluator(ctx) : new WorkerPoolEvaluator(init, workers);
  try {
    let t = performance.now();
    const warm = jobs.slice(0, 2 * workers);
    await evaluator.evaluate(warm, { to: ctx.data.time[Math.min(2999, ctx.data.length - 1)] });
    const warmupMs = performance.now() - t;
    // the warm-up's GPU work is not the sweep's
    const gpuBefore = evaluator.gpu ? { ...evaluator.gpu } : null;
    const c0 = cpuNow();
    t = performance.now();
    const metrics = await evaluator.evaluate(jobs, {});
    const ms = performance.now() - t;
    const cpuMs = cpuNow() - c0;
    let gpu: GpuTally | null = null;
    if (evaluator.gpu && gpuBefore) {
      const g = evaluator.gpu;
      gpu = { mode: g.mode, backend: g.backend, groups: g.groups - gpuBefore.groups, columns: g.columns - gpuBefore.columns, calls: g.calls - gpuBefore.calls, ms: g.ms - gpuBefore.ms };
    }
    let recheck: SweepChildResult['recheck'] = null;
    if (kernels === 'gpu') {
      // rank as runSweep does (objective netReturn), then re-check the top rows on the CPU path
      const objective = { name: 'netReturn' as const, maxDrawdown: 20 };
      const ranked = rankRows(metrics.map((m, index) => ({ index, point: [index], metrics: m, objective: m.returnPct })));
      const top = ranked.slice(0, recheckRows);
      const c1 = cpuNow();
      const t1 = performance.now();
      const exact: SweepMetrics[] = recheckJobs(ctx, top.map((r) => jobs[r.index]!), {});
      const rms = performance.now() - t1;
      const rcpu = cpuNow() - c1;
      const rows = withRechecked(ranked, exact, objective);
      recheck = { indices: top.map((r) => r.index), netPnl: exact.map((m) => m.netPnl), ms: rms, cpuMs: rcpu, order: rows.slice(0, top.length).map((r) => r.index) };
    }
    return { mode: 'sweep', workers: evaluator.workers, kernels, sets: jobs.length, bars: ctx.data.length, warmupMs, ms, cpuMs, netPnl: metrics.map((m) => m.netPnl), returnPct: metrics.map((m) => m.returnPct), gpu, recheck };
  } finally {
    await evaluator.close();
  }
}

function incremental(): IncrementalChildResult {
  const indices = (rest[0] ?? '0').split(',').map(Number);
  const { base, plans } = compile();
  const data = loadPipelineData(base, dataFile);
  const chosen = plans(indices);
  // one untimed run first (JIT, the venue's code), of a set outside the sample when there is one
  const warmIndex = jobs.findIndex((_, i) => !indices.includes(i));
  let t = performance.now();
  runBacktest(plans([warmIndex >= 0 ? warmIndex : indices[0]!])[0]!, data);
  const warmupMs = performance.now() - t;
  const ms: number[] = [];
  const cpuMs: number[] = [];
  const netPnl: string[] = [];
  // no forced gc() between runs: it leaves V8's heap shrunk, and the run after it measured up to
  // twice as slow as in steady state, which would flatter the batch executor's ratio
  for (const plan of chosen) {
    const c0 = cpuNow();
    t = performance.now();
    const result = runBacktest(plan, data);
    ms.push(performance.now() - t);
    cpuMs.push(cpuNow() - c0);
    netPnl.push(metricsOf(summarise(result)).netPnl);
  }
  return { mode: 'incremental', indices, bars: data.length, warmupMs, ms, cpuMs, netPnl };
}

async function signal(): Promise<SignalChildResult> {
  const gpuMode = (rest[0] ?? 'webasm') as GpuMode;
  const reps = Number(rest[1] ?? 3);
  const dawnFlags = (process.env.BARFLOW_DAWN_FLAGS ?? '').split(',').filter((f) => f !== '');
  if (gpuMode === 'webgpu' && !(await prepareNodeWebGpu(dawnFlags))) throw new Error('batch bench: no WebGPU adapter answered');
  const backend = new GpuBackend({ mode: gpuMode });
  const { base, plans } = compile();
  const data = loadPipelineData(base, dataFile);
  const all = plans(jobs.map((_, i) => i));
  const cpuMs: number[] = [];
  const gpuMs: number[] = [];
  let gpuReport = {} as GpuReport;
  let cpuComputations = 0;
  let gpuCpuComputations = 0;
  // one untimed pass of each (JIT; the GPU side compiles its kernels)
  await runSignalPart(all, data, { kernels: 'cpu' });
  await runSignalPart(all, data, { kernels: 'gpu', gpu: backend });
  for (let r = 0; r < reps; r++) {
    for (const side of r % 2 === 0 ? ['cpu', 'gpu'] : ['gpu', 'cpu']) {
      const t = performance.now();
      if (side === 'cpu') cpuComputations = (await runSignalPart(all, data, { kernels: 'cpu' })).cpuComputations;
      else {
        const report = {} as GpuReport;
        gpuCpuComputations = (await runSignalPart(all, data, { kernels: 'gpu', gpu: backend, gpuReport: report })).cpuComputations;
        gpuReport = report;
      }
      (side === 'cpu' ? cpuMs : gpuMs).push(performance.now() - t);
    }
  }

  // the EMA columns alone: every distinct (ema node params, input) of the sweep over the resampled close
  const emaNodes = base.nodes.filter((n) => n.def.type === 'indicator.ema');
  const def = emaNodes[0]!.def;
  const source = emaNodes[0]!.inputs[0]!.sources[0]!;
  const close = columnsOf(base, data, source.node).outputs[source.port] as Float64Array;
  const params = new Map<string, unknown>();
  for (const plan of all) for (const n of plan.nodes) if (n.def.type === 'indicator.ema') params.set(canonicalJson(n.params), n.params);
  const list = [...params.values()];
  const inputs = { source: close };
  let t = performance.now();
  await gpuColumnsAsync(backend, def, inputs, list);
  const gpuFirstMs = performance.now() - t;
  const emaCpu: number[] = [];
  const emaGpu: number[] = [];
  let sink = 0;
  for (let r = 0; r < Math.max(reps, 5); r++) {
    t = performance.now();
    for (const p of list) sink += def.batch!(inputs, p).value![close.length - 1]!;
    emaCpu.push(performance.now() - t);
    t = performance.now();
    const out = await gpuColumnsAsync(backend, def, inputs, list);
    emaGpu.push(performance.now() - t);
    sink += out[0]![close.length - 1]!;
  }
  const ema = { columns: list.length, rows: close.length, cpuMs: emaCpu, gpuMs: emaGpu, gpuFirstMs, backend: backend.backend, sink };
  backend.destroy();
  return { mode: 'signal', sets: all.length, reps, cpuMs, gpuMs, gpuReport, cpuComputations, gpuCpuComputations, ema };
}

/** A signal node's columns over the whole series, computed with everything it reads (the batch executor's way). */
function columnsOf(plan: CompiledPipeline, data: ReturnType<typeof loadPipelineData>, index: number): NodeColumns {
  const tape = barTape(data, 0, data.length - 1);
  const done = new Map<number, NodeColumns>();
  const visit = (k: number): NodeColumns => {
    let c = done.get(k);
    if (c === undefined) {
      const node = plan.nodes[k]!;
      const upstream = new Map(node.upstream.map((u) => [u, visit(u)]));
      c = evaluateColumns(node, node.params, upstream, tape);
      done.set(k, c);
    }
    return c;
  };
  return visit(index);
}

const result = mode === 'sweep' ? await sweep() : mode === 'incremental' ? incremental() : mode === 'signal' ? await signal() : null;
if (result === null) {
  process.stderr.write(`unknown mode ${mode}\n`);
  process.exit(2);
}
emit(result);
process.exit(0);

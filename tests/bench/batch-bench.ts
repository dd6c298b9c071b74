import { writeFileSync, mkdirSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join, relative } from 'node:path';
import { parseOverride } from '../../engine/pipeline/overrides.ts';
import type { EvalJob } from '../../engine/sweep/evaluate.ts';
import { Rng } from '../../engine/sweep/rng.ts';
import type { IncrementalChildResult, SignalChildResult, SweepChildResult } from './batch-child.ts';
import { BENCH_DIR, BTC_5M, CANONICAL, ETH_5M, OUT_DIR, REPO_ROOT, intOption, isMain, machine, machineLine, median, rate, ratio, runChild, table, writeResult } from './common.ts';

/**
 * Issue 5's figures: the batch executor (engine/batch, as `barflow sweep` runs it: worker threads,
 * one runBatch per chunk of sets) against the incremental executor (runBacktest of each set's plan,
 * one set after the other, on one core), in bar·parameter-sets per second, for
 *   (a) the EMA-crossover pipeline (tests/bench/pipelines/ema-crossover.yaml) on the BTC 5m file
 *       with 1,090 parameter sets (fast 5..39 × slow 20..100 step 5 with fast < slow, × 2 stops);
 *   (b) the canonical pipeline (pipelines/canonical/enygma.yaml, locked: its variants are built in
 *       memory, the file is not touched) on the ETH 5m file with 108 gate/risk parameter sets;
 *   (c) the gpu.js backend against the CPU kernels for (a): the signal part alone, its EMA columns
 *       alone, and the whole sweep ranked on the GPU path with its top rows re-checked on the CPU.
 * The incremental side runs a seeded random sample of the sets and is extrapolated per set
 * (labelled "sampled"); the sampled sets double as the parity check: their net PnL must equal the
 * batch's, to the cent. Every measurement is its own child process (batch-child.ts).
 *
 * Options: --batch-workers=N (default: all cores), --batch-sample=N (incremental sample of (a),
 * default 60), --batch-canonical-sample=N (of (b), default 20), --gpu-mode=webasm|gpu|webgpu
 * (default webasm), --batch-recheck=N (default 10), --batch-signal-reps=N (default 3).
 */

export const EMA_CROSSOVER = join(BENCH_DIR, 'pipelines', 'ema-crossover.yaml');
/** vectorbt's order of magnitude on one machine (bar·columns per second), the reference issue 5 quotes */
export const VECTORBT_REFERENCE = 20e6;
const TARGET = 10;

interface Case {
  key: 'ema-crossover' | 'canonical';
  title: string;
  pipeline: string;
  data: string;
  jobs: EvalJob[];
  texts: string[][];
}

function job(texts: string[], group: string): EvalJob {
  return { overrides: texts.map(parseOverride), group };
}

/** fast 5..39 × slow 20..100 step 5 with fast < slow, × stopLoss 6 and 10 (ROI %) */
export function emaCrossoverSets(): string[][] {
  const sets: string[][] = [];
  for (let fast = 5; fast <= 39; fast++) {
    for (let slow = 20; slow <= 100; slow += 5) {
      if (fast >= slow) continue;
      for (const stop of [6, 10]) sets.push([`ema_fast.period=${fast}`, `ema_slow.period=${slow}`, `risk.stopLoss=${stop}`]);
    }
  }
  return sets;
}

/** 3 strict thresholds × 2 strict confidences (entry gates) × 3 sizes × 3 stops × 2 trailing distances (risk) */
export function canonicalSets(): string[][] {
  const sets: string[][] = [];
  for (const threshold of [75, 80, 85]) {
    for (const confidence of [0.85, 0.9]) {
      for (const size of [1, 2, 3]) {
        for (const stop of [4, 6, 8]) {
          for (const trailing of [1, 1.5]) {
            sets.push([`decision/threshold.strictThreshold=${threshold}`, `decision/confidence.strictMinConfidence=${confidence}`, `risk.sizePct=${size}`, `risk.stopLossRoi=${stop}`, `risk.trailingRoi=${trailing}`]);
          }
        }
      }
    }
  }
  return sets;
}

/** `k` distinct indices below `n`, seeded, ascending */
function sample(n: number, k: number, seed: number): number[] {
  const rng = new Rng(seed);
  const all = Array.from({ length: n }, (_, i) => i);
  const m = Math.min(k, n);
  for (let i = 0; i < m; i++) {
    const j = i + rng.int(n - i);
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  return all.slice(0, m).sort((a, b) => a - b);
}

export interface BatchCaseResult {
  key: string;
  pipeline: string;
  data: string;
  sets: number;
  bars: number;
  batch: SweepChildResult;
  incremental: IncrementalChildResult & { sampled: boolean; perSetMs: number; perSetCpuMs: number; extrapolatedMs: number; extrapolatedCpuMs: number };
  barSetsPerSec: { batch: number; batchPerCpuSec: number; incremental: number; incrementalPerCpuSec: number };
  ratio: number;
  cpuRatio: number;
  parity: { checked: number; equal: number; differing: number[] };
}

export interface BatchBenchResult {
  cases: BatchCaseResult[];
  gpu: {
    mode: string;
    signal: SignalChildResult;
    sweep: SweepChildResult;
    recheckParity: { checked: number; equal: number };
    float32Agreement: { sets: number; sameNetPnl: number; winnerSame: boolean; top10Overlap: number };
  };
  loadavg: { start: number[]; end: number[] };
}

export function runBatchBench(argv: readonly string[] = []): BatchBenchResult {
  const workers = intOption(argv, 'batch-workers', availableParallelism());
  const emaSample = intOption(argv, 'batch-sample', 60);
  const canonicalSample = intOption(argv, 'batch-canonical-sample', 20);
  const recheck = intOption(argv, 'batch-recheck', 10);
  const signalReps = intOption(argv, 'batch-signal-reps', 3);
  const gpuMode = argv.find((a) => a.startsWith('--gpu-mode='))?.slice('--gpu-mode='.length) ?? 'webasm';
  const started = performance.now();
  const loadStart = loadavg();

  const cases: Case[] = [
    { key: 'ema-crossover', title: '(a) EMA crossover', pipeline: EMA_CROSSOVER, data: BTC_5M, texts: emaCrossoverSets(), jobs: [] },
    { key: 'canonical', title: '(b) canonical ENYGMA, gate/risk params', pipeline: CANONICAL, data: ETH_5M, texts: canonicalSets(), jobs: [] },
  ];
  for (const c of cases) c.jobs = c.texts.map((t) => job(t, t.filter((x) => !x.startsWith('risk.')).join(' ')));
  const cacheDir = join(OUT_DIR, 'cache');
  mkdirSync(cacheDir, { recursive: true });
  const jobsFile = (c: Case) => {
    const f = join(cacheDir, `batch-${c.key}-jobs.json`);
    writeFileSync(f, JSON.stringify(c.jobs));
    return f;
  };

  process.stdout.write(`\n== batch: the batch executor (barflow sweep's worker threads, ${workers} workers) vs the incremental executor (one set after another, one core) ==\n`);
  process.stdout.write(`load average at start: ${loadStart.map((l) => l.toFixed(2)).join(' ')} (${availableParallelism()} cores usable)\n`);

  const results: BatchCaseResult[] = [];
  const sweeps = new Map<string, SweepChildResult>();
  for (const c of cases) {
    const f = jobsFile(c);
    const pick = sample(c.jobs.length, c.key === 'canonical' ? canonicalSample : emaSample, 5);
    process.stdout.write(`  ${c.title}: ${c.jobs.length} sets — batch sweep ...`);
    const batch = runChild<SweepChildResult>('batch-child.ts', ['sweep', c.pipeline, c.data, f, String(workers), 'cpu', 'webasm', '0']);
    sweeps.set(c.key, batch);
    process.stdout.write(` ${(batch.ms / 1000).toFixed(1)} s; incremental, ${pick.length} sampled sets ...`);
    const inc = runChild<IncrementalChildResult>('batch-child.ts', ['incremental', c.pipeline, c.data, f, pick.join(',')]);
    const perSetMs = inc.ms.reduce((a, b) => a + b, 0) / inc.ms.length;
    const perSetCpuMs = inc.cpuMs.reduce((a, b) => a + b, 0) / inc.cpuMs.length;
    process.stdout.write(` ${(perSetMs / 1000).toFixed(2)} s per set\n`);
    const sampled = pick.length < c.jobs.length;
    const extrapolatedMs = perSetMs * c.jobs.length;
    const extrapolatedCpuMs = perSetCpuMs * c.jobs.length;
    const barSets = batch.bars * c.jobs.length;
    const differing = pick.filter((i, k) => inc.netPnl[k] !== batch.netPnl[i]);
    results.push({
      key: c.key,
      pipeline: relative(REPO_ROOT, c.pipeline),
      data: relative(REPO_ROOT, c.data),
      sets: c.jobs.length,
      bars: batch.bars,
      batch,
      incremental: { ...inc, sampled, perSetMs, perSetCpuMs, extrapolatedMs, extrapolatedCpuMs },
      barSetsPerSec: { batch: barSets / (batch.ms / 1000), batchPerCpuSec: barSets / (batch.cpuMs / 1000), incremental: barSets / (extrapolatedMs / 1000), incrementalPerCpuSec: barSets / (extrapolatedCpuMs / 1000) },
      ratio: extrapolatedMs / batch.ms,
      cpuRatio: extrapolatedCpuMs / batch.cpuMs,
      parity: { checked: pick.length, equal: pick.length - differing.length, differing },
    });
  }

  // (c) the GPU path on (a)
  const ema = cases[0]!;
  const emaJobs = join(cacheDir, `batch-${ema.key}-jobs.json`);
  process.stdout.write(`  (c) gpu.js ${gpuMode} vs CPU kernels on (a): signal part ...`);
  const signal = runChild<SignalChildResult>('batch-child.ts', ['signal', ema.pipeline, ema.data, emaJobs, gpuMode, String(signalReps)]);
  process.stdout.write(` done; GPU-ranked sweep + CPU re-check of the top ${recheck} ...`);
  const gpuSweep = runChild<SweepChildResult>('batch-child.ts', ['sweep', ema.pipeline, ema.data, emaJobs, String(workers), 'gpu', gpuMode, String(recheck)]);
  process.stdout.write(` ${(gpuSweep.ms / 1000).toFixed(1)} s\n`);
  const cpuSweep = sweeps.get('ema-crossover')!;
  const re = gpuSweep.recheck!;
  const recheckParity = { checked: re.indices.length, equal: re.indices.filter((i, k) => re.netPnl[k] === cpuSweep.netPnl[i]).length };
  const order = (r: number[]) => r.map((_, i) => i).sort((a, b) => r[b]! - r[a]! || a - b);
  const cpuOrder = order(cpuSweep.returnPct);
  const float32Agreement = {
    sets: gpuSweep.netPnl.length,
    sameNetPnl: gpuSweep.netPnl.filter((v, i) => v === cpuSweep.netPnl[i]).length,
    winnerSame: re.order[0] === cpuOrder[0],
    top10Overlap: re.indices.filter((i) => cpuOrder.slice(0, re.indices.length).includes(i)).length,
  };
  const loadEnd = loadavg();

  // --- tables
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  process.stdout.write(`\nthroughput (bar·sets/s = bars × parameter sets / time; cpu = process CPU time, all threads)\n`);
  process.stdout.write(
    table(
      ['case', 'sets', 'bars', 'executor', 'time', 'cpu time', 'bar·sets/s', 'per cpu-s'],
      results.flatMap((r) => [
        [r.key, String(r.sets), String(r.bars), `batch, ${r.batch.workers} workers`, s(r.batch.ms), s(r.batch.cpuMs), rate(r.barSetsPerSec.batch), rate(r.barSetsPerSec.batchPerCpuSec)],
        [
          '',
          '',
          '',
          r.incremental.sampled ? `incremental, sampled ${r.incremental.indices.length}/${r.sets}` : 'incremental, all',
          `${s(r.incremental.extrapolatedMs)}${r.incremental.sampled ? ' (extrap.)' : ''}`,
          s(r.incremental.extrapolatedCpuMs),
          rate(r.barSetsPerSec.incremental),
          rate(r.barSetsPerSec.incrementalPerCpuSec),
        ],
      ]),
      ['left', 'right', 'right', 'left'],
    ) + '\n',
  );
  process.stdout.write(`\nbatch against incremental (ratio = incremental time / batch time for the same sets; target ≥ ${TARGET}×)\n`);
  process.stdout.write(
    table(
      ['case', 'batch bar·sets/s', 'incremental bar·sets/s', 'ratio', 'cpu ratio', `≥ ${TARGET}×`, 'vs vectorbt 20 M', 'incremental per set', 'batch per set·worker'],
      results.map((r) => [
        r.key,
        rate(r.barSetsPerSec.batch),
        rate(r.barSetsPerSec.incremental),
        `${ratio(r.ratio)}×`,
        `${ratio(r.cpuRatio)}×`,
        r.ratio >= TARGET ? 'yes' : 'no',
        ratio(r.barSetsPerSec.batch / VECTORBT_REFERENCE),
        `${r.incremental.perSetMs.toFixed(0)} ms`,
        `${((r.batch.ms * r.batch.workers) / r.sets).toFixed(0)} ms`,
      ]),
    ) + '\n',
  );
  process.stdout.write(`cpu ratio = the same from CPU time: what the batch saves per core, whatever the core count. vectorbt reference: ≈20 M bar·columns/s on one machine.\n`);

  const g = signal.gpuReport;
  const m = (xs: number[]) => median(xs);
  process.stdout.write(`\ngpu.js (${gpuMode}; backend that ran: ${signal.ema.backend}${gpuSweep.gpu ? `, in the sweep's workers: ${gpuSweep.gpu.backend}` : ''}) against the CPU kernels, on (a)\n`);
  process.stdout.write(
    table(
      ['what', 'cpu kernels', 'gpu.js', 'gpu/cpu speed', 'notes'],
      [
        ['signal part, all sets (runSignalPart)', `${m(signal.cpuMs).toFixed(0)} ms`, `${m(signal.gpuMs).toFixed(0)} ms`, ratio(m(signal.cpuMs) / m(signal.gpuMs)), `median of ${signal.reps}; GPU: ${g.columns} columns in ${g.groups} groups, ${g.calls} calls`],
        [`EMA columns (${signal.ema.columns} periods × ${signal.ema.rows} 15m bars)`, `${m(signal.ema.cpuMs).toFixed(1)} ms`, `${m(signal.ema.gpuMs).toFixed(1)} ms`, ratio(m(signal.ema.cpuMs) / m(signal.ema.gpuMs)), `first gpu call ${signal.ema.gpuFirstMs.toFixed(0)} ms (compiles)`],
        [
          `whole sweep, ${cpuSweep.sets} sets, ${cpuSweep.workers}${gpuSweep.workers === cpuSweep.workers ? '' : ` / ${gpuSweep.workers}`} workers`,
          s(cpuSweep.ms),
          s(gpuSweep.ms),
          ratio(cpuSweep.ms / gpuSweep.ms),
          `cpu time ${s(cpuSweep.cpuMs)} / ${s(gpuSweep.cpuMs)}${gpuSweep.gpu ? `; GPU passes ${s(gpuSweep.gpu.ms)} summed over workers` : ''}`,
        ],
        [`re-check of the top ${re.indices.length} on the CPU path`, '—', s(re.ms), '—', `cpu ${s(re.cpuMs)}; part of a GPU sweep's cost`],
      ],
      ['left', 'right', 'right', 'right', 'left'],
    ) + '\n',
  );

  process.stdout.write(`\nparity (net PnL text, exact)\n`);
  process.stdout.write(
    table(
      ['check', 'sets', 'equal'],
      [
        ...results.map((r) => [`${r.key}: batch (sweep workers) = incremental (runBacktest), sampled sets`, String(r.parity.checked), `${r.parity.equal}/${r.parity.checked}`]),
        [`ema-crossover: GPU sweep's top ${recheckParity.checked}, re-checked on the CPU = CPU sweep`, String(recheckParity.checked), `${recheckParity.equal}/${recheckParity.checked}`],
        [`ema-crossover: float32 GPU ranking's own metrics = CPU sweep (not required)`, String(float32Agreement.sets), `${float32Agreement.sameNetPnl}/${float32Agreement.sets}`],
        [`ema-crossover: GPU winner (after re-check) = CPU winner; top-${re.indices.length} overlap`, '1', `${float32Agreement.winnerSame ? 'yes' : 'NO'}; ${float32Agreement.top10Overlap}/${re.indices.length}`],
      ],
      ['left', 'right', 'right'],
    ) + '\n',
  );
  const broken = results.filter((r) => r.parity.equal !== r.parity.checked).map((r) => r.key);
  if (broken.length > 0 || recheckParity.equal !== recheckParity.checked) process.stdout.write(`WARNING: parity broken (${[...broken, ...(recheckParity.equal !== recheckParity.checked ? ['gpu re-check'] : [])].join(', ')}): run npx vitest run tests/parity engine/batch\n`);
  process.stdout.write(`load average at end: ${loadEnd.map((l) => l.toFixed(2)).join(' ')}; part took ${((performance.now() - started) / 1000).toFixed(0)} s\n`);

  const result: BatchBenchResult = { cases: results, gpu: { mode: gpuMode, signal, sweep: gpuSweep, recheckParity, float32Agreement }, loadavg: { start: loadStart, end: loadEnd } };
  const file = writeResult('batch', {
    part: 'batch',
    date: new Date().toISOString(),
    machine: machine(),
    workers,
    vectorbtReference: VECTORBT_REFERENCE,
    target: TARGET,
    sets: Object.fromEntries(cases.map((c) => [c.key, c.texts.map((t) => t.join(' '))])),
    ...result,
  });
  process.stdout.write(`results: ${relative(REPO_ROOT, file)}\n`);
  return result;
}

if (isMain(import.meta.url)) {
  process.stdout.write(machineLine() + '\n');
  runBatchBench(process.argv.slice(2));
}

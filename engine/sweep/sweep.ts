import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { BarflowError, BarflowErrors } from '../core/errors.ts';
import { isoTime } from '../core/timeframe.ts';
import type { CandleSeries } from '../data/candles-csv.ts';
import { planVariant } from '../batch/plan-variants.ts';
import { tradingNodes } from '../batch/trading-plan.ts';
import { compilePipelineText } from '../pipeline/compile.ts';
import { pipelineHash } from '../pipeline/normalise.ts';
import type { CompiledPipeline } from '../pipeline/plan.ts';
import { loadPipelineData, runRange } from '../run/backtest.ts';
import { ENGINE_VERSION } from '../version.ts';
import { registry } from '../../nodes/index.ts';
import type { GpuMode } from '../batch/gpu/backend.ts';
import { createContext, InProcessEvaluator, recheckJobs, WorkerPoolEvaluator, type EvalJob, type EvalRange, type Evaluator, type GpuTally, type SweepContext, type SweepKernels } from './evaluate.ts';
import { geneticSearch } from './genetic.ts';
import { gridPoints, gridSize, overridesOf, pointKey, randomPoints, type Point } from './methods.ts';
import { compareRows, objectiveValue, rankRows, type Objective, type RankedRow, type ScoredRow, type SweepMetrics } from './objective.ts';
import { paramTexts, reproduceCommand, resultsCsv, type CommandContext } from './results.ts';
import { checkSpecAgainstPlan, type SweepParam, type SweepSpec } from './spec.ts';
import { combineOos, walkForwardCsv, walkForwardLayout, type CombinedOos, type Span, type WalkForwardLayout, type WindowResult } from './walk-forward.ts';

export interface SweepOptions {
  /** the pipeline file, as the user gave it */
  file: string;
  spec: SweepSpec;
  /** --data, --from, --to as the user gave them (they go into the reproduce command) */
  data?: string;
  from?: string;
  to?: string;
  /** parsed --from/--to (ms UTC) */
  fromMs?: number;
  toMs?: number;
  /** worker threads; 1 = in this thread; default os.availableParallelism() */
  workers?: number;
  /**
   * 'cpu' (default): every set on the exact float64 path. 'gpu': every set ranked on the GPU path
   * (float32 gpu.js kernels for the nodes that have one), then the top `recheck` rows re-run on the
   * CPU path, whose exact metrics replace the estimates (results.csv column `checked`).
   */
  kernels?: SweepKernels;
  /** kernels 'gpu': the gpu.js mode (default 'webasm') */
  gpuMode?: GpuMode;
  /** kernels 'gpu': how many of the best rows to re-check on the CPU (default 10, at least 1) */
  recheck?: number;
  out: string;
  onProgress?: (done: number, total: number) => void;
  /** tests: supply the evaluator */
  evaluator?: (ctx: SweepContext) => Evaluator;
}

export interface WalkForwardOutcome {
  layout: WalkForwardLayout;
  windows: WindowResult[];
  combined: CombinedOos;
  holdOut: { span: Span; best: Point; metrics: RankedRow['metrics']; objective: number; command: string };
}

export interface SweepOutcome {
  plan: CompiledPipeline;
  data: CandleSeries;
  spec: SweepSpec;
  /** the ranked sets of the sweep (walk-forward: of its last window's in-sample search) */
  rows: RankedRow[];
  /** the exact `barflow run` command for the best row (walk-forward: for the hold-out) */
  command: string;
  workers: number;
  walkForward: WalkForwardOutcome | null;
  written: string[];
  timings: { prepareMs: number; searchMs: number; totalMs: number; recheckMs?: number };
  kernels: SweepKernels;
  /** kernels 'gpu': what the GPU path did (the backend that actually ran), else null */
  gpu: GpuTally | null;
  /** kernels 'gpu': the rows re-checked on the CPU path (per search: the top `rows`), else null */
  recheck: { rows: number; sets: number; ms: number } | null;
}

/** How many rows a GPU sweep re-checks on the CPU by default. */
export const DEFAULT_RECHECK = 10;

/** Refuses a locked pipeline: a sweep changes params, so it needs a fork (same words as `barflow run --set`). */
export function lockedSweepRefusal(plan: CompiledPipeline, file: string): BarflowError {
  return new BarflowError('sweep.locked', `${plan.name} is locked: a sweep cannot change it. Fork it first: barflow fork ${file} <name>, and sweep the fork`, { file });
}

/**
 * `barflow sweep`: validates the spec against the pipeline, searches (grid, random or genetic) on
 * the chosen objective — plainly, or walk-forward — and writes results.csv, sweep.json (and
 * walk-forward.csv plus in-sample-<k>.csv per window) to `out`.
 */
export async function runSweep(options: SweepOptions): Promise<SweepOutcome> {
  const t0 = performance.now();
  const { spec } = options;
  let text: string;
  try {
    text = readFileSync(options.file, 'utf8');
  } catch (error) {
    throw new BarflowError('pipeline.read', `cannot read pipeline: ${(error as Error).message}`, { file: options.file });
  }
  const plan = compilePipelineText(text, options.file, registry);
  if (plan.locked) throw lockedSweepRefusal(plan, options.file);
  checkSpecAgainstPlan(spec, plan);
  const params = spec.params;
  const data = loadPipelineData(plan, options.data);
  const range: EvalRange = { from: options.fromMs, to: options.toMs };
  const traded = runRange(plan, data, range.from, range.to);
  const layout = spec.walkForward === null ? null : walkForwardLayout(traded.firstIndex, traded.lastIndex, spec.walkForward);

  const kernels = options.kernels ?? 'cpu';
  const gpuInit = kernels === 'gpu' ? { kernels, gpuMode: options.gpuMode ?? 'webasm', dawnFlags: (process.env.BARFLOW_DAWN_FLAGS ?? '').split(',').filter((f) => f !== '') } : {};
  const ctx = createContext({ file: options.file, text, data: options.data === undefined ? undefined : resolve(options.data), ...gpuInit }, { base: plan, data });
  const search = new Search(plan, spec, text);
  const perSearch = search.expectedSets();
  const recheckRows = kernels === 'gpu' ? Math.max(1, options.recheck ?? DEFAULT_RECHECK) : 0;
  const perRecheck = Math.min(recheckRows, perSearch);
  const total = layout === null ? perSearch + perRecheck : layout.windows.length * (perSearch + perRecheck + 1) + 1;
  // no more threads than there are sets to share out. gpu.js webgpu runs in this thread only: the
  // webgpu package's Dawn crashed the process at exit when several worker threads had held it
  const wanted = kernels === 'gpu' && options.gpuMode === 'webgpu' ? 1 : (options.workers ?? availableParallelism());
  const workers = Math.max(1, Math.min(wanted, perSearch));
  search.prepare(); // grid/random: every set validated before any run
  const evaluator = options.evaluator?.(ctx) ?? (workers === 1 ? new InProcessEvaluator(ctx) : new WorkerPoolEvaluator(ctx.init, workers));
  const progress = new Progress(total, options.onProgress);
  const t1 = performance.now();
  const command: CommandContext = { pipeline: options.file, data: options.data, from: options.from, to: options.to };
  const written: string[] = [];
  mkdirSync(options.out, { recursive: true });
  const write = (name: string, body: string) => {
    writeFileSync(join(options.out, name), body);
    written.push(join(options.out, name));
  };
  // kernels 'gpu': the search ranks on the GPU path; its best rows are re-run on the exact CPU path
  const recheck = recheckRows > 0 ? { rows: recheckRows, sets: 0, ms: 0 } : null;
  const checkTop = (rows: RankedRow[], r: EvalRange): RankedRow[] => {
    if (recheck === null) return rows;
    const started = performance.now();
    const top = rows.slice(0, recheck.rows);
    const exact = recheckJobs(ctx, top.map((row) => search.job(row.point)), r, () => progress.tick());
    recheck.sets += top.length;
    recheck.ms += performance.now() - started;
    return withRechecked(rows, exact, search.objective);
  };
  // single sets whose metrics are reported (walk-forward's out-of-sample and hold-out runs): exact
  const runOne = async (point: Point, r: EvalRange): Promise<SweepMetrics> => {
    if (recheck === null) return (await evaluator.evaluate([search.job(point)], r, () => progress.tick()))[0]!;
    return recheckJobs(ctx, [search.job(point)], r, () => progress.tick())[0]!;
  };
  const gpuOf = (): GpuTally | null => (kernels === 'gpu' ? (evaluator.gpu ?? null) : null);
  try {
    if (layout === null) {
      const rows = checkTop(await search.run(evaluator, range, progress), range);
      progress.finish();
      const t2 = performance.now();
      const best = rows[0]!;
      const cmd = reproduceCommand(command, params, best.point);
      write('results.csv', resultsCsv(params, rows));
      const timings = { prepareMs: round(t1 - t0), searchMs: round(t2 - t1), totalMs: round(performance.now() - t0), ...(recheck === null ? {} : { recheckMs: round(recheck.ms) }) };
      const outcome: SweepOutcome = { plan, data, spec, rows, command: cmd, workers: evaluator.workers, walkForward: null, written, timings, kernels, gpu: gpuOf(), recheck: recheck === null ? null : { ...recheck, ms: round(recheck.ms) } };
      write('sweep.json', JSON.stringify(sweepJson(options, outcome), finite, 2) + '\n');
      return outcome;
    }
    const time = data.time;
    const at = (s: Span): EvalRange => ({ from: time[s.start]!, to: time[s.end]! });
    const results: WindowResult[] = [];
    let lastRows: RankedRow[] = [];
    for (const window of layout.windows) {
      const rows = checkTop(await search.run(evaluator, at(window.inSample), progress), at(window.inSample));
      write(`in-sample-${window.index}.csv`, resultsCsv(params, rows));
      const best = rows[0]!;
      const oos = await runOne(best.point, at(window.outOfSample));
      results.push({ window, best: best.point, isObjective: best.objective, isMetrics: best.metrics, sets: rows.length, oosMetrics: oos, oosObjective: objectiveValue(search.objective, oos) });
      lastRows = rows;
    }
    const lastBest = results[results.length - 1]!.best;
    const held = await runOne(lastBest, at(layout.holdOut));
    progress.finish();
    const t2 = performance.now();
    const holdCommand = reproduceCommand({ ...command, from: isoTime(time[layout.holdOut.start]!), to: isoTime(time[layout.holdOut.end]!) }, params, lastBest);
    const combined = combineOos(results);
    const holdOut = { span: layout.holdOut, best: lastBest, metrics: held, objective: objectiveValue(search.objective, held), command: holdCommand };
    write('walk-forward.csv', walkForwardCsv(params, time, results, combined, holdOut));
    const walkForward: WalkForwardOutcome = { layout, windows: results, combined, holdOut };
    const timings = { prepareMs: round(t1 - t0), searchMs: round(t2 - t1), totalMs: round(performance.now() - t0), ...(recheck === null ? {} : { recheckMs: round(recheck.ms) }) };
    const outcome: SweepOutcome = { plan, data, spec, rows: lastRows, command: holdCommand, workers: evaluator.workers, walkForward, written, timings, kernels, gpu: gpuOf(), recheck: recheck === null ? null : { ...recheck, ms: round(recheck.ms) } };
    write('sweep.json', JSON.stringify(sweepJson(options, outcome), finite, 2) + '\n');
    return outcome;
  } finally {
    await evaluator.close();
  }
}

/**
 * A GPU search's rows with the top `exact.length` re-checked: those take their exact metrics and
 * objective, are re-ordered among themselves by them (the usual ranking) and keep the top ranks,
 * marked checked 'cpu'; every row below keeps its float32 estimate and its place, marked 'gpu'.
 */
export function withRechecked(rows: readonly RankedRow[], exact: readonly SweepMetrics[], objective: Objective): RankedRow[] {
  const n = exact.length;
  const top = rankRows(rows.slice(0, n).map((row, i) => ({ index: row.index, point: row.point, metrics: exact[i]!, objective: objectiveValue(objective, exact[i]!) })));
  return [...top.map((row) => ({ ...row, checked: 'cpu' as const })), ...rows.slice(n).map((row, i) => ({ ...row, rank: n + i + 1, checked: 'gpu' as const }))];
}

/** JSON has no ±Infinity: write them as text ("-Infinity"), as results.csv does. */
function finite(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? String(value) : value;
}

function round(ms: number): number {
  return Math.round(ms);
}

export class Progress {
  done = 0;
  constructor(
    private readonly total: number,
    private readonly report?: (done: number, total: number) => void,
  ) {}
  tick(): void {
    this.done++;
    this.report?.(this.done, Math.max(this.total, this.done));
  }
  /** genetic search may evaluate fewer sets than the bound the bar was drawn for */
  finish(): void {
    this.report?.(this.done, this.done);
  }
}

/**
 * One search over the spec's space on a given range: grid, random (seeded) or genetic (seeded),
 * every distinct set evaluated once, ranked by the objective.
 */
export class Search {
  readonly objective: Objective;
  private readonly params: readonly SweepParam[];
  private readonly signal: boolean[];
  private readonly checked = new Map<string, BarflowError[] | null>();
  private points: Point[] | null = null;

  constructor(
    private readonly plan: CompiledPipeline,
    private readonly spec: SweepSpec,
    private readonly text: string,
  ) {
    this.params = spec.params;
    this.objective = { name: spec.objective, maxDrawdown: spec.maxDrawdown };
    const trading = tradingNodes(plan);
    this.signal = this.params.map((p) => !trading.has(plan.byId.get(p.node)!.index));
  }

  /** how many sets one search evaluates (at most, for genetic) */
  expectedSets(): number {
    const grid = gridSize(this.params);
    if (this.spec.method === 'grid') return grid;
    if (this.spec.method === 'random') return Math.min(this.spec.samples, grid);
    return Math.min(this.spec.genetic.population * this.spec.genetic.generations, grid);
  }

  /** grid and random: draw the sets and validate them all, before any run */
  prepare(): void {
    if (this.spec.method === 'genetic') return;
    this.points = this.spec.method === 'grid' ? gridPoints(this.params) : randomPoints(this.params, this.spec.samples, this.spec.seed);
    this.validate(this.points);
  }

  job(point: Point): EvalJob {
    return { overrides: overridesOf(this.params, point), group: point.filter((_, i) => this.signal[i]).join(',') };
  }

  async run(evaluator: Evaluator, range: EvalRange, progress: Progress): Promise<RankedRow[]> {
    const score = async (points: Point[]): Promise<Omit<ScoredRow, 'index'>[]> => {
      this.validate(points);
      const metrics = await evaluator.evaluate(points.map((p) => this.job(p)), range, () => progress.tick());
      return points.map((point, i) => ({ point, metrics: metrics[i]!, objective: objectiveValue(this.objective, metrics[i]!) }));
    };
    if (this.spec.method !== 'genetic') {
      if (this.points === null) this.prepare();
      const scored = await score(this.points!);
      return rankRows(scored.map((s, index) => ({ ...s, index })));
    }
    const result = await geneticSearch(this.params.map((p) => p.values.length), { ...this.spec.genetic, seed: this.spec.seed }, score, compareRows);
    return rankRows(result.evaluated.map((e, index) => ({ ...e.score, index })));
  }

  /**
   * Every set must make a valid plan. A node's `check` sees only its own params, so a set is valid
   * when each node's combination of swept values is: checked once per node and combination.
   */
  private validate(points: readonly Point[]): void {
    const byNode = new Map<string, number[]>();
    this.params.forEach((p, i) => byNode.set(p.node, [...(byNode.get(p.node) ?? []), i]));
    const errors: BarflowError[] = [];
    const reported = new Set<string>();
    for (const point of points) {
      for (const [node, indices] of byNode) {
        const key = `${node}|${pointKey(indices.map((i) => point[i]!))}`;
        let problems = this.checked.get(key);
        if (problems === undefined) {
          const overrides = overridesOf(this.params, point).filter((_, i) => indices.includes(i));
          try {
            planVariant(this.plan, overrides, () => ({ text: this.text, registry }));
            problems = null;
          } catch (error) {
            const inner = error instanceof BarflowErrors ? error.errors : error instanceof BarflowError ? [error] : null;
            if (inner === null) throw error;
            const set = overrides.map((o) => o.text).join(' ');
            problems = inner.map((e) => new BarflowError('sweep.invalid-set', `parameter set ${set}: ${e.message}`, { ...e.location, field: '--param' }, e.value));
          }
          this.checked.set(key, problems);
        }
        if (problems !== null && !reported.has(key)) {
          reported.add(key);
          errors.push(...problems);
        }
      }
      if (errors.length >= 20) break;
    }
    if (errors.length > 0) throw new BarflowErrors(errors);
  }
}

function sweepJson(options: SweepOptions, outcome: SweepOutcome): Record<string, unknown> {
  const { plan, data, workers, rows, command, timings, walkForward: wf } = outcome;
  const { spec } = options;
  const params = spec.params;
  const best = rows[0];
  const t = (i: number) => isoTime(data.time[i]!);
  return {
    pipeline: plan.name,
    pipelineFile: options.file,
    pipelineHash: pipelineHash(plan),
    engineVersion: ENGINE_VERSION,
    data: { file: basename(data.file), path: options.data ?? null, sha256: data.sha256, bars: data.length, from: options.from ?? null, to: options.to ?? null },
    spec: {
      params: params.map((p) => ({ name: p.name, origin: p.origin, values: p.values.map((v) => v.text) })),
      method: spec.method,
      objective: spec.objective,
      ...(spec.objective === 'drawdownBoundedReturn' ? { maxDrawdown: spec.maxDrawdown } : {}),
      seed: spec.seed,
      ...(spec.method === 'random' ? { samples: spec.samples } : {}),
      ...(spec.method === 'genetic' ? { genetic: spec.genetic } : {}),
      walkForward: spec.walkForward,
    },
    gridSize: gridSize(params),
    setsEvaluated: rows.length,
    workers,
    kernels: outcome.kernels,
    ...(outcome.kernels === 'gpu' ? { gpu: outcome.gpu, recheck: outcome.recheck } : {}),
    timings,
    best: best === undefined ? null : { params: Object.fromEntries(params.map((p, i) => [p.name, paramTexts(params, best.point)[i]])), objective: best.objective, metrics: best.metrics, command },
    ...(wf === null
      ? {}
      : {
          walkForward: {
            search: { from: t(wf.layout.search.start), to: t(wf.layout.search.end), bars: wf.layout.search.end - wf.layout.search.start + 1 },
            holdOut: { from: t(wf.layout.holdOut.start), to: t(wf.layout.holdOut.end), bars: wf.layout.holdOut.end - wf.layout.holdOut.start + 1, params: Object.fromEntries(params.map((p, i) => [p.name, paramTexts(params, wf.holdOut.best)[i]])), objective: wf.holdOut.objective, metrics: wf.holdOut.metrics, command: wf.holdOut.command },
            windows: wf.windows.map((w) => ({
              window: w.window.index,
              inSample: { from: t(w.window.inSample.start), to: t(w.window.inSample.end), bars: w.window.inSample.end - w.window.inSample.start + 1 },
              outOfSample: { from: t(w.window.outOfSample.start), to: t(w.window.outOfSample.end), bars: w.window.outOfSample.end - w.window.outOfSample.start + 1 },
              sets: w.sets,
              best: Object.fromEntries(params.map((p, i) => [p.name, paramTexts(params, w.best)[i]])),
              isObjective: w.isObjective,
              isMetrics: w.isMetrics,
              oosObjective: w.oosObjective,
              oosMetrics: w.oosMetrics,
            })),
            oosCombined: wf.combined,
          },
        }),
  };
}


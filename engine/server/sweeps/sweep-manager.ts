import { randomBytes } from 'node:crypto';
import { readFileSync, statSync, unlinkSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename } from 'node:path';
import { BarflowError, quote } from '../../core/errors.ts';
import type { NodeRegistry } from '../../core/node-definition.ts';
import type { CandleSeries } from '../../data/candles-csv.ts';
import { compilePipelineText } from '../../pipeline/compile.ts';
import { canonicalJson, pipelineHash } from '../../pipeline/normalise.ts';
import { editParam, ParamEditError } from '../../pipeline/param-edit.ts';
import type { CompiledPipeline } from '../../pipeline/plan.ts';
import { loadPipelineData, resolveFromPipeline, runRange } from '../../run/backtest.ts';
import { WorkerPoolEvaluator, type Evaluator, type ContextInit } from '../../sweep/evaluate.ts';
import { overridesOf } from '../../sweep/methods.ts';
import { buildSpec, checkSpecAgainstPlan, parseSpecObject } from '../../sweep/spec.ts';
import { lockedSweepRefusal, Search } from '../../sweep/sweep.ts';
import type { PipelineStore } from '../pipelines/pipeline-store.ts';
import { MAX_SWEEP_SETS, type PipelineSummary, type SweepRequest, type SweepStatus } from '../protocol/rest.ts';
import type { DataStore } from '../runs/data-store.ts';
import { StoppableEvaluator } from './stoppable-evaluator.ts';
import { SweepJob } from './sweep-job.ts';

/** Most sweeps kept; the oldest finished ones are forgotten first. */
const MAX_SWEEPS = 10;

export interface SweepManagerOptions {
  /** evaluation threads per sweep (default: one less than the cores, at least 1) */
  workers?: number;
  /** tests: supply the evaluator (default: a pool of worker threads) */
  evaluator?: (init: ContextInit, workers: number) => Evaluator;
}

/**
 * Parameter sweeps started from the editor: the same spec checks and search as `barflow sweep`,
 * on a fork only (a sweep changes params), at most MAX_SWEEP_SETS sets and one sweep at a time.
 * The evaluation runs in worker threads; this thread only draws the sets, checks them and ranks
 * the results. A finished sweep's row opens as a new fork with that row's values in its YAML.
 */
export class SweepManager {
  private readonly sweeps = new Map<string, SweepJob>();
  /** the pipelines' own data files, by path (uploads and embedded sets are cached by the DataStore) */
  private readonly ownData = new Map<string, { mtimeMs: number; series: CandleSeries }>();

  constructor(
    private readonly pipelines: PipelineStore,
    private readonly dataStore: DataStore,
    private readonly registry: NodeRegistry,
    private readonly options: SweepManagerOptions = {},
  ) {}

  list(): SweepStatus[] {
    return [...this.sweeps.values()].map((s) => s.status());
  }

  require(id: string): SweepJob {
    const sweep = this.sweeps.get(id);
    if (sweep === undefined) throw new BarflowError('sweep.not-found', `no sweep ${quote(id.slice(0, 80))}`, { field: 'id' }, id);
    return sweep;
  }

  running(): SweepJob | null {
    for (const s of this.sweeps.values()) if (s.state === 'running') return s;
    return null;
  }

  /** Checks everything a sweep needs before any set runs (errors name the param), then starts it. */
  start(request: SweepRequest): SweepJob {
    const busy = this.running();
    if (busy !== null) {
      throw new BarflowError('sweep.busy', `a sweep of ${quote(busy.pipeline)} is running (${busy.done}/${busy.total} sets): one sweep at a time; stop it or wait for it to finish`, { field: 'pipeline' });
    }
    const { plan, kind, file, yaml } = this.pipelines.compile(request.pipeline);
    if (kind !== 'fork') {
      const what = kind === 'canonical' ? 'the locked canonical pipeline' : 'a shipped example';
      throw new BarflowError('sweep.not-fork', `${quote(plan.name)} is ${what}: it cannot be swept directly. Fork it first, then sweep the fork`, { field: 'pipeline' }, request.pipeline);
    }
    if (plan.locked) throw lockedSweepRefusal(plan, basename(file));
    const specFile = parseSpecObject(
      stripUndefined({ params: request.params, method: request.method, objective: request.objective, maxDrawdown: request.maxDrawdown, seed: request.seed, samples: request.samples, population: request.population, generations: request.generations }),
      '',
    );
    const spec = buildSpec(specFile, {});
    checkSpecAgainstPlan(spec, plan);
    const search = new Search(plan, spec, yaml);
    const total = search.expectedSets();
    if (total > MAX_SWEEP_SETS) {
      const sizes = spec.params.map((p) => `${p.name}: ${p.values.length}`).join(' × ');
      const what = spec.method === 'grid' ? `the grid has ${total.toLocaleString('en-US')} parameter sets (${sizes})` : `population × generations is ${total.toLocaleString('en-US')} sets`;
      throw new BarflowError('sweep.too-many', `${what}, above the editor's limit of ${MAX_SWEEP_SETS.toLocaleString('en-US')}: narrow the ranges, coarsen the steps, or use random search with fewer samples (barflow sweep on the command line takes more)`, { field: 'params' }, total);
    }
    search.prepare(); // grid and random: every set checked as a whole before any run
    const dataPath = request.data === undefined ? undefined : this.dataStore.file(request.data);
    const data = request.data === undefined ? this.pipelineData(plan) : this.dataStore.load(request.data);
    runRange(plan, data, request.from, request.to); // a range without bars is refused now, not in a worker

    const id = randomBytes(8).toString('hex');
    const init: ContextInit = { file, text: yaml, data: dataPath };
    const workers = Math.max(1, Math.min(this.options.workers ?? availableParallelism() - 1, total));
    const evaluator = new StoppableEvaluator(this.options.evaluator?.(init, workers) ?? new WorkerPoolEvaluator(init, workers));
    const job = new SweepJob({ id, pipeline: plan.name, pipelineHash: pipelineHash(plan), file, text: yaml, plan, spec, dataFile: basename(data.file), total });
    this.sweeps.set(id, job);
    this.forgetOld();
    job.ended = job.run(search, evaluator, { from: request.from, to: request.to });
    return job;
  }

  stop(id: string): SweepJob {
    const job = this.require(id);
    job.stop();
    return job;
  }

  /** Stops every running sweep; resolves once their worker threads have ended. */
  async stopAll(): Promise<void> {
    for (const s of this.sweeps.values()) s.stop();
    await Promise.all([...this.sweeps.values()].map((s) => s.ended));
  }

  /**
   * A finished sweep's row (by rank) as a new fork of the swept pipeline: forked through the store,
   * the row's values written into its YAML where each param is written (comments and layout kept),
   * then checked — every node's params must be exactly those the row was evaluated with — and saved.
   * Nothing is left behind when a step fails.
   */
  forkRow(id: string, rank: number, name: string): PipelineSummary {
    const job = this.require(id);
    if (job.state !== 'done') throw new BarflowError('sweep.not-done', `sweep ${id} is ${job.state}: only a finished sweep's rows can be opened as forks`, { field: 'id' }, id);
    const row = job.rows.find((r) => r.rank === rank);
    if (row === undefined) throw new BarflowError('sweep.row', `sweep ${id} has no row ranked ${rank} (ranks 1 to ${job.rows.length})`, { field: 'row' }, rank);
    const current = this.pipelines.compile(job.pipeline);
    if (pipelineHash(current.plan) !== job.pipelineHash) {
      throw new BarflowError('sweep.stale', `${quote(job.pipeline)} has changed since it was swept: its rows no longer describe it. Sweep it again to open a row`, { field: 'pipeline' }, job.pipeline);
    }
    const overrides = overridesOf(job.spec.params, row.point);
    const expected = compilePipelineText(job.text, job.file, this.registry, { overrides });
    const summary = this.pipelines.fork(job.pipeline, name);
    const { file } = this.pipelines.require(summary.name);
    try {
      let text = readFileSync(file, 'utf8');
      for (const o of overrides) {
        try {
          text = editParam(text, o.node, o.param, o.value).text;
        } catch (error) {
          if (!(error instanceof ParamEditError)) throw error;
          throw new BarflowError('sweep.fork-edit', `cannot write ${o.text} into the YAML: ${error.message}`, { node: o.node, param: o.param }, o.value);
        }
      }
      const written = compilePipelineText(text, file, this.registry);
      const changed = differingNodes(expected, written);
      if (changed.length > 0) {
        throw new BarflowError(
          'sweep.fork-params',
          `writing ${overrides.map((o) => o.text).join(', ')} into the YAML would also change ${changed.map((n) => quote(n)).join(', ')} (a value shared through a sub-graph template or instance): the row cannot be written as it was evaluated`,
          { field: 'row' },
        );
      }
      const saved = this.pipelines.save(summary.name, text);
      if (!saved.ok) throw new BarflowError('sweep.fork-invalid', `the fork with the row's values does not validate: ${saved.problems.map((p) => p.formatted).join('; ')}`, { field: 'row' });
    } catch (error) {
      unlinkSync(file);
      throw error;
    }
    const out = this.pipelines.list().find((p) => p.name === summary.name);
    if (out === undefined) throw new BarflowError('pipeline.not-found', `the new fork ${quote(summary.name)} disappeared`, { field: 'name' });
    return out;
  }

  /** The pipeline's own candle file (its feed's `file`), loaded once per file version. */
  private pipelineData(plan: CompiledPipeline): CandleSeries {
    const probe = loadPipelineDataPath(plan);
    const mtimeMs = probe === null ? -1 : statSync(probe, { throwIfNoEntry: false })?.mtimeMs ?? -1;
    const cached = probe === null ? undefined : this.ownData.get(probe);
    if (cached !== undefined && cached.mtimeMs === mtimeMs) return cached.series;
    const series = loadPipelineData(plan);
    if (probe !== null && mtimeMs >= 0) {
      this.ownData.clear(); // one file kept: the sweeps of one session usually read one
      this.ownData.set(probe, { mtimeMs, series });
    }
    return series;
  }

  private forgetOld(): void {
    if (this.sweeps.size <= MAX_SWEEPS) return;
    for (const [id, s] of this.sweeps) {
      if (this.sweeps.size <= MAX_SWEEPS) break;
      if (s.state !== 'running') this.sweeps.delete(id);
    }
  }
}

/** The path loadPipelineData reads for a plan without a data override (null when it cannot tell). */
function loadPipelineDataPath(plan: CompiledPipeline): string | null {
  const feed = plan.nodes[plan.candleSource];
  const file = (feed?.params as { file?: unknown } | undefined)?.file;
  return typeof file === 'string' ? resolveFromPipeline(plan, file) : null;
}

/** Node ids whose params differ between two compiled plans (or that only one of them has). */
function differingNodes(a: CompiledPipeline, b: CompiledPipeline): string[] {
  const out: string[] = [];
  for (const node of a.nodes) {
    const other = b.byId.get(node.id);
    if (other === undefined || canonicalJson(node.params) !== canonicalJson(other.params)) out.push(node.id);
  }
  for (const node of b.nodes) if (!a.byId.has(node.id)) out.push(node.id);
  return out;
}

function stripUndefined<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

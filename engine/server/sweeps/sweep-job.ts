import { BarflowError, BarflowErrors } from '../../core/errors.ts';
import type { CompiledPipeline } from '../../pipeline/plan.ts';
import type { EvalRange } from '../../sweep/evaluate.ts';
import { gridSize } from '../../sweep/methods.ts';
import type { RankedRow } from '../../sweep/objective.ts';
import { paramTexts } from '../../sweep/results.ts';
import { Progress, type Search } from '../../sweep/sweep.ts';
import type { SweepSpec } from '../../sweep/spec.ts';
import { problemsOf, withoutServerPaths } from '../pipelines/graph-view.ts';
import type { SweepDetail, SweepRow, SweepState, SweepStatus } from '../protocol/rest.ts';
import type { StoppableEvaluator } from './stoppable-evaluator.ts';

export interface SweepJobInit {
  id: string;
  pipeline: string;
  pipelineHash: string;
  /** the swept pipeline's file and text, as swept (a row opened as a fork is checked against them) */
  file: string;
  text: string;
  plan: CompiledPipeline;
  spec: SweepSpec;
  dataFile: string;
  /** the sets the search will evaluate (at most, for genetic) */
  total: number;
}

/**
 * One sweep the server runs: its search (grid, random or genetic, the same `Search` as `barflow
 * sweep`) evaluated by worker threads, its progress, and — once done — its ranked rows.
 */
export class SweepJob {
  readonly id: string;
  readonly pipeline: string;
  readonly pipelineHash: string;
  readonly file: string;
  readonly text: string;
  readonly plan: CompiledPipeline;
  readonly spec: SweepSpec;
  readonly dataFile: string;
  readonly started = Date.now();
  state: SweepState = 'running';
  done = 0;
  total: number;
  finished: number | null = null;
  error: string | null = null;
  rows: RankedRow[] = [];
  workers = 0;
  /** settles when the run has ended and its threads are gone */
  ended: Promise<void> = Promise.resolve();
  private evaluator: StoppableEvaluator | null = null;

  constructor(init: SweepJobInit) {
    this.id = init.id;
    this.pipeline = init.pipeline;
    this.pipelineHash = init.pipelineHash;
    this.file = init.file;
    this.text = init.text;
    this.plan = init.plan;
    this.spec = init.spec;
    this.dataFile = init.dataFile;
    this.total = init.total;
  }

  /** Runs the search to its end (or until stopped); never throws: a failure becomes the job's state. */
  async run(search: Search, evaluator: StoppableEvaluator, range: EvalRange): Promise<void> {
    this.evaluator = evaluator;
    this.workers = evaluator.workers;
    const progress = new Progress(this.total, (done, total) => {
      if (this.state !== 'running') return;
      this.done = done;
      this.total = total;
    });
    try {
      const rows = await search.run(evaluator, range, progress);
      if (evaluator.isStopped) {
        this.state = 'stopped';
      } else {
        progress.finish();
        this.rows = rows;
        this.state = 'done';
      }
    } catch (error) {
      if (evaluator.isStopped) this.state = 'stopped';
      else {
        this.state = 'failed';
        this.error = errorText(error);
      }
    } finally {
      this.finished = Date.now();
      await evaluator.close().catch(() => {});
      this.evaluator = null;
    }
  }

  /** Stops a running sweep (its worker threads are terminated); a finished one is left as it is. */
  stop(): void {
    if (this.state !== 'running') return;
    this.evaluator?.stop();
  }

  status(): SweepStatus {
    const params = this.spec.params;
    return {
      id: this.id,
      pipeline: this.pipeline,
      pipelineHash: this.pipelineHash,
      state: this.state,
      done: this.done,
      total: this.total,
      started: this.started,
      finished: this.finished,
      error: this.error,
      method: this.spec.method,
      objective: this.spec.objective,
      maxDrawdown: this.spec.maxDrawdown,
      gridSize: gridSize(params),
      workers: this.workers,
      dataFile: this.dataFile,
      params: params.map((p) => ({ name: p.name, node: p.node, param: p.param, values: p.values.map((v) => v.text) })),
    };
  }

  detail(): SweepDetail {
    const status = this.status();
    return { ...status, rows: this.rows.map((r) => this.row(r)) };
  }

  row(r: RankedRow): SweepRow {
    return { rank: r.rank, index: r.index, point: [...r.point], values: paramTexts(this.spec.params, r.point), objective: objectiveJson(r.objective), metrics: { ...r.metrics } };
  }
}

/** JSON has no ±Infinity or NaN: they travel as text, as in sweep.json. */
export function objectiveJson(value: number): SweepRow['objective'] {
  return Number.isFinite(value) ? value : (String(value) as 'Infinity' | '-Infinity' | 'NaN');
}

export function errorText(error: unknown): string {
  if (error instanceof BarflowError || error instanceof BarflowErrors) return problemsOf(error).map((p) => p.formatted).join('\n');
  return withoutServerPaths(error instanceof Error ? error.message : String(error));
}

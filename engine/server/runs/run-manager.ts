import { randomBytes } from 'node:crypto';
import { BarflowError, quote } from '../../core/errors.ts';
import type { NodeRegistry } from '../../core/node-definition.ts';
import { compilePipelineText } from '../../pipeline/compile.ts';
import { lockedRefusal, lockPathFor, readLock, staticLockProblems } from '../../pipeline/lock.ts';
import { parseOverride } from '../../pipeline/overrides.ts';
import { loadPipelineData } from '../../run/backtest.ts';
import type { ServerMetrics } from '../metrics.ts';
import type { PipelineStore } from '../pipelines/pipeline-store.ts';
import type { RunRequest, RunStatus } from '../protocol/rest.ts';
import type { StreamHub } from '../stream/stream-hub.ts';
import type { DataStore } from './data-store.ts';
import { RunSession } from './run-session.ts';

/** Most runs kept; the oldest finished ones are forgotten first. */
const MAX_RUNS = 20;

/** Starts runs (the same compile, lock and data checks as `barflow run`) and keeps them addressable by id. */
export class RunManager {
  private readonly runs = new Map<string, RunSession>();
  private lastProgress = 0;
  hub: StreamHub | null = null;

  constructor(
    private readonly pipelines: PipelineStore,
    private readonly dataStore: DataStore,
    private readonly registry: NodeRegistry,
    private readonly metrics: ServerMetrics,
  ) {}

  get(id: string): RunSession | undefined {
    return this.runs.get(id);
  }

  require(id: string): RunSession {
    const run = this.runs.get(id);
    if (run === undefined) throw new BarflowError('run.not-found', `no run ${quote(id)}`, { field: 'id' }, id);
    return run;
  }

  list(): RunStatus[] {
    return [...this.runs.values()].map((r) => r.status());
  }

  start(request: RunRequest): RunSession {
    const { file, yaml } = this.pipelines.compile(request.pipeline);
    const overrides = request.set.map(parseOverride);
    const plan = compilePipelineText(yaml, file, this.registry, { overrides });
    if (plan.locked && overrides.length > 0) throw new BarflowError('run.locked', `${plan.name} is locked: params cannot be overridden; fork it first`, { file });
    if (plan.locked) {
      const problems = staticLockProblems(plan, readLock(lockPathFor(file)));
      if (problems.length > 0) throw lockedRefusal(plan, problems);
    }
    const data = request.data === undefined ? loadPipelineData(plan) : this.dataStore.load(request.data);
    const id = randomBytes(8).toString('hex');
    const session = new RunSession(id, request, plan, data, {
      onStatus: (status) => {
        this.hub?.broadcastStatus({ type: 'status', run: status });
        this.metrics.runsActive.set(this.list().filter((r) => r.state === 'running' || r.state === 'paused').length);
      },
      onBars: (s) => {
        this.hub?.flush(s.id);
        // progress for status bars, at most four times a second
        const now = Date.now();
        if (now - this.lastProgress > 250) {
          this.lastProgress = now;
          this.hub?.broadcastStatus({ type: 'status', run: s.status() });
        }
      },
      onCommitted: (count) => this.metrics.barsProcessed.inc(count),
      onNodeTime: (type, seconds) => this.metrics.nodeSeconds.observe({ type }, seconds),
    });
    this.runs.set(id, session);
    this.forgetOld();
    this.metrics.runsStarted.inc({ mode: request.mode });
    session.start();
    return session;
  }

  stopAll(): void {
    for (const run of this.runs.values()) run.control({ action: 'stop' });
  }

  private forgetOld(): void {
    if (this.runs.size <= MAX_RUNS) return;
    for (const [id, run] of this.runs) {
      if (this.runs.size <= MAX_RUNS) break;
      if (run.state !== 'running' && run.state !== 'paused') this.runs.delete(id);
    }
  }
}

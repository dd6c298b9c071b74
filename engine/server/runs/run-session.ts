import { barTape, columnValue, evaluateColumns, initialValue, type BarTape, type NodeColumns } from '../../batch/columns.ts';
import { tradingNodes } from '../../batch/trading-plan.ts';
import type { CandleSeries } from '../../data/candles-csv.ts';
import { IncrementalRunner, type RunnerSnapshot } from '../../incremental/runner.ts';
import { pipelineHash } from '../../pipeline/normalise.ts';
import type { CompiledPipeline } from '../../pipeline/plan.ts';
import { barOf, createVenue, runRange, type BacktestResult, type RunRange } from '../../run/backtest.ts';
import { fmtMoney } from '../../venues/paper/money.ts';
import { PaperVenue } from '../../venues/paper/paper-venue.ts';
import type { Venue } from '../../venues/venue.ts';
import { withoutServerPaths } from '../pipelines/graph-view.ts';
import type { RunControl, RunRequest, RunState, RunStatus } from '../protocol/rest.ts';

/** Called after every committed bar while someone listens (the stream hub). */
export type BarListener = (session: RunSession, index: number) => void;

export interface SessionHooks {
  onStatus(status: RunStatus): void;
  onBars(session: RunSession): void;
  onCommitted(count: number): void;
  onNodeTime(type: string, seconds: number): void;
}

const TICK_BUDGET_MS = 8;
const REPLAY_TICK_MS = 20;
const SNAPSHOT_EVERY = 2048;
/**
 * Node times are sampled on every 251st bar. A prime stride: with a power of two (every 256th bar)
 * the sampled 5m bars never land on the bar that closes a 30m, 1h or 4h candle (256 shares factors
 * with 6, 12 and 48), so every node on a resampled clock went unmeasured.
 */
const SAMPLE_EVERY = 251;

/**
 * One run on the server: a backtest (as fast as it goes) or a replay at a chosen speed, with pause,
 * step and stop. It commits bars in slices of a few milliseconds so the server stays responsive,
 * and keeps a runner snapshot every 2048 bars so the editor can ask for every node's value at any
 * past bar, or a node's history, by replaying a short stretch from the nearest snapshot.
 */
export class RunSession {
  readonly id: string;
  readonly spec: RunRequest;
  readonly plan: CompiledPipeline;
  readonly data: CandleSeries;
  readonly hash: string;
  readonly range: RunRange;
  private readonly runner: IncrementalRunner;
  private readonly venue: Venue | null;
  private readonly snapshots: { index: number; snapshot: RunnerSnapshot }[] = [];
  private readonly tradingNodes: Set<number>;
  private columnCache: { upTo: number; tape: BarTape; columns: Map<number, NodeColumns> } | null = null;
  private readonly listeners = new Set<BarListener>();
  private next: number;
  private stateValue: RunState;
  private errorText: string | null = null;
  private timer: NodeJS.Timeout | NodeJS.Immediate | null = null;
  private speed: number;
  private credit = 0;
  private lastTick = 0;
  private stepsLeft = 0;

  constructor(id: string, spec: RunRequest, plan: CompiledPipeline, data: CandleSeries, private readonly hooks: SessionHooks) {
    this.id = id;
    this.spec = spec;
    this.plan = plan;
    this.data = data;
    this.hash = pipelineHash(plan);
    this.range = runRange(plan, data, spec.from, spec.to);
    this.venue = createVenue(plan);
    this.runner = new IncrementalRunner(plan, { venue: this.venue });
    this.next = this.range.start;
    this.tradingNodes = tradingNodes(plan);
    this.speed = spec.mode === 'replay' ? spec.speed : 0;
    this.stateValue = spec.paused ? 'paused' : 'running';
    this.snapshots.push({ index: this.range.start - 1, snapshot: this.runner.snapshot() });
  }

  get state(): RunState {
    return this.stateValue;
  }

  /** Data index of the last committed bar (range.start − 1 before the first). */
  get lastIndex(): number {
    return this.next - 1;
  }

  get liveRunner(): IncrementalRunner {
    return this.runner;
  }

  listen(listener: BarListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(): void {
    this.lastTick = performance.now();
    if (this.stateValue === 'running') this.schedule(0);
    this.hooks.onStatus(this.status());
  }

  control(c: RunControl): RunStatus {
    if (this.stateValue === 'done' || this.stateValue === 'stopped' || this.stateValue === 'failed') return this.status();
    switch (c.action) {
      case 'pause':
        this.stateValue = 'paused';
        this.cancel();
        break;
      case 'resume':
        this.stateValue = 'running';
        this.stepsLeft = 0;
        this.lastTick = performance.now();
        this.credit = 0;
        this.schedule(0);
        break;
      case 'step':
        this.stateValue = 'paused';
        this.cancel();
        try {
          this.commitBars(c.bars ?? 1);
        } catch (error) {
          this.fail(error);
        }
        this.hooks.onBars(this);
        break;
      case 'speed':
        this.speed = c.speed ?? this.speed;
        break;
      case 'stop':
        this.cancel();
        this.stateValue = 'stopped';
        break;
    }
    const status = this.status();
    this.hooks.onStatus(status);
    return status;
  }

  status(): RunStatus {
    const venue = this.venue instanceof PaperVenue ? this.venue : null;
    return {
      id: this.id,
      pipeline: this.plan.name,
      pipelineHash: this.hash,
      mode: this.spec.mode,
      speed: this.speed,
      state: this.stateValue,
      barsDone: this.next - this.range.start,
      barsTotal: this.range.lastIndex - this.range.start + 1,
      lastTime: this.next > this.range.start ? this.data.time[this.next - 1]! : null,
      dataFile: this.data.file.split('/').pop()!,
      error: this.errorText,
      trades: venue?.ledger.trades.length ?? 0,
      equity: venue === null ? null : fmtMoney(venue.equity),
    };
  }

  /** What reports need, for the bars committed so far. */
  result(): BacktestResult {
    return { plan: this.plan, data: this.data, venue: this.venue, startIndex: this.range.start, firstIndex: this.range.firstIndex, lastIndex: Math.max(this.range.firstIndex, this.next - 1), warmupBars: this.range.warmupBars, values: null };
  }

  /** Every node's outputs after bar `index` (already committed), replayed from the nearest snapshot. */
  valuesAt(index: number): Record<string, Record<string, unknown>> {
    const runner = this.replayTo(index);
    const out: Record<string, Record<string, unknown>> = {};
    this.plan.nodes.forEach((n, k) => (out[n.id] = { ...runner.outputsOf(k) }));
    return out;
  }

  /**
   * The outputs of some nodes over [from, to] (data indices), at most `maxPoints` rows (evenly
   * strided). Signal nodes are computed node-major over the committed bars (the batch executor's
   * columns: only the nodes they depend on, not the whole graph); nodes that read the account need
   * the venue, so they are replayed from the nearest snapshot.
   */
  history(nodeIndices: readonly number[], from: number, to: number, maxPoints: number): { index: number[]; time: number[]; values: Record<string, unknown[]> } {
    if (nodeIndices.every((k) => !this.tradingNodes.has(k))) return this.signalHistory(nodeIndices, from, to, maxPoints);
    return this.replayHistory(nodeIndices, from, to, maxPoints);
  }

  private signalHistory(nodeIndices: readonly number[], from: number, to: number, maxPoints: number) {
    const last = Math.min(to, this.next - 1);
    const first = Math.max(from, this.range.start);
    const stride = Math.max(1, Math.ceil((last - first + 1) / maxPoints));
    const index: number[] = [];
    const time: number[] = [];
    const values: Record<string, unknown[]> = {};
    if (last < first) {
      for (const k of nodeIndices) for (const port of Object.keys(this.plan.nodes[k]!.def.outputs)) values[`${this.plan.nodes[k]!.id}.${port}`] = [];
      return { index, time, values };
    }
    const columns = this.signalColumns(nodeIndices);
    for (let i = first; i <= last; i += stride) index.push(i);
    if (index[index.length - 1] !== last) index.push(last);
    for (const i of index) time.push(this.data.time[i]!);
    for (const k of nodeIndices) {
      const col = columns.get(k)!;
      const id = this.plan.nodes[k]!.id;
      for (const port of Object.keys(col.outputs)) {
        const out: unknown[] = [];
        let c = -1;
        for (const i of index) {
          while (c + 1 < col.count && col.fired[c + 1]! <= i) c++;
          out.push(c < 0 ? initialValue(col.types[port]!) : columnValue(col.outputs[port]!, c));
        }
        values[`${id}.${port}`] = out;
      }
    }
    return { index, time, values };
  }

  /** Columns of the requested signal nodes and everything they read, over the committed bars (cached). */
  private signalColumns(nodeIndices: readonly number[]): Map<number, NodeColumns> {
    const last = this.next - 1;
    if (this.columnCache === null || this.columnCache.upTo !== last) this.columnCache = { upTo: last, tape: barTape(this.data, this.range.start, last), columns: new Map() };
    const cache = this.columnCache;
    const needed = new Set<number>();
    const visit = (k: number) => {
      if (needed.has(k) || cache.columns.has(k)) return;
      needed.add(k);
      for (const u of this.plan.nodes[k]!.upstream) visit(u);
    };
    for (const k of nodeIndices) visit(k);
    for (const k of [...needed].sort((a, b) => a - b)) {
      const node = this.plan.nodes[k]!;
      cache.columns.set(k, evaluateColumns(node, node.params, cache.columns, cache.tape));
    }
    return cache.columns;
  }

  private replayHistory(nodeIndices: readonly number[], from: number, to: number, maxPoints: number): { index: number[]; time: number[]; values: Record<string, unknown[]> } {
    const last = Math.min(to, this.next - 1);
    const first = Math.max(from, this.range.start);
    const stride = Math.max(1, Math.ceil((last - first + 1) / maxPoints));
    const columns: Record<string, unknown[]> = {};
    const ports = nodeIndices.map((k) => ({ k, id: this.plan.nodes[k]!.id, ports: Object.keys(this.plan.nodes[k]!.def.outputs) }));
    for (const p of ports) for (const port of p.ports) columns[`${p.id}.${port}`] = [];
    const index: number[] = [];
    const time: number[] = [];
    if (last < first) return { index, time, values: columns };
    const runner = this.replayTo(first - 1);
    for (let i = first; i <= last; i++) {
      runner.push(barOf(this.data, i), i === this.range.start ? 0 : this.data.gapBefore[i]!, i >= this.range.firstIndex);
      if ((i - first) % stride !== 0 && i !== last) continue;
      index.push(i);
      time.push(this.data.time[i]!);
      for (const p of ports) {
        const outputs = runner.outputsOf(p.k);
        for (const port of p.ports) columns[`${p.id}.${port}`]!.push(outputs[port]);
      }
    }
    return { index, time, values: columns };
  }

  private replayTo(index: number): IncrementalRunner {
    if (index > this.next - 1) throw new RangeError(`bar ${index} has not been committed yet (last is ${this.next - 1})`);
    let base = this.snapshots[0]!;
    for (const s of this.snapshots) if (s.index <= index) base = s;
    const runner = new IncrementalRunner(this.plan, { venue: createVenue(this.plan) });
    runner.restore(base.snapshot);
    for (let i = base.index + 1; i <= index; i++) runner.push(barOf(this.data, i), i === this.range.start ? 0 : this.data.gapBefore[i]!, i >= this.range.firstIndex);
    return runner;
  }

  /** A node or venue that throws ends the run as failed, with the message kept for the editor. */
  private fail(error: unknown): void {
    this.cancel();
    this.stateValue = 'failed';
    this.errorText = withoutServerPaths(error instanceof Error ? error.message : String(error));
  }

  private schedule(delay: number): void {
    if (this.timer !== null) return;
    this.timer = delay === 0 && this.speed === 0 ? setImmediate(() => this.tick()) : setTimeout(() => this.tick(), delay);
  }

  private cancel(): void {
    if (this.timer === null) return;
    clearTimeout(this.timer as NodeJS.Timeout);
    clearImmediate(this.timer as NodeJS.Immediate);
    this.timer = null;
  }

  private tick(): void {
    this.timer = null;
    if (this.stateValue !== 'running') return;
    const now = performance.now();
    let quota = Infinity;
    if (this.speed > 0) {
      this.credit = Math.min(this.credit + ((now - this.lastTick) / 1000) * this.speed, this.speed);
      quota = Math.floor(this.credit);
      this.credit -= quota;
    }
    this.lastTick = now;
    try {
      this.commitBars(quota, now + TICK_BUDGET_MS);
    } catch (error) {
      this.fail(error);
    }
    this.hooks.onBars(this);
    if (this.next > this.range.lastIndex && this.stateValue === 'running') this.stateValue = 'done';
    if (this.stateValue === 'running') this.schedule(this.speed > 0 ? REPLAY_TICK_MS : 0);
    else this.hooks.onStatus(this.status());
  }

  /** Commits up to `count` bars, stopping early at the deadline or the end of the range. */
  private commitBars(count: number, deadline = Infinity): void {
    let done = 0;
    const listening = this.listeners.size > 0;
    while (done < count && this.next <= this.range.lastIndex) {
      const i = this.next;
      const timing = i % SAMPLE_EVERY === 0 ? (k: number, s: number) => this.hooks.onNodeTime(this.plan.nodes[k]!.def.type, s) : undefined;
      this.runner.push(barOf(this.data, i), i === this.range.start ? 0 : this.data.gapBefore[i]!, i >= this.range.firstIndex, timing);
      this.next++;
      done++;
      if (listening) for (const l of this.listeners) l(this, i);
      if ((i - this.range.start + 1) % SNAPSHOT_EVERY === 0) this.snapshots.push({ index: i, snapshot: this.runner.snapshot() });
      if ((done & 63) === 0 && performance.now() > deadline) break;
    }
    if (this.next > this.range.lastIndex && this.stateValue !== 'stopped') this.stateValue = 'done';
    this.hooks.onCommitted(done);
  }
}

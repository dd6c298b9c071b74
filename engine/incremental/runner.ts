import type { AnyNodeDefinition, StepContext } from '../core/node-definition.ts';
import { cloneState } from '../core/state-clone.ts';
import type { AccountView, Bar, VenuePort } from '../core/trading.ts';
import type { CompiledPipeline } from '../pipeline/plan.ts';
import type { Venue } from '../venues/venue.ts';
import { compileCommit, type CommitFn } from './compiled-commit.ts';

/** Everything needed to resume a run exactly where it was: plain data plus the venue's own. */
export interface RunnerSnapshot {
  index: number;
  /** open time of the bar at `index` (so `runner.time` is right after a restore) */
  time: number;
  states: unknown[];
  outputs: Record<string, unknown>[];
  firedAt: number[];
  venue: unknown;
}

export type BarObserver = (runner: IncrementalRunner) => void;

interface Binding {
  port: string;
  many: boolean;
  sources: { node: number; port: string }[];
  /** reused array for `many` inputs */
  buffer: unknown[];
}

class MutableContext implements StepContext {
  index = -1;
  time = 0;
  bar: Bar = { time: 0, open: NaN, high: NaN, low: NaN, close: NaN, volume: NaN, interval: 0, complete: true };
  gapBefore = 0;
  account: AccountView | null = null;
  venue: VenuePort | null = null;
  trading = true;
}

/**
 * The per-bar executor (replay, paper, live): one bar is one commit. Nodes run in topological
 * order; a node runs only when one of its inputs fired this bar, so a 4h indicator steps once per
 * closed 4h bar although the clock is 5m. Outputs of any node can be read after each bar.
 */
export class IncrementalRunner {
  readonly plan: CompiledPipeline;
  private readonly defs: AnyNodeDefinition[];
  private readonly params: unknown[];
  private states: unknown[];
  private outputs: Record<string, unknown>[];
  private readonly inputs: Record<string, unknown>[];
  private readonly bindings: Binding[][];
  private readonly upstream: Int32Array[];
  private readonly isSource: boolean[];
  private firedAt: Int32Array;
  private readonly ctx = new MutableContext();
  private readonly venue: Venue | null;
  private readonly observers: BarObserver[] = [];
  private lastSnapshot: RunnerSnapshot | null = null;
  private readonly replaceable: boolean;

  /** the plan-specialised commit (see compiled-commit.ts); null runs the generic loop below */
  private readonly commitFn: CommitFn | null;

  constructor(plan: CompiledPipeline, options: { venue?: Venue | null; replaceable?: boolean; interpret?: boolean } = {}) {
    this.plan = plan;
    this.venue = options.venue ?? null;
    this.replaceable = options.replaceable ?? false;
    this.ctx.venue = this.venue;
    this.defs = plan.nodes.map((n) => n.def);
    this.params = plan.nodes.map((n) => n.params);
    this.states = plan.nodes.map((n) => n.def.init(n.params));
    this.outputs = plan.nodes.map((n) => initialOutputs(n.def));
    this.inputs = plan.nodes.map(() => ({}));
    this.bindings = plan.nodes.map((n) =>
      n.inputs.map((input) => ({ port: input.port, many: input.spec.many === true, sources: input.sources, buffer: new Array(input.sources.length) })),
    );
    this.upstream = plan.nodes.map((n) => Int32Array.from(n.upstream));
    this.isSource = plan.nodes.map((n) => n.def.role === 'candles' || n.def.role === 'account');
    this.firedAt = new Int32Array(plan.nodes.length).fill(-1);
    plan.nodes.forEach((n, k) => {
      for (const b of this.bindings[k]!) {
        if (b.sources.length === 0) this.inputs[k]![b.port] = b.many ? [] : undefined;
        else if (b.many) this.inputs[k]![b.port] = b.buffer;
      }
    });
    const buffers = this.bindings.map((row) => row.map((b) => (b.many && b.sources.length > 0 ? b.buffer : null)));
    this.commitFn = options.interpret ? null : compileCommit(plan, this.defs, this.params, this.inputs, buffers);
  }

  /** Index of the last committed bar (-1 before the first). */
  get index(): number {
    return this.ctx.index;
  }

  get time(): number {
    return this.ctx.time;
  }

  get account(): AccountView | null {
    return this.ctx.account;
  }

  onBar(observer: BarObserver): () => void {
    this.observers.push(observer);
    return () => {
      // a second call must not remove another observer (indexOf -1 would splice the last one)
      const at = this.observers.indexOf(observer);
      if (at >= 0) this.observers.splice(at, 1);
    };
  }

  /**
   * Commit one base bar. `trading: false` warms nodes up without letting executors trade.
   * With `timing`, this bar runs through the generic loop and reports each node's step time
   * (the server samples this for its per-node metrics; it never changes results).
   */
  push(bar: Bar, gapBefore = 0, trading = true, timing?: (node: number, seconds: number) => void): void {
    if (this.replaceable) this.lastSnapshot = this.snapshot();
    this.venue?.settleBar(bar, gapBefore, trading);
    this.commit(this.ctx.index + 1, bar, gapBefore, trading, timing);
  }

  /**
   * For the batch executor, which settles the venue itself on every bar and runs the graph only on
   * the bars where something can happen (engine/batch/quiet-bars.ts): commits bar number `index`
   * (counted from the first bar fed, skipped ones included) without settling the venue again.
   */
  pushSettled(bar: Bar, gapBefore: number, trading: boolean, index: number): void {
    this.commit(index, bar, gapBefore, trading);
  }

  private commit(index: number, bar: Bar, gapBefore: number, trading: boolean, timing?: (node: number, seconds: number) => void): void {
    const ctx = this.ctx;
    ctx.index = index;
    ctx.time = bar.time;
    ctx.bar = bar;
    ctx.gapBefore = gapBefore;
    ctx.trading = trading;
    if (this.venue !== null) ctx.account = this.venue.account();
    if (this.commitFn !== null && timing === undefined) this.commitFn(index, ctx, this.states, this.outputs, this.firedAt);
    else this.interpretCommit(index, timing);
    for (const observer of this.observers) observer(this);
  }

  /** The generic commit: the same semantics as the generated one, kept for tests and environments without eval. */
  private interpretCommit(index: number, timing?: (node: number, seconds: number) => void): void {
    const ctx = this.ctx;
    const firedAt = this.firedAt;
    const n = this.defs.length;
    for (let k = 0; k < n; k++) {
      if (!this.isSource[k]) {
        const up = this.upstream[k]!;
        let dirty = false;
        for (let u = 0; u < up.length; u++) {
          if (firedAt[up[u]!] === index) {
            dirty = true;
            break;
          }
        }
        if (!dirty) continue;
        this.gather(k);
      }
      if (timing === undefined) {
        if (this.defs[k]!.step(this.states[k], this.inputs[k], this.outputs[k], this.params[k], ctx)) firedAt[k] = index;
      } else {
        const t0 = performance.now();
        const fired = this.defs[k]!.step(this.states[k], this.inputs[k], this.outputs[k], this.params[k], ctx);
        timing(k, (performance.now() - t0) / 1000);
        if (fired) firedAt[k] = index;
      }
    }
  }

  /**
   * Replace the last committed bar (a still-forming candle that changed): the state from before
   * it is restored, then the new version is committed. Needs `replaceable: true`.
   */
  replaceLast(bar: Bar, gapBefore = 0, trading = true): void {
    if (!this.replaceable || this.lastSnapshot === null) throw new Error('replaceLast needs a runner created with replaceable: true and a bar to replace');
    this.restore(this.lastSnapshot);
    this.push(bar, gapBefore, trading);
  }

  private gather(k: number): void {
    const target = this.inputs[k]!;
    const outputs = this.outputs;
    for (const b of this.bindings[k]!) {
      if (b.many) {
        for (let s = 0; s < b.sources.length; s++) b.buffer[s] = outputs[b.sources[s]!.node]![b.sources[s]!.port];
        target[b.port] = b.buffer;
      } else if (b.sources.length === 1) {
        target[b.port] = outputs[b.sources[0]!.node]![b.sources[0]!.port];
      }
    }
  }

  /** Latest value of `nodeId.port` (held between firings). */
  value(nodeId: string, port: string): unknown {
    const node = this.plan.byId.get(nodeId);
    if (node === undefined) throw new Error(`unknown node "${nodeId}"`);
    return this.outputs[node.index]![port];
  }

  outputsOf(index: number): Readonly<Record<string, unknown>> {
    return this.outputs[index]!;
  }

  /** Did node `index` fire on the last committed bar? */
  fired(index: number): boolean {
    return this.firedAt[index] === this.ctx.index;
  }

  snapshot(): RunnerSnapshot {
    return {
      index: this.ctx.index,
      time: this.ctx.time,
      states: cloneState(this.states),
      outputs: this.outputs.map((o) => ({ ...o })),
      firedAt: Array.from(this.firedAt),
      venue: this.venue?.snapshot() ?? null,
    };
  }

  restore(snapshot: RunnerSnapshot): void {
    this.ctx.index = snapshot.index;
    this.ctx.time = snapshot.time;
    this.states = cloneState(snapshot.states);
    this.outputs = snapshot.outputs.map((o) => ({ ...o }));
    this.firedAt = Int32Array.from(snapshot.firedAt);
    if (this.venue !== null) {
      this.venue.restore(snapshot.venue);
      this.ctx.account = this.venue.account();
    }
  }
}

/** Before a node first fires, series read NaN, bools false, and everything else null. */
function initialOutputs(def: AnyNodeDefinition): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [port, spec] of Object.entries(def.outputs)) {
    out[port] = spec.type === 'series' ? NaN : spec.type === 'bool' ? false : spec.type === 'text' ? '' : null;
  }
  return out;
}

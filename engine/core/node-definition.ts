import type { z } from 'zod';
import type { PortMap } from './port-types.ts';
import type { AccountView, Bar, VenuePort } from './trading.ts';
import type { Venue } from '../venues/venue.ts';

/** What a venue factory may ask of the runtime: where files named in params live. */
export interface VenueEnvironment {
  resolvePath(path: string): string;
}

export const NODE_CATEGORIES = [
  'feed',
  'transform',
  'indicator',
  'signal',
  'scorer',
  'gate',
  'risk',
  'account',
  'executor',
] as const;
export type NodeCategory = (typeof NODE_CATEGORIES)[number];

/** What a node may see of the world at one bar. Nothing else: no clock, no network, no environment. */
export interface StepContext {
  /** index of the base bar being committed (0-based) */
  readonly index: number;
  /** open time of the base bar, ms UTC */
  readonly time: number;
  /** the base bar itself (source nodes publish it) */
  readonly bar: Bar;
  /** number of base bars missing right before this one (0 when contiguous) */
  readonly gapBefore: number;
  /** the account after this bar's fills; null when the pipeline has no venue */
  readonly account: AccountView | null;
  /** the execution port; null when the pipeline has no venue */
  readonly venue: VenuePort | null;
  /** false while warming up before the requested range: executors must not trade */
  readonly trading: boolean;
}

/**
 * Roles the runtime treats specially. Source nodes have no inputs and fire on every base bar.
 * There is one candle source per pipeline; its bars drive the clock.
 */
export type NodeRole = 'candles' | 'account' | 'executor';

export type Lookback<O> = number | Partial<Record<keyof O & string, number>>;

export interface NodeDefinition<P = any, S = any, I = any, O = any> {
  /** dotted lowercase id, e.g. `indicator.rsi` */
  readonly type: string;
  /** bump on any change of meaning: it is part of every lock */
  readonly version: number;
  readonly title: string;
  readonly category: NodeCategory;
  /** one line; the long help lives in the sibling .md */
  readonly summary: string;
  readonly params: z.ZodType<P>;
  readonly inputs: PortMap;
  readonly outputs: PortMap;
  /**
   * Lookback: how many firings of this node's inputs produce no valid output (TA-Lib's "lookback").
   * A number covers every output; a record gives it per output.
   */
  warmup(params: P): Lookback<O>;
  /**
   * Firings after which outputs no longer depend (beyond 1e-9 relative) on how much earlier
   * history was fed. Defaults to the warm-up; recursive smoothers (EMA, Wilder) need more.
   */
  settle?(params: P): number;
  /**
   * Outputs that depend on all history by nature (OBV's running total, an account's equity). The
   * compiler propagates this: whatever reads such an output depends on history too, unless its
   * definition is `historyInvariant`. The warm-up test exempts them.
   */
  readonly historyDependent?: readonly string[];
  /** reads history-dependent inputs only through their changes or relative levels (OBV vs its own average) */
  readonly historyInvariant?: boolean;
  /** inputs must come from one clock (one timeframe): mixing them is a compile error */
  readonly syncInputs?: boolean;
  /** for resamplers: the interval (ms) of the clock this node's outputs run on */
  outputInterval?(params: P): number;
  readonly role?: NodeRole;
  /**
   * Lets batch runs skip this node on bars where nothing it reacts to happened (see
   * engine/batch/quiet-bars.ts; without it the node runs on every bar). The author asserts: between
   * bars where one of `wakeInputs` gets a new value, stepping the node changes neither its state nor
   * anything it sends a venue. `volatile`: its outputs can change on any bar (with the account or the
   * clock), so a node waking on them could not skip. `everyBar`: in this venue state it must run on
   * every bar (managing an open position). `blockedBy`: a bool input (a gate's pass) such that on a
   * wake bar where one of its values is false and stays false until the next wake bar, stepping the
   * node then, or on any bar before that next wake, sends nothing a venue would act on, and skipping
   * that wake bar leaves it deciding later bars as it would have (an entry that needs every gate).
   */
  readonly quiet?: {
    readonly wakeInputs: readonly string[];
    readonly volatile?: boolean;
    readonly blockedBy?: string;
    everyBar?(params: P, venue: { inPosition: boolean; pending: boolean }): boolean;
  };
  /** params that hold file paths (relative to the pipeline file): a fork elsewhere rewrites them */
  readonly pathParams?: readonly string[];
  /**
   * Checks that need both params and wiring (a weight per input, say). `connections` gives the
   * number of sources wired to each input port. Returns a message, or undefined when fine.
   */
  check?(params: P, connections: Readonly<Record<string, number>>): string | undefined;
  /** Executors: the venue the runtime injects for this node's params (paper now, exchanges later). */
  createVenue?(params: P, env: VenueEnvironment): Venue;
  init(params: P): S;
  /**
   * One firing: read `inputs`, update `state` in place, write `out`, and return true when new
   * outputs were produced (false leaves the previous outputs standing and downstream nodes idle).
   * Objects written to `out` are never mutated afterwards.
   */
  step(state: S, inputs: I, out: O, params: P, ctx: StepContext): boolean;
  /**
   * Optional CPU batch kernel: the node over a whole firing sequence at once. `inputs[port][j]` is
   * the value of that input at the node's j-th firing (all inputs come from one clock: the batch
   * executor uses the kernel only when every input is one series wired from upstreams that fire
   * together); the result holds one Float64Array of the same length per output port, the value
   * published at each firing. Only for nodes with series outputs only, whose `step` fires on every
   * firing of its inputs and reads nothing of the context. It must equal looping `step` from
   * `init(params)` bit for bit (`Object.is` per value), NaN inputs included: where `step` skips a
   * NaN input without consuming it (and publishes NaN), so does the kernel. describeNodeContract
   * checks this on real data with injected NaN runs.
   */
  batch?(inputs: Readonly<Record<string, Float64Array>>, params: P): Record<string, Float64Array>;
  /**
   * Optional GPU batch: the node for MANY parameter sets over the same input columns in one gpu.js
   * call, in float32 (see engine/batch/gpu/ and docs/concepts/batch.md). Results agree with
   * `batch`/`step` within the stated GPU tolerance, not exactly, so the batch executor uses it only
   * when asked (`kernels: 'gpu'`), and winners are re-checked on the float64 CPU path.
   */
  readonly gpu?: GpuBatch<P>;
}

/**
 * How a node is computed on the GPU: a float64 preparation of its input columns on the host (shared
 * by every parameter set), then one of the generic gpu.js programs of engine/batch/gpu/programs.ts,
 * with numeric arguments per parameter set. The programs run one GPU thread per (parameter set,
 * output index); recurrences use a blocked scan (docs/concepts/batch.md).
 */
export interface GpuBatch<P = any> {
  /** the one output port the program computes (the node has no other outputs) */
  readonly output: string;
  /**
   * The program's input columns, computed in float64 from the node's input columns (rows with a NaN
   * input already removed: the node does not consume them). Moves and true ranges are formed here,
   * in double, so that float32 only rounds quantities of the size they are used at.
   */
  prepare(inputs: Readonly<Record<string, Float64Array>>): Float64Array[];
  /** the program and its arguments for one parameter set */
  program(params: P): GpuProgramCall;
}

/**
 * The generic programs (indices are into the prepared columns; before the first valid index the
 * output is NaN):
 * - `window-mean`: out[t] = mean of u[t − length + 1 .. t], for t ≥ from + length − 1;
 * - `smoother`: out[seedAt] = mean of u[seedAt − seedLength + 1 .. seedAt], then
 *   out[t] = out[t − 1] + gain · (u[t] − out[t − 1]) (EMA: gain 2/(period + 1); Wilder: 1/period);
 * - `wilder-ratio`: up and down columns (u[0] unused) smoothed by Wilder over `period`, each seeded
 *   at index `period` with the mean of its first `period` values; out = 100 · U / (U + D), 0 where
 *   U + D is 0 (RSI).
 */
export type GpuProgramCall =
  | { readonly name: 'window-mean'; readonly length: number; readonly from: number }
  | { readonly name: 'smoother'; readonly gain: number; readonly seedAt: number; readonly seedLength: number }
  | { readonly name: 'wilder-ratio'; readonly period: number };

export type AnyNodeDefinition = NodeDefinition<any, any, any, any>;

/** Identity at run time; it exists so TypeScript infers params from the zod schema. */
export function defineNode<Schema extends z.ZodType, S, I, O>(
  definition: NodeDefinition<z.output<Schema>, S, I, O> & { params: Schema },
): NodeDefinition<z.output<Schema>, S, I, O> {
  return Object.freeze(definition);
}

export function lookbackOf(def: AnyNodeDefinition, params: unknown, output: string): number {
  const lookback = def.warmup(params);
  if (typeof lookback === 'number') return lookback;
  const perOutput = (lookback as Record<string, number | undefined>)[output];
  return perOutput ?? 0;
}

export function maxLookback(def: AnyNodeDefinition, params: unknown): number {
  const lookback = def.warmup(params);
  if (typeof lookback === 'number') return lookback;
  return Math.max(0, ...Object.values(lookback as Record<string, number>));
}

export function settleOf(def: AnyNodeDefinition, params: unknown): number {
  return def.settle ? def.settle(params) : maxLookback(def, params);
}

/** A registry is a plain lookup: the engine never imports nodes/, the caller hands it one. */
export interface NodeRegistry {
  get(type: string): AnyNodeDefinition | undefined;
  types(): readonly string[];
}

export function createRegistry(definitions: readonly AnyNodeDefinition[]): NodeRegistry {
  const byType = new Map<string, AnyNodeDefinition>();
  for (const def of definitions) {
    if (byType.has(def.type)) throw new Error(`node type "${def.type}" is defined twice`);
    byType.set(def.type, def);
  }
  const sorted = [...byType.keys()].sort();
  return { get: (type) => byType.get(type), types: () => sorted };
}

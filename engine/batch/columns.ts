import type { StepContext } from '../core/node-definition.ts';
import type { AccountView, Bar, VenuePort } from '../core/trading.ts';
import type { CandleSeries } from '../data/candles-csv.ts';
import type { PlanNode } from '../pipeline/plan.ts';
import { barOf } from '../run/backtest.ts';

/**
 * A node's outputs over a whole run, stored only at the bars where it fired: `fired[j]` is the data
 * index of its j-th firing and `outputs[port][j]` the value it then published. Between firings its
 * value is held, exactly as the per-bar runner holds it.
 */
export interface NodeColumns {
  count: number;
  fired: Int32Array;
  /** series: Float64Array; bool: Uint8Array (0/1, read back as booleans); others: arrays of values */
  outputs: Record<string, Float64Array | Uint8Array | unknown[]>;
  /** port → port type, which also gives the value held before the first firing */
  types: Record<string, string>;
}

/** The bars of a run, as the objects nodes receive: made once, shared by every node and parameter set. */
export interface BarTape {
  data: CandleSeries;
  start: number;
  last: number;
  bars: Bar[];
}

export function barTape(data: CandleSeries, start: number, last: number): BarTape {
  const bars: Bar[] = new Array(last - start + 1);
  for (let i = start; i <= last; i++) bars[i - start] = barOf(data, i);
  return { data, start, last, bars };
}

class TapeContext implements StepContext {
  index = 0;
  time = 0;
  bar: Bar;
  gapBefore = 0;
  readonly account: AccountView | null = null;
  readonly venue: VenuePort | null = null;
  readonly trading = true;
  constructor(bar: Bar) {
    this.bar = bar;
  }
}

export interface EvaluateOptions {
  /** use the node's CPU batch kernel where it applies (default true); false loops `step` everywhere */
  kernels?: boolean;
}

/**
 * Runs one node over the whole tape (node-major), given its upstream nodes' columns: it fires on
 * every bar where any upstream fired (a source, on every bar), reading the upstream values held at
 * that bar. This is the per-bar runner's semantics, one node at a time, so a node with no batch
 * kernel runs its own `step` and gives the same values. A node with a CPU batch kernel whose inputs
 * all come from one firing sequence (kernelInputs) is computed by the kernel instead, which gives
 * exactly the same columns (its contract: batch ≡ looping step, bit for bit).
 */
export function evaluateColumns(node: PlanNode, params: unknown, upstream: ReadonlyMap<number, NodeColumns>, tape: TapeLike, options: EvaluateOptions = {}): NodeColumns {
  const def = node.def;
  if (def.batch !== undefined && options.kernels !== false) {
    const gathered = kernelInputs(node, upstream);
    if (gathered !== null) return kernelColumns(node, gathered.events, def.batch(gathered.inputs, params));
  }
  const source = node.def.role === 'candles';
  const ups = node.upstream.map((u) => upstream.get(u)!);
  const events = source ? allBars(tape) : mergeEvents(ups);
  const slot = new Map(node.upstream.map((u, k) => [u, k]));
  const singles: SingleBinding[] = [];
  const manys: ManyBinding[] = [];
  const inputs: Record<string, unknown> = {};
  for (const input of node.inputs) {
    const refs = input.sources.map((s) => {
      const col = upstream.get(s.node)!;
      return { up: slot.get(s.node)!, column: col.outputs[s.port]!, bool: col.types[s.port] === 'bool', initial: initialValue(col.types[s.port]!) };
    });
    if (refs.length === 0) inputs[input.port] = input.spec.many ? [] : undefined;
    else if (input.spec.many) {
      const buffer = new Array<unknown>(refs.length);
      inputs[input.port] = buffer;
      manys.push({ refs, buffer });
    } else singles.push({ port: input.port, ...refs[0]! });
  }
  const columns = allocate(node, events.length);
  const loop = loopFor(def);
  const n = loop(def, def.init(params), params, inputs, initialOutputs(node), events, ups, singles, manys, columns.outputs, new TapeContext(tape.bars[0]!), tape);
  return { count: n.count, fired: n.fired, outputs: trim(columns.outputs, n.count), types: columns.types };
}

interface SingleBinding {
  port: string;
  up: number;
  column: Float64Array | Uint8Array | unknown[];
  bool: boolean;
  initial: unknown;
}

interface ManyBinding {
  refs: Omit<SingleBinding, 'port'>[];
  buffer: unknown[];
}

type NodeLoop = (
  def: PlanNode['def'],
  state: unknown,
  params: unknown,
  inputs: Record<string, unknown>,
  out: Record<string, unknown>,
  events: Int32Array,
  ups: NodeColumns[],
  singles: SingleBinding[],
  manys: ManyBinding[],
  outputs: NodeColumns['outputs'],
  ctx: TapeContext,
  tape: TapeLike,
) => { count: number; fired: Int32Array };

const LOOPS = new WeakMap<object, NodeLoop>();

/**
 * The node-major loop, one copy per node type: each copy has its own call site for `step`, so V8
 * sees a single node type there and can inline it (one shared loop would call every type's step
 * through one megamorphic site). The copies differ only in a comment naming the type.
 */
function loopFor(def: PlanNode['def']): NodeLoop {
  let loop = LOOPS.get(def);
  if (loop === undefined) {
    loop = new Function('columnValue', `// node-major loop for ${JSON.stringify(def.type).replace(/\*\//g, '')}\n${LOOP_BODY}`)(columnValue) as NodeLoop;
    LOOPS.set(def, loop);
  }
  return loop;
}

// The loop as source text (see loopFor). Upstream cursors advance with the events (each event is a
// firing of some upstream, so they move a step or two); inputs read the value held at the cursor.
const LOOP_BODY = `
return function (def, state, params, inputs, out, events, ups, singles, manys, outputs, ctx, tape) {
  "use strict";
  const count = events.length;
  const cursors = new Int32Array(ups.length).fill(-1);
  const fired = new Int32Array(count);
  const ports = Object.keys(outputs);
  const cols = ports.map((p) => outputs[p]);
  const isBytes = cols.map((c) => c instanceof Uint8Array);
  const times = tape.data.time;
  const gaps = tape.data.gapBefore;
  const bars = tape.bars;
  const start = tape.start;
  let n = 0;
  for (let e = 0; e < count; e++) {
    const t = events[e];
    for (let k = 0; k < ups.length; k++) {
      const col = ups[k];
      let c = cursors[k];
      while (c + 1 < col.count && col.fired[c + 1] <= t) c++;
      cursors[k] = c;
    }
    for (let b = 0; b < singles.length; b++) {
      const s = singles[b];
      const c = cursors[s.up];
      inputs[s.port] = c < 0 ? s.initial : s.bool ? s.column[c] === 1 : s.column[c];
    }
    for (let m = 0; m < manys.length; m++) {
      const many = manys[m];
      for (let r = 0; r < many.refs.length; r++) {
        const s = many.refs[r];
        const c = cursors[s.up];
        many.buffer[r] = c < 0 ? s.initial : s.bool ? s.column[c] === 1 : s.column[c];
      }
    }
    ctx.index = t - start;
    ctx.time = times[t];
    ctx.bar = bars[t - start];
    ctx.gapBefore = t === start ? 0 : gaps[t];
    if (def.step(state, inputs, out, params, ctx)) {
      fired[n] = t;
      for (let p = 0; p < ports.length; p++) {
        const v = out[ports[p]];
        if (isBytes[p]) cols[p][n] = v ? 1 : 0;
        else cols[p][n] = v;
      }
      n++;
    }
  }
  return { count: n, fired: fired.subarray(0, n) };
};`;

type TapeLike = Pick<BarTape, 'data' | 'start' | 'last' | 'bars'>;

/**
 * A batch kernel's input columns, when the node can be computed by one: every output a series,
 * every input port wired to exactly one series output, and every upstream node firing on exactly
 * the same bars (one upstream node, or several on one clock that fired together). Then the node
 * fires on those bars, the j-th firing reads each upstream's j-th value, and the upstream columns
 * are the kernel's inputs as they are (no copy). Null otherwise: the node is run by looping step.
 */
export function kernelInputs(node: PlanNode, upstream: ReadonlyMap<number, NodeColumns>): { events: Int32Array; inputs: Record<string, Float64Array> } | null {
  const def = node.def;
  if (def.role !== undefined || node.upstream.length === 0) return null;
  for (const spec of Object.values(def.outputs)) if (spec.type !== 'series') return null;
  if (node.inputs.length !== Object.keys(def.inputs).length) return null;
  const first = upstream.get(node.upstream[0]!);
  if (first === undefined) return null;
  for (const u of node.upstream) {
    const c = upstream.get(u);
    if (c === undefined || !sameFiring(c, first)) return null;
  }
  const inputs: Record<string, Float64Array> = {};
  for (const input of node.inputs) {
    if (input.spec.many === true || input.sources.length !== 1) return null;
    const source = input.sources[0]!;
    const column = upstream.get(source.node)!.outputs[source.port];
    if (!(column instanceof Float64Array)) return null;
    inputs[input.port] = column;
  }
  return { events: first.fired, inputs };
}

function sameFiring(a: NodeColumns, b: NodeColumns): boolean {
  if (a === b || a.fired === b.fired) return true;
  if (a.count !== b.count) return false;
  const fa = a.fired;
  const fb = b.fired;
  for (let j = 0; j < a.count; j++) if (fa[j] !== fb[j]) return false;
  return true;
}

/** Columns of a node that fired at every one of `events`, publishing `values` (one Float64Array per output port). */
export function kernelColumns(node: Pick<PlanNode, 'def' | 'id'>, events: Int32Array, values: Record<string, Float64Array>): NodeColumns {
  const outputs: NodeColumns['outputs'] = {};
  const types: Record<string, string> = {};
  for (const [port, spec] of Object.entries(node.def.outputs)) {
    const column = values[port];
    if (!(column instanceof Float64Array) || column.length !== events.length) {
      throw new Error(`${node.def.type} (${node.id}): batch kernel gave ${column === undefined ? 'no' : `a ${column.length}-long`} column for output ${port}, expected ${events.length} values`);
    }
    outputs[port] = column;
    types[port] = spec.type;
  }
  return { count: events.length, fired: events, outputs, types };
}


/** The j-th stored value of a column (bools are kept as bytes). */
export function columnValue(column: Float64Array | Uint8Array | unknown[], j: number): unknown {
  return column instanceof Uint8Array ? column[j] === 1 : column[j];
}

/** The value an output holds before its node first fires: NaN for series, false for bools, '' for text, else null. */
export function initialValue(type: string): unknown {
  return type === 'series' ? NaN : type === 'bool' ? false : type === 'text' ? '' : null;
}

export function initialOutputs(node: Pick<PlanNode, 'def'>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [port, spec] of Object.entries(node.def.outputs)) out[port] = initialValue(spec.type);
  return out;
}

function allocate(node: PlanNode, count: number): { outputs: NodeColumns['outputs']; types: Record<string, string> } {
  const outputs: NodeColumns['outputs'] = {};
  const types: Record<string, string> = {};
  for (const [port, spec] of Object.entries(node.def.outputs)) {
    types[port] = spec.type;
    outputs[port] = spec.type === 'series' ? new Float64Array(count) : spec.type === 'bool' ? new Uint8Array(count) : new Array<unknown>(count);
  }
  return { outputs, types };
}

function trim(outputs: NodeColumns['outputs'], n: number): NodeColumns['outputs'] {
  const out: NodeColumns['outputs'] = {};
  for (const [port, values] of Object.entries(outputs)) out[port] = Array.isArray(values) ? values.slice(0, n) : values.subarray(0, n);
  return out;
}

function allBars(tape: TapeLike): Int32Array {
  const events = new Int32Array(tape.last - tape.start + 1);
  for (let i = 0; i < events.length; i++) events[i] = tape.start + i;
  return events;
}

/** Sorted union of the upstream firing bars. */
function mergeEvents(columns: NodeColumns[]): Int32Array {
  if (columns.length === 1) return columns[0]!.fired;
  const seen = new Uint8Array(1 + Math.max(0, ...columns.map((c) => (c.count > 0 ? c.fired[c.count - 1]! : 0))));
  let n = 0;
  for (const c of columns) for (let j = 0; j < c.count; j++) if (seen[c.fired[j]!] === 0) {
    seen[c.fired[j]!] = 1;
    n++;
  }
  const events = new Int32Array(n);
  let k = 0;
  for (let t = 0; t < seen.length; t++) if (seen[t] === 1) events[k++] = t;
  return events;
}

import type { AnyNodeDefinition } from '../../../engine/core/node-definition.ts';
import { bareContext } from '../../../nodes/_kit/run-node.ts';
import type { BenchData, Pass } from './bench-data.ts';

/**
 * Our side of an indicator case: the node streaming (state from init, one reused inputs object and
 * out object, one step per bar) and its CPU batch kernel (one call over the typed columns, what the
 * batch executor runs). Each case runs in its own process, so the calls below see one node only.
 */

/** the node's inputs, by the columns they read */
export type Shape = 'source' | 'hl' | 'hlc' | 'cv' | 'hlcv';

/** One inputs object per pass with the node's ports as fixed keys, refilled in place each bar. */
interface Feed<I> {
  inputs(): I;
  fill(inputs: I, d: BenchData, i: number): void;
}

const feed = <I>(inputs: () => I, fill: (inputs: I, d: BenchData, i: number) => void): Feed<I> => ({ inputs, fill });

const FEEDS: { [S in Shape]: Feed<Record<string, number>> } = {
  source: feed(
    () => ({ source: NaN }),
    (x, d, i) => {
      x.source = d.close[i]!;
    },
  ),
  hl: feed(
    () => ({ high: NaN, low: NaN }),
    (x, d, i) => {
      x.high = d.high[i]!;
      x.low = d.low[i]!;
    },
  ),
  hlc: feed(
    () => ({ high: NaN, low: NaN, close: NaN }),
    (x, d, i) => {
      x.high = d.high[i]!;
      x.low = d.low[i]!;
      x.close = d.close[i]!;
    },
  ),
  cv: feed(
    () => ({ close: NaN, volume: NaN }),
    (x, d, i) => {
      x.close = d.close[i]!;
      x.volume = d.volume[i]!;
    },
  ),
  hlcv: feed(
    () => ({ high: NaN, low: NaN, close: NaN, volume: NaN }),
    (x, d, i) => {
      x.high = d.high[i]!;
      x.low = d.low[i]!;
      x.close = d.close[i]!;
      x.volume = d.volume[i]!;
    },
  ),
};

/** The runner's initial outputs: series NaN, bool false, text '', others null. */
function initialOutputs(def: AnyNodeDefinition): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [port, spec] of Object.entries(def.outputs)) out[port] = spec.type === 'series' ? NaN : spec.type === 'bool' ? false : spec.type === 'text' ? '' : null;
  return out;
}

/** Our node streaming: one step per bar, the checksum of the primary output. */
function streaming(def: AnyNodeDefinition, given: Record<string, unknown>, shape: Shape, primary: string): Pass {
  const params = def.params.parse(given);
  const ctx = bareContext();
  const { inputs: freshInputs, fill } = FEEDS[shape];
  return (d) => {
    const state = def.init(params);
    const inputs = freshInputs();
    const out = initialOutputs(def);
    let sum = 0;
    for (let i = 0; i < d.length; i++) {
      fill(inputs, d, i);
      def.step(state, inputs, out, params, ctx);
      const v = out[primary] as number;
      if (v === v) sum += v;
    }
    return sum;
  };
}

/** Our batch kernel: one call over the typed columns, then the checksum of the primary output. */
function batch(def: AnyNodeDefinition, given: Record<string, unknown>, primary: string): Pass {
  const params = def.params.parse(given);
  const kernel = def.batch;
  if (kernel === undefined) throw new Error(`${def.type} has no batch kernel`);
  const ports = Object.keys(def.inputs);
  return (d) => {
    const inputs: Record<string, Float64Array> = {};
    for (const p of ports) inputs[p] = p === 'source' ? d.close : (d as unknown as Record<string, Float64Array>)[p]!;
    const values = kernel(inputs, params)[primary]!;
    // summed here, not by sumOf: that one sums the @ixjb94 arrays in the same process
    let sum = 0;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (v === v) sum += v;
    }
    return sum;
  };
}

/** Both of our passes over one node, with the same params (`given`, parsed through the node's schema). */
export function oursPasses(def: AnyNodeDefinition, given: Record<string, unknown>, shape: Shape, primary: string): { node: string; primary: string; ours: Pass; oursBatch: Pass } {
  return { node: def.type, primary, ours: streaming(def, given, shape, primary), oursBatch: batch(def, given, primary) };
}

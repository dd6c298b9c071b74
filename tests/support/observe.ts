/**
 * Replays candles through a plan bar by bar — the loop of runBacktest without --from/--to, with the
 * venue the executor asks for — and lets tests observe every node after every bar. `NodeDigests`
 * keeps, per node and bar, a 53-bit hash of all its outputs and whether it fired: enough to prove
 * two runs identical on every output of every node without holding the values (a 177-node
 * pipeline's outputs over 20k bars as text run to gigabytes).
 */
import type { CandleSeries } from '../../engine/data/candles-csv.ts';
import type { Bar } from '../../engine/core/trading.ts';
import { IncrementalRunner } from '../../engine/incremental/runner.ts';
import type { CompiledPipeline } from '../../engine/pipeline/plan.ts';
import { createVenue } from '../../engine/run/backtest.ts';
import type { Venue } from '../../engine/venues/venue.ts';

export function barAt(data: CandleSeries, i: number): Bar {
  return { time: data.time[i]!, open: data.open[i]!, high: data.high[i]!, low: data.low[i]!, close: data.close[i]!, volume: data.volume[i]!, interval: data.intervalMs, complete: true };
}

/** Feeds data[from, to) (a fresh object per bar, no gap before the first), calling `observe` after each. */
export function replay(plan: CompiledPipeline, data: CandleSeries, options: { venue?: boolean; from?: number; to?: number; interpret?: boolean; observe?: (runner: IncrementalRunner, i: number) => void } = {}): { runner: IncrementalRunner; venue: Venue | null } {
  const venue = options.venue === false ? null : createVenue(plan);
  const runner = new IncrementalRunner(plan, { venue, interpret: options.interpret });
  const from = options.from ?? 0;
  const to = options.to ?? data.length;
  for (let i = from; i < to; i++) {
    runner.push(barAt(data, i), i === from ? 0 : data.gapBefore[i]!, true);
    options.observe?.(runner, i);
  }
  return { runner, venue };
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/** A 53-bit hash of a node's outputs (cyrb53-style mixing; numbers by their bits). */
function hashOutputs(outputs: Readonly<Record<string, unknown>>, ports: readonly string[]): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  const mix = (x: number) => {
    h1 = Math.imul(h1 ^ x, 2654435761);
    h2 = Math.imul(h2 ^ x, 1597334677);
  };
  const text = (s: string) => {
    mix(s.length);
    for (let i = 0; i < s.length; i++) mix(s.charCodeAt(i));
  };
  for (const port of ports) {
    const v = outputs[port];
    if (typeof v === 'number') {
      if (v !== v) mix(0x7ff80000);
      else {
        f64[0] = v;
        mix(u32[0]!);
        mix(u32[1]!);
      }
    } else if (typeof v === 'string') text(v);
    else if (typeof v === 'boolean') mix(v ? 1 : 2);
    else if (v === null) mix(3);
    else if (v === undefined) mix(4);
    else text(JSON.stringify(v));
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

export class NodeDigests {
  readonly ids: string[];
  private readonly ports: string[][];
  readonly hash: Float64Array[];
  readonly fired: Uint8Array[];
  bars = 0;

  constructor(plan: CompiledPipeline, capacity: number) {
    this.ids = plan.nodes.map((n) => n.id);
    this.ports = plan.nodes.map((n) => Object.keys(n.def.outputs));
    this.hash = plan.nodes.map(() => new Float64Array(capacity));
    this.fired = plan.nodes.map(() => new Uint8Array(capacity));
  }

  /** Call after bar `i` (counted from the first bar fed). Outputs only change when a node fires. */
  record(runner: IncrementalRunner, i: number): void {
    for (let k = 0; k < this.ids.length; k++) {
      const fired = runner.fired(k);
      this.fired[k]![i] = fired ? 1 : 0;
      this.hash[k]![i] = fired || i === 0 ? hashOutputs(runner.outputsOf(k), this.ports[k]!) : this.hash[k]![i - 1]!;
    }
    this.bars = Math.max(this.bars, i + 1);
  }

  /** The first bar < `bars` where any node's outputs (or whether it fired) differ, named; or null. */
  firstDifference(other: NodeDigests, bars: number): string | null {
    for (let i = 0; i < bars; i++) {
      for (let k = 0; k < this.ids.length; k++) {
        if (this.hash[k]![i] !== other.hash[k]![i]) return `bar ${i}: outputs of node "${this.ids[k]}" differ`;
        if (this.fired[k]![i] !== other.fired[k]![i]) return `bar ${i}: node "${this.ids[k]}" fired in one run only`;
      }
    }
    return null;
  }
}

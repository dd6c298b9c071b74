import { z } from 'zod';
import type { AnyNodeDefinition, NodeDefinition } from '../core/node-definition.ts';
import type { PortMap } from '../core/port-types.ts';
import type { NodeColumns } from './columns.ts';

export interface ColumnSourceParams {
  columns: NodeColumns;
  /** data index of the run's first bar: the runner counts bars from 0 */
  start: number;
  /** the output ports, their columns and whether each is stored as bytes (a bool), in one order (columnSourceParams) */
  ports: string[];
  values: NodeColumns['outputs'][string][];
  bytes: boolean[];
}

/**
 * A column source's params: the columns, and the ports it publishes laid out for the per-bar step.
 * `used`: the ports the trading nodes read (the others are never looked at, and copying them on
 * every bar a source fires was the larger part of a canonical batch run's trading loop); all of
 * them when not given.
 */
export function columnSourceParams(columns: NodeColumns, start: number, used?: ReadonlySet<string>): ColumnSourceParams {
  const ports = Object.keys(columns.outputs).filter((p) => used === undefined || used.has(p));
  const values = ports.map((p) => columns.outputs[p]!);
  return { columns, start, ports, values, bytes: values.map((v) => v instanceof Uint8Array) };
}

/**
 * Stands in, inside a batch run's trading plan, for a signal node already computed for the whole
 * series: on each bar it publishes the values that node published there (and fires exactly when it
 * fired), so the trading nodes downstream see what they would have seen in the per-bar runner.
 */
export function columnSourceOf(original: AnyNodeDefinition): NodeDefinition<ColumnSourceParams, { cursor: number }> {
  // one stand-in per original definition, so the runners of every parameter set share call sites
  let def = STAND_INS.get(original);
  if (def === undefined) {
    def = makeColumnSource(original);
    STAND_INS.set(original, def);
  }
  return def;
}

const STAND_INS = new WeakMap<AnyNodeDefinition, NodeDefinition<ColumnSourceParams, { cursor: number }>>();

function makeColumnSource(original: AnyNodeDefinition): NodeDefinition<ColumnSourceParams, { cursor: number }> {
  return {
    type: `batch.columns(${original.type})`,
    version: 1,
    title: original.title,
    category: original.category,
    summary: 'precomputed columns of a signal node',
    // stepped on every bar, like a source; it reports firing only where the original fired
    role: 'candles',
    params: z.any() as unknown as z.ZodType<ColumnSourceParams>,
    inputs: {} as PortMap,
    outputs: original.outputs,
    warmup: () => 0,
    init: () => ({ cursor: 0 }),
    step(state, _inputs, out: Record<string, unknown>, p, ctx) {
      const c = p.columns;
      const at = p.start + ctx.index;
      let j = state.cursor;
      // a batch run may skip quiet bars (quiet-bars.ts): firings on bars it skipped are passed over,
      // and what they published is held, exactly as the per-bar runner would hold it
      while (j < c.count && c.fired[j]! < at) j++;
      const fired = j < c.count && c.fired[j] === at;
      const latest = fired ? j : j - 1;
      if (latest >= state.cursor) {
        const { ports, values, bytes } = p;
        for (let k = 0; k < ports.length; k++) out[ports[k]!] = bytes[k] ? (values[k] as Uint8Array)[latest] === 1 : values[k]![latest];
      }
      state.cursor = fired ? j + 1 : j;
      return fired;
    },
  };
}

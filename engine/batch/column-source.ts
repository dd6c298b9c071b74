import { z } from 'zod';
import type { AnyNodeDefinition, NodeDefinition } from '../core/node-definition.ts';
import type { PortMap } from '../core/port-types.ts';
import { columnValue, type NodeColumns } from './columns.ts';

interface ColumnSourceParams {
  columns: NodeColumns;
  /** data index of the run's first bar: the runner counts bars from 0 */
  start: number;
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
      const j = state.cursor;
      if (j >= c.count || c.fired[j] !== p.start + ctx.index) return false;
      for (const port in c.outputs) out[port] = columnValue(c.outputs[port]!, j);
      state.cursor = j + 1;
      return true;
    },
  };
}

import type { CompiledPipeline } from '../pipeline/plan.ts';
import type { NodeColumns } from './columns.ts';

/**
 * Which bars of a batch run's trading part can skip the graph. The venue still settles every bar
 * (fills, stops, funding, the equity ledger); what is skipped is stepping the trading nodes on bars
 * where none of them can act. That is decided from the nodes' own `quiet` declarations: a bar wakes
 * the graph when a column feeding a node's wake inputs fires (intents and orders only when not null),
 * or when a node must run every bar in the venue's current state. Any trading node without a
 * declaration, or one waking on a volatile node, means no skipping at all: correctness first.
 */
export interface QuietBars {
  /** wake[i − start] = 1: the bar at data index i must run the graph */
  wake: Uint8Array;
  /** nodes that may need every bar, with their params */
  everyBar: { test(params: unknown, venue: { inPosition: boolean; pending: boolean }): boolean; params: unknown }[];
}

export function quietBars(plan: CompiledPipeline, trading: ReadonlySet<number>, columnsOf: (signalNode: number) => NodeColumns, start: number, last: number): QuietBars | null {
  const wake = new Uint8Array(last - start + 1);
  const everyBar: QuietBars['everyBar'] = [];
  for (const k of trading) {
    const node = plan.nodes[k]!;
    if (node.def.role === 'account') continue;
    const quiet = node.def.quiet;
    if (quiet === undefined) return null;
    if (quiet.everyBar !== undefined) everyBar.push({ test: quiet.everyBar, params: node.params });
    for (const input of node.inputs) {
      if (!quiet.wakeInputs.includes(input.port)) continue;
      for (const source of input.sources) {
        if (trading.has(source.node)) {
          // a trading node acts only when it is woken itself — unless its outputs drift on their own
          if (plan.nodes[source.node]!.def.quiet?.volatile === true) return null;
          continue;
        }
        markFirings(wake, columnsOf(source.node), source.port, start, last, input.spec.type === 'intent' || input.spec.type === 'order');
      }
    }
  }
  return { wake, everyBar };
}

function markFirings(wake: Uint8Array, columns: NodeColumns, port: string, start: number, last: number, onlyValues: boolean): void {
  const values = columns.outputs[port]!;
  for (let j = 0; j < columns.count; j++) {
    const i = columns.fired[j]!;
    if (i < start || i > last) continue;
    if (onlyValues && (values as unknown[])[j] == null) continue;
    wake[i - start] = 1;
  }
}

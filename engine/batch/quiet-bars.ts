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
    // a node with `blockedBy` collects its own wakes first, to drop those its gates veto
    const own = quiet.blockedBy === undefined ? wake : new Uint8Array(wake.length);
    for (const input of node.inputs) {
      if (!quiet.wakeInputs.includes(input.port)) continue;
      for (const source of input.sources) {
        if (trading.has(source.node)) {
          // a trading node acts only when it is woken itself — unless its outputs drift on their own
          if (plan.nodes[source.node]!.def.quiet?.volatile === true) return null;
          continue;
        }
        markFirings(own, columnsOf(source.node), source.port, start, last, input.spec.type === 'intent' || input.spec.type === 'order');
      }
    }
    if (own !== wake) keepUnvetoed(wake, own, vetoes(plan, node, quiet.blockedBy!, trading, columnsOf), start);
  }
  return { wake, everyBar };
}

/** The signal columns (gate passes) on a node's `blockedBy` input; trading sources cannot be known ahead and veto nothing. */
function vetoes(plan: CompiledPipeline, node: CompiledPipeline['nodes'][number], port: string, trading: ReadonlySet<number>, columnsOf: (signalNode: number) => NodeColumns): { columns: NodeColumns; port: string }[] {
  const input = node.inputs.find((i) => i.port === port);
  if (input === undefined) return [];
  return input.sources.filter((s) => !trading.has(s.node)).map((s) => ({ columns: columnsOf(s.node), port: s.port }));
}

/**
 * Marks in `wake` each of the node's own wakes `own` that no gate vetoes. A gate vetoes the wake at
 * bar w when its value held at w is false and none of its firings before the node's next wake w′
 * publishes true: the node is blocked on w and on every bar up to w′, whenever it is stepped there.
 */
export function keepUnvetoed(wake: Uint8Array, own: Uint8Array, gates: { columns: NodeColumns; port: string }[], start: number): void {
  const cursors = gates.map(() => 0);
  let w = own.indexOf(1);
  while (w >= 0) {
    const next = own.indexOf(1, w + 1);
    const end = next < 0 ? own.length : next;
    let vetoed = false;
    for (let g = 0; g < gates.length && !vetoed; g++) {
      const { columns, port } = gates[g]!;
      const values = columns.outputs[port]!;
      // the gate's last firing at or before w (cursors only move forward: wakes come in order)
      let j = cursors[g]!;
      while (j < columns.count && columns.fired[j]! - start <= w) j++;
      cursors[g] = j;
      if (j === 0 || truthy(values, j - 1)) continue;
      vetoed = true;
      for (let m = j; m < columns.count && columns.fired[m]! - start < end; m++) {
        if (truthy(values, m)) {
          vetoed = false;
          break;
        }
      }
    }
    if (!vetoed) wake[w] = 1;
    w = next;
  }
}

function truthy(values: NodeColumns['outputs'][string], j: number): boolean {
  return values instanceof Uint8Array ? values[j] === 1 : (values as unknown[])[j] === true;
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

/**
 * Which batch runs may skip quiet bars. The skipping itself is held to the per-bar runner's fills by
 * tests/parity/batch-parity.test.ts; here: the declarations are read as intended — a plan whose
 * trading nodes all declare what wakes them skips, one with an undeclared node or a node waking on
 * a clock-driven gate never does — and the wake mask marks exactly the bars with a fresh intent;
 * a gate vetoes a wake only when it blocks from that wake until the next one.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, compileShipped, ethBars } from '../../tests/support/shipped.ts';
import { runRange } from '../run/backtest.ts';
import { barTape, evaluateColumns, type NodeColumns } from './columns.ts';
import { keepUnvetoed, quietBars } from './quiet-bars.ts';
import { tradingNodes } from './trading-plan.ts';
import type { CompiledPipeline } from '../pipeline/plan.ts';

function quietOf(file: string, bars: number) {
  const plan = compileShipped(join(ROOT, file));
  const data = ethBars(bars);
  const range = runRange(plan, data);
  const tape = barTape(data, range.start, range.lastIndex);
  const trading = tradingNodes(plan);
  const columns = new Map<number, NodeColumns>();
  const columnsOf = (k: number): NodeColumns => {
    let c = columns.get(k);
    if (c === undefined) {
      const node = plan.nodes[k]!;
      c = evaluateColumns(node, node.params, new Map(node.upstream.map((u) => [u, columnsOf(u)])), tape, { kernels: true });
      columns.set(k, c);
    }
    return c;
  };
  return { plan, quiet: quietBars(plan, trading, columnsOf, range.start, range.lastIndex), columnsOf, range };
}

function nodeIndex(plan: CompiledPipeline, id: string): number {
  return plan.byId.get(id)!.index;
}

describe('quiet bars of a batch run', () => {
  it('ema-crossover wakes exactly on the bars where the entry publishes an intent', () => {
    const { plan, quiet, columnsOf, range } = quietOf('tests/bench/pipelines/ema-crossover.yaml', 20_000);
    expect(quiet).not.toBeNull();
    const entry = columnsOf(nodeIndex(plan, 'entry'));
    const expected = new Set<number>();
    for (let j = 0; j < entry.count; j++) if ((entry.outputs.intent as unknown[])[j] != null) expected.add(entry.fired[j]! - range.start);
    const woken = new Set<number>();
    quiet!.wake.forEach((w, i) => w === 1 && woken.add(i));
    expect(woken).toEqual(expected);
    expect(expected.size).toBeGreaterThan(10);
    expect(woken.size).toBeLessThan(quiet!.wake.length / 20);
    expect(quiet!.everyBar).toEqual([]);
  });

  it('the canonical pipeline skips between primary bars unless a position is open', () => {
    const { quiet } = quietOf('pipelines/canonical/enygma.yaml', 40_000);
    expect(quiet).not.toBeNull();
    // enygma.entry (retryWithinBar) and enygma.risk (while in a position) may need every bar
    expect(quiet!.everyBar.map((e) => e.test(e.params, { inPosition: true, pending: false }))).toContain(true);
    expect(quiet!.everyBar.every((e) => !e.test(e.params, { inPosition: false, pending: false }))).toBe(true);
    const woken = quiet!.wake.reduce((n, w) => n + w, 0);
    expect(woken).toBeGreaterThan(0);
    // enygma.entry's wakes (each closed 30min bar) are dropped where a signal gate blocks until the next
    expect(woken).toBeLessThan(quiet!.wake.length / 6 / 4);
  });

  it('weighted-signals never skips: its entry is undeclared and reads a clock-driven cooldown gate', () => {
    expect(quietOf('pipelines/examples/weighted-signals.yaml', 5_000).quiet).toBeNull();
  });
});

/** A gate's pass column: fires at the given bars (data indices) with the given verdicts. */
function gate(firings: [bar: number, pass: boolean][]): NodeColumns {
  return {
    count: firings.length,
    fired: Int32Array.from(firings.map(([bar]) => bar)),
    outputs: { pass: Uint8Array.from(firings.map(([, pass]) => (pass ? 1 : 0))) },
    types: { pass: 'bool' },
  };
}

function wakesOf(own: number[], gates: NodeColumns[], start: number, length: number): number[] {
  const mask = new Uint8Array(length);
  for (const w of own) mask[w] = 1;
  const wake = new Uint8Array(length);
  keepUnvetoed(wake, mask, gates.map((columns) => ({ columns, port: 'pass' })), start);
  return [...wake.keys()].filter((i) => wake[i] === 1);
}

describe('gates vetoing a blockedBy node’s wakes', () => {
  const start = 100;

  it('a gate that blocks from a wake until the next one vetoes it', () => {
    // wakes at 10, 20, 30 (bar indices of the run; data indices start + i)
    const a = gate([[start + 5, true], [start + 20, false], [start + 25, false], [start + 30, true]]);
    expect(wakesOf([10, 20, 30], [a], start, 40)).toEqual([10, 30]);
  });

  it('a gate that turns to pass before the next wake vetoes nothing: the node may decide on the bars between', () => {
    const a = gate([[start + 10, false], [start + 15, true]]);
    expect(wakesOf([10, 20], [a], start, 40)).toEqual([10, 20]);
    // after the last wake the window runs to the end of the run
    const b = gate([[start + 30, false], [start + 35, true]]);
    expect(wakesOf([30], [b], start, 40)).toEqual([30]);
    expect(wakesOf([30], [gate([[start + 30, false]])], start, 40)).toEqual([]);
  });

  it('a gate that has not fired yet, or passes, vetoes nothing; one blocking gate of several is enough', () => {
    const late = gate([[start + 25, false]]);
    const passing = gate([[start, true]]);
    expect(wakesOf([10, 20], [late, passing], start, 40)).toEqual([10, 20]);
    const blocking = gate([[start, false]]);
    expect(wakesOf([10, 20], [late, passing, blocking], start, 40)).toEqual([]);
  });

  it('a firing on the wake bar itself is the value the node reads there', () => {
    const a = gate([[start, false], [start + 10, true], [start + 20, false]]);
    expect(wakesOf([10, 20], [a], start, 30)).toEqual([10]);
  });
});

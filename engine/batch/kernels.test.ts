import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compilePipelineFile } from '../pipeline/compile.ts';
import { parseOverride } from '../pipeline/overrides.ts';
import type { CompiledPipeline } from '../pipeline/plan.ts';
import { loadPipelineData, paperVenueOf, runBacktest, runRange } from '../run/backtest.ts';
import { fillsCsv } from '../run/reports.ts';
import { sliceCandles } from '../data/candles-csv.ts';
import { registry } from '../../nodes/index.ts';
import { shippedPipelines } from '../../tests/support/shipped.ts';
import { runBatch, type KernelChoice } from './batch-run.ts';
import { barTape, evaluateColumns, kernelInputs, type NodeColumns } from './columns.ts';
import { planVariant } from './plan-variants.ts';
import { tradingNodes } from './trading-plan.ts';

/**
 * CPU batch kernels inside the batch executor: the signal columns of every shipped pipeline are the
 * same, value for value (Object.is) and firing for firing, whether nodes with a kernel run it or
 * loop their step; and a batch run with kernels 'cpu' or 'step' gives the per-bar runner's fills
 * and equity exactly.
 */

const BARS = 20_000;

function signalColumns(plan: CompiledPipeline, kernels: boolean): { columns: Map<number, NodeColumns>; byKernel: number } {
  const data = sliceCandles(loadPipelineData(plan), 0, BARS);
  const range = runRange(plan, data);
  const tape = barTape(data, range.start, range.lastIndex);
  const trading = tradingNodes(plan);
  const columns = new Map<number, NodeColumns>();
  let byKernel = 0;
  for (const node of plan.nodes) {
    if (trading.has(node.index)) continue;
    const upstream = new Map(node.upstream.map((u) => [u, columns.get(u)!]));
    if (kernels && node.def.batch !== undefined && kernelInputs(node, upstream) !== null) byKernel++;
    columns.set(node.index, evaluateColumns(node, node.params, upstream, tape, { kernels }));
  }
  return { columns, byKernel };
}

function firstDifference(a: NodeColumns, b: NodeColumns): string | null {
  if (a.count !== b.count) return `count ${a.count} vs ${b.count}`;
  for (let j = 0; j < a.count; j++) if (a.fired[j] !== b.fired[j]) return `fired[${j}] ${a.fired[j]} vs ${b.fired[j]}`;
  for (const port of Object.keys(b.outputs)) {
    const x = a.outputs[port]!;
    const y = b.outputs[port]!;
    if (x.constructor !== y.constructor) return `${port}: ${x.constructor.name} vs ${y.constructor.name}`;
    for (let j = 0; j < a.count; j++) {
      const u = x[j];
      const v = y[j];
      // objects (bars, intents) are made afresh by each run: compare their contents
      const same = typeof v === 'object' && v !== null ? JSON.stringify(u) === JSON.stringify(v) : Object.is(u, v);
      if (!same) return `${port}[${j}] ${String(u)} vs ${String(v)}`;
    }
  }
  return null;
}

describe('CPU batch kernels in the batch executor', () => {
  for (const file of shippedPipelines()) {
    it(`give the step loop's signal columns exactly: ${file.split('/').slice(-2).join('/')}`, () => {
      const plan = compilePipelineFile(file, registry);
      const withKernels = signalColumns(plan, true);
      const stepped = signalColumns(plan, false);
      expect(withKernels.byKernel, 'nodes computed by a kernel').toBeGreaterThan(0);
      for (const [index, columns] of stepped.columns) {
        const difference = firstDifference(withKernels.columns.get(index)!, columns);
        expect(difference, `${plan.nodes[index]!.id} (${plan.nodes[index]!.def.type})`).toBeNull();
      }
    });
  }

  const SWEEPS: [string, string[][]][] = [
    ['pipelines/examples/weighted-signals.yaml', [[], ['ema_fast.period=10', 'ema_slow.period=30'], ['rsi.period=9', 'macd.signal=5']]],
    ['pipelines/examples/mean-reversion.yaml', [[], ['bands.stdDev=2.5'], ['bands.period=30']]],
  ];
  for (const [file, setTexts] of SWEEPS) {
    it(`kernels 'cpu' and 'step' give the per-bar runner's fills and equity: ${file.split('/').pop()}`, () => {
      const base = compilePipelineFile(file, registry);
      const data = sliceCandles(loadPipelineData(base), 0, BARS);
      const sets = setTexts.map((texts) => texts.map(parseOverride));
      const plans = sets.map((set) => planVariant(base, set, () => ({ text: readFileSync(file, 'utf8'), registry })));
      const reference = plans.map((plan) => paperVenueOf(runBacktest(plan, data))!);
      for (const kernels of ['cpu', 'step'] as KernelChoice[]) {
        const results = [...runBatch(plans, sets, data, { kernels })];
        results.forEach((r, s) => {
          const venue = paperVenueOf(r.result)!;
          expect(fillsCsv(venue.ledger), `${kernels} set ${s} fills`).toBe(fillsCsv(reference[s]!.ledger));
          expect(venue.equity.toString(), `${kernels} set ${s} equity`).toBe(reference[s]!.equity.toString());
        });
      }
    });
  }
});

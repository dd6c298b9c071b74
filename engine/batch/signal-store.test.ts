import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sliceCandles } from '../data/candles-csv.ts';
import { compilePipelineFile } from '../pipeline/compile.ts';
import { parseOverride } from '../pipeline/overrides.ts';
import { loadPipelineData, paperVenueOf } from '../run/backtest.ts';
import { fillsCsv } from '../run/reports.ts';
import { registry } from '../../nodes/index.ts';
import { ROOT } from '../../tests/support/shipped.ts';
import { runBatch, runSignalPart, SignalStore, type BatchSetResult, type KernelChoice } from './batch-run.ts';
import { planVariant } from './plan-variants.ts';

/**
 * The signal store (BatchOptions.store, kept by each sweep worker): batches run one after another
 * with one store give exactly the results they give alone, reuse the columns all their sets share,
 * and never hand a CPU run a column computed on the GPU path.
 */

const FILE = `${ROOT}/pipelines/examples/weighted-signals.yaml`;
const base = compilePipelineFile(FILE, registry);
const data = sliceCandles(loadPipelineData(base), 0, 12_000);
const text = readFileSync(FILE, 'utf8');
const chunk = (texts: string[][]) => {
  const sets = texts.map((t) => t.map(parseOverride));
  return { sets, plans: sets.map((s) => planVariant(base, s, () => ({ text, registry }))) };
};
// two chunks as a sweep over risk and a threshold would cut them: every indicator shared
const CHUNKS = [
  chunk([['risk.stopLoss=5', 'bullish.threshold=0.5'], ['risk.stopLoss=8', 'bullish.threshold=0.5']]),
  chunk([['risk.stopLoss=5', 'bullish.threshold=0.6'], ['risk.stopLoss=8', 'bullish.threshold=0.6'], ['ema_fast.period=9']]),
];
const outcome = (r: BatchSetResult) => `${paperVenueOf(r.result)!.equity.toString()}\n${fillsCsv(paperVenueOf(r.result)!.ledger)}`;
const run = (c: (typeof CHUNKS)[number], kernels: KernelChoice, store?: SignalStore) => [...runBatch(c.plans, c.sets, data, { kernels, store })].map(outcome);

describe('SignalStore', () => {
  it('chunks run with one store give what they give alone, and the second reuses what the first stored', () => {
    const store = new SignalStore();
    const first = run(CHUNKS[0]!, 'cpu', store);
    const stored = store.size;
    expect(stored).toBeGreaterThan(0);
    expect(store.hits).toBe(0);
    const second = run(CHUNKS[1]!, 'cpu', store);
    expect(store.hits).toBeGreaterThan(0);
    expect(first).toEqual(run(CHUNKS[0]!, 'cpu'));
    expect(second).toEqual(run(CHUNKS[1]!, 'cpu'));
    // the second chunk's sets do not all share ema_fast: its own and what reads it are not stored
    expect(store.size).toBeLessThan(2 * stored);
  });

  it('keeps GPU columns apart from CPU ones', async () => {
    const store = new SignalStore();
    const gpuFirst = run(CHUNKS[0]!, 'gpu', store);
    const hits = store.hits;
    // a CPU run after a GPU run with the same store reads nothing the GPU computed
    expect(run(CHUNKS[0]!, 'cpu', store)).toEqual(run(CHUNKS[0]!, 'cpu'));
    expect(store.hits).toBe(hits);
    expect(gpuFirst).toHaveLength(2);
    // and a signal part alone, with the store, is served from it
    const report = await runSignalPart(CHUNKS[0]!.plans, data, { kernels: 'cpu', store });
    expect(report.cpuComputations).toBe(0);
  });

  it('empties itself for another series, and stays under its byte limit', () => {
    const store = new SignalStore(2 ** 20);
    run(CHUNKS[0]!, 'cpu', store);
    expect(store.bytes).toBeLessThanOrEqual(2 ** 20);
    const other = sliceCandles(data, 0, 6000);
    [...runBatch(CHUNKS[0]!.plans, CHUNKS[0]!.sets, other, { store })];
    expect(store.hits).toBe(0);
  });
});

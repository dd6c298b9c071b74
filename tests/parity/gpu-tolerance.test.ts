import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { AnyNodeDefinition } from '../../engine/core/node-definition.ts';
import { recheckOnCpu, runBatch, runBatchAsync, type BatchSetResult, type GpuReport } from '../../engine/batch/batch-run.ts';
import { GpuBackend } from '../../engine/batch/gpu/backend.ts';
import { GPU_TOLERANCE, gpuColumns, gpuColumnsAsync } from '../../engine/batch/gpu/gpu-columns.ts';
import { planVariant } from '../../engine/batch/plan-variants.ts';
import { sliceCandles } from '../../engine/data/candles-csv.ts';
import { compilePipelineFile } from '../../engine/pipeline/compile.ts';
import { parseOverride } from '../../engine/pipeline/overrides.ts';
import { loadPipelineData, paperVenueOf } from '../../engine/run/backtest.ts';
import { fillsCsv } from '../../engine/run/reports.ts';
import { registry } from '../../nodes/index.ts';
import { batchCases } from '../../nodes/_kit/contract.ts';
import { loadEmbedded } from '../../nodes/_kit/reference-data.ts';
import { atr } from '../../nodes/indicators/atr/atr.node.ts';
import { ema } from '../../nodes/indicators/ema/ema.node.ts';
import { rsi } from '../../nodes/indicators/rsi/rsi.node.ts';
import { sma } from '../../nodes/indicators/sma/sma.node.ts';
import { ROOT } from '../support/shipped.ts';

/**
 * The GPU path's stated tolerance (GPU_TOLERANCE, docs/concepts/batch.md): every GPU program, on the
 * embedded BTC and ETH 5m series (65k bars) for several periods, gives columns within it of the
 * float64 CPU kernel's (relative to max(|cpu|, mean |cpu|)), with NaN exactly where the CPU column
 * has NaN (warm-up, and rows with a NaN input, which the node does not consume). Then a small sweep
 * ranked on the GPU path ranks like the CPU path, and its winners re-checked on the CPU are exact.
 * Runs on gpu.js's WebAssembly backend: CI has no GPU and two cores.
 */

const backend = new GpuBackend({ mode: 'webasm' });
afterAll(() => backend.destroy());

function relativeError(gpu: Float64Array, cpu: Float64Array, label: string): number {
  expect(gpu.length, `${label}: length`).toBe(cpu.length);
  let scale = 0;
  let count = 0;
  for (const v of cpu) {
    if (v === v) {
      scale += Math.abs(v);
      count++;
    }
  }
  scale = count > 0 && scale > 0 ? scale / count : 1;
  let worst = 0;
  for (let i = 0; i < cpu.length; i++) {
    const a = gpu[i]!;
    const b = cpu[i]!;
    if (b !== b || a !== a) {
      if ((a !== a) !== (b !== b)) expect.fail(`${label}[${i}]: gpu ${a}, cpu ${b}`);
      continue;
    }
    const e = Math.abs(a - b) / Math.max(Math.abs(b), scale);
    if (e > worst) worst = e;
  }
  expect(count, `${label}: values compared`).toBeGreaterThan(0);
  return worst;
}

const CASES: [AnyNodeDefinition, Record<string, unknown>[]][] = [
  [sma, [{ period: 2 }, { period: 20 }, { period: 50 }, { period: 200 }]],
  [ema, [{ period: 2 }, { period: 9 }, { period: 20 }, { period: 50 }, { period: 200 }, { period: 1000 }]],
  [rsi, [{ period: 2 }, { period: 7 }, { period: 14 }, { period: 30 }, { period: 100 }]],
  [atr, [{ period: 1 }, { period: 14 }, { period: 50 }, { period: 14, smoothing: 'sma' }, { period: 50, smoothing: 'sma' }]],
];

const measured: string[] = [];
afterAll(() => {
  if (process.env.BARFLOW_GPU_REPORT) process.stdout.write(`\nGPU float32 vs CPU float64, worst relative error (backend ${backend.backend}):\n${measured.join('\n')}\n`);
});

describe(`GPU columns are within ${GPU_TOLERANCE} of the CPU columns`, () => {
  for (const name of ['btc-5m', 'eth-5m'] as const) {
    for (const [def, given] of CASES) {
      it(`${def.type} on ${name}, periods ${given.map((g) => JSON.stringify(g)).join(' ')}`, () => {
        const data = loadEmbedded(name);
        const inputs = Object.fromEntries(Object.keys(def.inputs).map((p) => [p, p === 'source' ? data.close : (data as unknown as Record<string, Float64Array>)[p]!]));
        const params = given.map((g) => def.params.parse(g));
        const gpu = gpuColumns(backend, def, inputs, params);
        const worst = params.map((p, s) => {
          const cpu = def.batch!(inputs, p)[def.gpu!.output]!;
          return relativeError(gpu[s]!, cpu, `${def.type} ${JSON.stringify(given[s])}`);
        });
        measured.push(`  ${name} ${def.type}: ${given.map((g, s) => `${JSON.stringify(g)} ${worst[s]!.toExponential(1)}`).join(', ')}`);
        for (const [s, w] of worst.entries()) expect(w, `${def.type} ${JSON.stringify(given[s])} on ${name}`).toBeLessThanOrEqual(GPU_TOLERANCE);
      });
    }
  }

  it('skips NaN inputs as the node does (NaN runs and a flat stretch injected), also through the async driver', async () => {
    const btc = loadEmbedded('btc-5m');
    const full = { high: btc.high.subarray(0, 20_000), low: btc.low.subarray(0, 20_000), close: btc.close.subarray(0, 20_000) };
    for (const [def, given] of CASES) {
      const inputs = Object.fromEntries(Object.keys(def.inputs).map((p) => [p, p === 'source' ? full.close : full[p as keyof typeof full]]));
      const [, withNaN] = batchCases(def, inputs).find(([label]) => label.includes('NaN'))!;
      const params = given.map((g) => def.params.parse(g));
      const sync = gpuColumns(backend, def, withNaN, params);
      const viaAsync = await gpuColumnsAsync(backend, def, withNaN, params);
      params.forEach((p, s) => {
        const cpu = def.batch!(withNaN, p)[def.gpu!.output]!;
        expect(relativeError(sync[s]!, cpu, `${def.type} ${JSON.stringify(given[s])} with NaN`), `${def.type} ${JSON.stringify(given[s])}`).toBeLessThanOrEqual(GPU_TOLERANCE);
        expect(Array.from(viaAsync[s]!)).toEqual(Array.from(sync[s]!));
      });
    }
  });

  it(`reports the backend that ran: webasm`, () => {
    expect(backend.backend).toBe('webasm');
  });
});

describe('a sweep on the GPU path', () => {
  const file = `${ROOT}/pipelines/examples/weighted-signals.yaml`;
  const texts: string[][] = [];
  for (const fast of [6, 9, 12, 16]) for (const slow of [26, 40]) texts.push([`ema_fast.period=${fast}`, `ema_slow.period=${slow}`, `rsi.period=${fast + 3}`]);
  const base = compilePipelineFile(file, registry);
  const data = sliceCandles(loadPipelineData(base), 0, 30_000);
  const sets = texts.map((t) => t.map(parseOverride));
  const plans = sets.map((set) => planVariant(base, set, () => ({ text: readFileSync(file, 'utf8'), registry })));
  const equity = (r: BatchSetResult) => Number(paperVenueOf(r.result)!.equity.toString());
  const order = (values: number[]) => values.map((_, i) => i).sort((a, b) => values[b]! - values[a]! || a - b);

  it('ranks the sets as the CPU path does, and its winners re-checked on the CPU are exact', async () => {
    const report = {} as GpuReport;
    const gpu = [...runBatch(plans, sets, data, { kernels: 'gpu', gpu: backend, gpuReport: report })];
    const cpu = [...runBatch(plans, sets, data, { kernels: 'cpu' })];
    expect(report.backend).toBe('webasm');
    // one group per (node type, upstream): EMA fast and slow share the 30min close, RSI another program
    expect(report.groups).toBe(2);
    expect(report.columns).toBe(new Set(texts.flatMap((t) => t.map((x) => x.replace(/^ema_(fast|slow)/, 'ema')))).size);

    const gpuEquity = gpu.map(equity);
    const cpuEquity = cpu.map(equity);
    const gpuRank = order(gpuEquity);
    const cpuRank = order(cpuEquity);
    // Spearman's rank correlation of the two orders
    const pos = (rank: number[]) => Object.fromEntries(rank.map((set, r) => [set, r]));
    const [pg, pc] = [pos(gpuRank), pos(cpuRank)];
    const n = sets.length;
    const d2 = sets.reduce((sum, _, s) => sum + (pg[s]! - pc[s]!) ** 2, 0);
    const spearman = 1 - (6 * d2) / (n * (n * n - 1));
    expect(spearman, `GPU order ${gpuRank}, CPU order ${cpuRank}`).toBeGreaterThanOrEqual(0.9);
    expect(gpuRank[0], 'the winner').toBe(cpuRank[0]);
    for (let s = 0; s < n; s++) expect(Math.abs(gpuEquity[s]! - cpuEquity[s]!) / cpuEquity[s]!, `set ${s} equity`).toBeLessThan(0.05);

    // winners re-checked on the float64 CPU path give the CPU results exactly
    const top = gpuRank.slice(0, 3);
    const rechecked = recheckOnCpu(plans, sets, data, top);
    expect(rechecked.map((r) => r.index)).toEqual(top);
    for (const r of rechecked) {
      expect(fillsCsv(paperVenueOf(r.result)!.ledger)).toBe(fillsCsv(paperVenueOf(cpu[r.index]!.result)!.ledger));
      expect(equity(r)).toBe(cpuEquity[r.index]);
    }

    // the async runner (every gpu.js mode, webgpu included) gives the same
    const viaAsync: number[] = [];
    for await (const r of runBatchAsync(plans, sets, data, { kernels: 'gpu', gpu: backend })) viaAsync.push(equity(r));
    expect(viaAsync).toEqual(gpuEquity);
  });
});

/**
 * `barflow sweep --kernels gpu` (runSweep with kernels 'gpu'), on the weighted-signals example and
 * the first 8000 ETH 5m bars, sweeping the nodes that have GPU kernels (the two EMAs and the RSI)
 * and a risk param: every set is ranked on the float32 GPU path (gpu.js webasm, in two worker
 * threads), the top rows are re-checked on the CPU path, and
 * - each re-checked row's metrics are exactly those runBacktest gives its set (what `barflow run
 *   --set` runs), and those of the CPU sweep;
 * - the GPU sweep's winner is the CPU sweep's winner;
 * - results.csv marks the re-checked rows `cpu` and the rest `gpu`, sweep.json records the backend;
 * - the GPU-only flags are refused without --kernels gpu.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planVariant } from '../batch/plan-variants.ts';
import { compilePipelineText } from '../pipeline/compile.ts';
import { loadPipelineData, runBacktest } from '../run/backtest.ts';
import { summarise } from '../run/reports.ts';
import { registry } from '../../nodes/index.ts';
import { barflow, ethCsvHead } from '../../tests/support/cli.ts';
import { overridesOf } from './methods.ts';
import { metricsOf } from './objective.ts';
import { buildSpec } from './spec.ts';
import { runSweep, type SweepOutcome } from './sweep.ts';

const dir = mkdtempSync(join(tmpdir(), 'barflow-gpu-sweep-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const DATA = join(dir, 'eth-8000.csv');
writeFileSync(DATA, ethCsvHead(8000));
const PIPELINE = 'pipelines/examples/weighted-signals.yaml';
const PARAMS = ['ema_fast.period=6,9,12', 'ema_slow.period=26,40', 'rsi.period=10,14', 'risk.stopLoss=6,8'];
const RECHECK = 4;

describe('a sweep with --kernels gpu', () => {
  const spec = buildSpec(null, { params: PARAMS });
  let gpu: SweepOutcome;
  let cpu: SweepOutcome;

  beforeAll(async () => {
    gpu = await runSweep({ file: PIPELINE, spec, data: DATA, workers: 2, kernels: 'gpu', gpuMode: 'webasm', recheck: RECHECK, out: join(dir, 'gpu') });
    cpu = await runSweep({ file: PIPELINE, spec, data: DATA, workers: 1, out: join(dir, 'cpu') });
  }, 180_000);

  it('ranks every set on the GPU path (gpu.js webasm ran) and re-checks the top rows on the CPU', () => {
    expect(gpu.rows).toHaveLength(24);
    expect(gpu.kernels).toBe('gpu');
    expect(gpu.gpu).toMatchObject({ mode: 'webasm', backend: 'webasm' });
    expect(gpu.gpu!.columns).toBeGreaterThan(0);
    expect(gpu.recheck).toMatchObject({ rows: RECHECK, sets: RECHECK });
    expect(gpu.rows.map((r) => r.checked)).toEqual([...Array(RECHECK).fill('cpu'), ...Array(24 - RECHECK).fill('gpu')]);
    expect(gpu.rows.map((r) => r.rank)).toEqual(gpu.rows.map((_, i) => i + 1));
    expect(cpu.kernels).toBe('cpu');
    expect(cpu.gpu).toBeNull();
  });

  it('re-checked rows reproduce exactly with runBacktest, and equal the CPU sweep', () => {
    const file = join(process.cwd(), PIPELINE);
    const text = readFileSync(file, 'utf8');
    const base = compilePipelineText(text, file, registry);
    const data = loadPipelineData(base, DATA);
    const byPoint = new Map(cpu.rows.map((r) => [r.point.join(','), r]));
    for (const row of gpu.rows.filter((r) => r.checked === 'cpu')) {
      const plan = planVariant(base, overridesOf(spec.params, row.point), () => ({ text, registry }));
      const exact = metricsOf(summarise(runBacktest(plan, data)));
      expect(row.metrics, `set ${row.point.join(',')}`).toEqual(exact);
      expect(row.metrics).toEqual(byPoint.get(row.point.join(','))!.metrics);
    }
  });

  it("the GPU sweep's winner is the CPU sweep's winner", () => {
    expect(gpu.rows[0]!.point).toEqual(cpu.rows[0]!.point);
    expect(gpu.rows[0]!.metrics.netPnl).toBe(cpu.rows[0]!.metrics.netPnl);
    expect(gpu.command).toBe(cpu.command);
  });

  it('writes the checked column to results.csv and the GPU run to sweep.json', () => {
    const lines = readFileSync(join(dir, 'gpu', 'results.csv'), 'utf8').trimEnd().split('\n');
    expect(lines[0]!.split(',').slice(-3)).toEqual(['objective', 'rank', 'checked']);
    expect(lines.slice(1).map((l) => l.split(',').at(-1))).toEqual(gpu.rows.map((r) => r.checked));
    const cpuLines = readFileSync(join(dir, 'cpu', 'results.csv'), 'utf8').trimEnd().split('\n');
    expect(new Set(cpuLines.slice(1).map((l) => l.split(',').at(-1)))).toEqual(new Set(['cpu']));
    const json = JSON.parse(readFileSync(join(dir, 'gpu', 'sweep.json'), 'utf8'));
    expect(json).toMatchObject({ kernels: 'gpu', gpu: { mode: 'webasm', backend: 'webasm' }, recheck: { rows: RECHECK, sets: RECHECK } });
    expect(json.timings.recheckMs).toBeGreaterThanOrEqual(0);
    expect(JSON.parse(readFileSync(join(dir, 'cpu', 'sweep.json'), 'utf8')).kernels).toBe('cpu');
  });

  it('refuses --gpu-mode and --recheck without --kernels gpu, and unknown values', async () => {
    const noGpu = await barflow(['sweep', PIPELINE, '--param', 'risk.stopLoss=6,8', '--data', DATA, '--recheck', '3', '--out', join(dir, 'bad')]);
    expect(noGpu.code).toBe(1);
    expect(noGpu.stderr).toContain('--recheck needs --kernels gpu');
    const badMode = await barflow(['sweep', PIPELINE, '--param', 'risk.stopLoss=6,8', '--data', DATA, '--kernels', 'gpu', '--gpu-mode', 'cuda', '--out', join(dir, 'bad')]);
    expect(badMode.code).toBe(1);
    expect(badMode.stderr).toContain('--gpu-mode "cuda" is not one of webasm, gpu, webgpu');
  });
});

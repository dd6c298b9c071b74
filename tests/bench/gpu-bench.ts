import { join, relative } from 'node:path';
import { loadCandles } from '../../engine/data/candles-csv.ts';
import { GPU_TOLERANCE } from '../../engine/batch/gpu/gpu-columns.ts';
import { BTC_5M, OUT_DIR, REPO_ROOT, intOption, isMain, machine, machineLine, rate, ratio, runChild, table, writeColumnsCache, writeResult } from './common.ts';
import type { GpuChildResult } from './gpu-child.ts';

/**
 * The GPU path against the CPU batch kernels: K parameter sets of EMA and RSI over the BTC 5m close
 * column, computed by gpu.js in one GPU computation (engine/batch/gpu) and by our CPU kernel looped
 * over K. Throughput in bar·param-sets per second, their ratio (gpu/cpu > 1: the GPU path is
 * faster), the backend that actually ran, and the worst float32 error against the float64 kernel.
 * Options: --gpu-mode=webasm|gpu|webgpu|cpu (default webasm), --gpu-reps=N (default 5),
 * --gpu-k=8,64,256. Mode webgpu in Node uses Dawn (the webgpu package); BARFLOW_DAWN_FLAGS passes
 * it flags, e.g. backend=opengl with EGL_PLATFORM=surfaceless on a machine with only OpenGL.
 */
export function runGpuBench(argv: readonly string[] = []): GpuChildResult {
  const reps = intOption(argv, 'gpu-reps', 5);
  const mode = argv.find((a) => a.startsWith('--gpu-mode='))?.slice('--gpu-mode='.length) ?? 'webasm';
  const ks = argv.find((a) => a.startsWith('--gpu-k='))?.slice('--gpu-k='.length) ?? '8,64,256';
  const series = loadCandles(BTC_5M);
  const cache = writeColumnsCache(series, join(OUT_DIR, 'cache', 'btcusdt-binance-spot-5m.f64'));
  process.stdout.write(`\n== gpu: K parameter sets × ${series.length} bars (${relative(REPO_ROOT, BTC_5M)}), gpu.js mode ${mode} vs our CPU batch kernel looped over K, median of ${reps} ==\n`);
  const r = runChild<GpuChildResult>('gpu-child.ts', [cache, mode, String(reps), ks]);
  const body = r.cases.map((c) => [
    c.indicator.replace('indicator.', ''),
    String(c.k),
    `${c.cpuMedianMs.toFixed(1)} ms`,
    `${c.gpuMedianMs.toFixed(1)} ms`,
    rate(c.cpuThroughput),
    rate(c.gpuThroughput),
    ratio(c.gpuThroughput / c.cpuThroughput),
    `${c.gpuFirstMs.toFixed(0)} ms`,
    c.worstError.toExponential(1),
  ]);
  process.stdout.write(`backend that ran: ${r.backend}\n\n`);
  process.stdout.write(table(['indicator', 'K', 'cpu', 'gpu', 'cpu bar·sets/s', 'gpu bar·sets/s', 'gpu/cpu', 'gpu first call', 'worst rel. error'], body) + '\n');
  process.stdout.write(`gpu/cpu > 1: the GPU path is faster. gpu times include host preparation, float32 upload, readback and widening to\n`);
  process.stdout.write(`float64; the first call also compiles the kernels. Stated tolerance of the GPU path: ${GPU_TOLERANCE}.\n`);
  const file = writeResult('gpu', { part: 'gpu', date: new Date().toISOString(), machine: machine(), data: relative(REPO_ROOT, BTC_5M), bars: series.length, reps, ...r });
  process.stdout.write(`results: ${relative(REPO_ROOT, file)}\n`);
  return r;
}

if (isMain(import.meta.url)) {
  process.stdout.write(machineLine() + '\n');
  runGpuBench(process.argv.slice(2));
}

import type { AnyNodeDefinition } from '../../engine/core/node-definition.ts';
import { GpuBackend, prepareNodeWebGpu, type GpuMode } from '../../engine/batch/gpu/backend.ts';
import { gpuColumnsAsync } from '../../engine/batch/gpu/gpu-columns.ts';
import { ema } from '../../nodes/indicators/ema/ema.node.ts';
import { rsi } from '../../nodes/indicators/rsi/rsi.node.ts';
import { collectGarbage, emit, median, readColumnsCache } from './common.ts';

/**
 * The GPU part's measurements, in their own process (spawned by gpu-bench.ts):
 *   node --import tsx --expose-gc tests/bench/gpu-child.ts <columns.f64> <mode> <reps> <K,K,...>
 * For EMA and RSI and each K: K parameter sets (periods spread over the usual range) over the
 * whole close column, (a) by our CPU batch kernel called once per set, (b) by the gpu.js programs in
 * one GPU computation for all K (host preparation, float32 upload, kernels, readback and widening
 * to float64 included: what runBatch's GPU path pays). One warm-up of each (the GPU's compiles its
 * kernels), then `reps` timed runs, interleaved; medians. Prints one JSON line.
 */

export interface GpuBenchCase {
  indicator: string;
  k: number;
  bars: number;
  cpuMs: number[];
  gpuMs: number[];
  /** first GPU call, kernel compilation included */
  gpuFirstMs: number;
  cpuMedianMs: number;
  gpuMedianMs: number;
  /** bar·param-sets per second */
  cpuThroughput: number;
  gpuThroughput: number;
  /** worst relative error of the GPU columns against the CPU's (max(|cpu|, mean |cpu|) floor) */
  worstError: number;
}

export interface GpuChildResult {
  mode: GpuMode;
  /** the gpu.js backend(s) that actually ran */
  backend: string;
  cases: GpuBenchCase[];
  sink: number;
}

const [dataFile, modeArg, repsArg, ksArg] = process.argv.slice(2);
if (dataFile === undefined) {
  process.stderr.write('usage: gpu-child.ts <columns.f64> [mode] [reps] [K,K,...]\n');
  process.exit(2);
}
const mode = (modeArg ?? 'webasm') as GpuMode;
const reps = Number(repsArg ?? 5);
const ks = (ksArg ?? '8,64').split(',').map(Number);

const columns = readColumnsCache(dataFile);
const inputs = { source: columns.close };
// Dawn's flags for mode webgpu, e.g. BARFLOW_DAWN_FLAGS=backend=opengl (with EGL_PLATFORM=surfaceless) where only GL works
const dawnFlags = (process.env.BARFLOW_DAWN_FLAGS ?? '').split(',').filter((f) => f !== '');
if (mode === 'webgpu' && !(await prepareNodeWebGpu(dawnFlags))) {
  process.stderr.write('gpu bench: no WebGPU adapter answered\n');
  process.exit(3);
}
const backend = new GpuBackend({ mode });

/** K periods spread geometrically over [lo, hi] */
function periods(k: number, lo: number, hi: number): number[] {
  return Array.from({ length: k }, (_, i) => Math.round(lo * Math.pow(hi / lo, k === 1 ? 0 : i / (k - 1))));
}

let sink = 0;
const cases: GpuBenchCase[] = [];
for (const [def, lo, hi] of [
  [ema, 5, 200],
  [rsi, 2, 50],
] as [AnyNodeDefinition, number, number][]) {
  for (const k of ks) {
    const params = periods(k, lo, hi).map((period) => def.params.parse({ period }));
    const cpu = (): Float64Array[] => params.map((p) => def.batch!(inputs, p).value!);
    const gpu = (): Promise<Float64Array[]> => gpuColumnsAsync(backend, def, inputs, params);
    let t0 = performance.now();
    const reference = cpu();
    t0 = performance.now();
    const first = await gpu();
    const gpuFirstMs = performance.now() - t0;
    const worstError = worst(first, reference);
    const cpuMs: number[] = [];
    const gpuMs: number[] = [];
    for (let r = 0; r < reps; r++) {
      for (const side of r % 2 === 0 ? ['cpu', 'gpu'] : ['gpu', 'cpu']) {
        collectGarbage();
        const start = performance.now();
        const out = side === 'cpu' ? cpu() : await gpu();
        (side === 'cpu' ? cpuMs : gpuMs).push(performance.now() - start);
        sink += out[out.length - 1]![columns.length - 1]!;
      }
    }
    const cpuMedianMs = median(cpuMs);
    const gpuMedianMs = median(gpuMs);
    cases.push({
      indicator: def.type,
      k,
      bars: columns.length,
      cpuMs,
      gpuMs,
      gpuFirstMs,
      cpuMedianMs,
      gpuMedianMs,
      cpuThroughput: (k * columns.length) / (cpuMedianMs / 1000),
      gpuThroughput: (k * columns.length) / (gpuMedianMs / 1000),
      worstError,
    });
  }
}

function worst(gpu: Float64Array[], cpu: Float64Array[]): number {
  let result = 0;
  cpu.forEach((c, s) => {
    let scale = 0;
    let n = 0;
    for (const v of c) if (v === v) (scale += Math.abs(v)), n++;
    scale = n > 0 ? scale / n : 1;
    const g = gpu[s]!;
    for (let i = 0; i < c.length; i++) if (c[i] === c[i]) result = Math.max(result, Math.abs(g[i]! - c[i]!) / Math.max(Math.abs(c[i]!), scale));
  });
  return result;
}

emit({ mode, backend: backend.backend, cases, sink } satisfies GpuChildResult);
backend.destroy();
process.exit(0);

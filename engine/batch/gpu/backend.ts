import { createRequire } from 'node:module';
import type { GPU, IKernelRunShortcut } from 'gpu.js';
import { KERNEL_FUNCTIONS, type KernelName } from './programs.ts';

/**
 * Where the gpu.js programs run. `webasm` (the default): gpu.js's WebAssembly backend (f32x4 SIMD,
 * on the CPU), which needs no native build and no display, so it works in CI on two cores. `gpu`:
 * gpu.js's own choice (headless-gl in Node where the `gl` package was built and a display exists,
 * WebGL2 in a browser), falling back to webasm. `webgpu`: gpu.js's WGSL backend; in Node it needs
 * a navigator.gpu (prepareNodeWebGpu sets one up from the `webgpu` package, Dawn) and its kernel
 * calls return Promises, so it runs only through runBatchAsync. `cpu`: gpu.js's JavaScript backend
 * (computes in float64, rounds the result to float32), for debugging.
 */
export type GpuMode = 'webasm' | 'gpu' | 'webgpu' | 'cpu';

export interface GpuOptions {
  /** default 'webasm' */
  mode?: GpuMode;
}

/** One gpu.js kernel call: which program kernel, its output [x, y] and its arguments. */
export interface KernelCall {
  kernel: KernelName;
  output: [number, number];
  args: unknown[];
}

/** What a kernel call gives back: one Float32Array per parameter set (row y of the output). */
export type KernelRows = Float32Array[];

const require = createRequire(import.meta.url);
let gpuModule: typeof import('gpu.js') | undefined;
/** gpu.js is loaded on first use only: kernels: 'cpu' never pays for it. */
function gpuJs(): typeof import('gpu.js') {
  gpuModule ??= require('gpu.js') as typeof import('gpu.js');
  return gpuModule;
}

/**
 * A gpu.js instance and its compiled kernels, one per program kernel and shape (gpu.js specialises
 * a kernel to its output size and argument sizes). Records which backend actually ran each call:
 * gpu.js may fall back (to webasm when no GL context exists, to cpu when a kernel is not supported).
 */
export class GpuBackend {
  readonly mode: GpuMode;
  readonly gpu: GPU;
  /** kernel calls return Promises (webgpu) */
  readonly async: boolean;
  /** the backends that actually ran kernels, as gpu.js names them (webasm, headlessgl, webgl2, webgpu, cpu) */
  readonly ran = new Set<string>();
  /** kernel calls made */
  calls = 0;
  private readonly kernels = new Map<string, IKernelRunShortcut>();

  constructor(options: GpuOptions = {}) {
    this.mode = options.mode ?? 'webasm';
    const { GPU } = gpuJs();
    if (this.mode === 'webgpu' && !GPU.isWebGPUSupported) {
      throw new Error("gpu mode 'webgpu' needs navigator.gpu: in Node, await prepareNodeWebGpu() first");
    }
    this.gpu = new GPU({ mode: this.mode });
    this.async = this.mode === 'webgpu';
  }

  /** The backend(s) that ran, e.g. 'webasm'; 'none' before the first call. */
  get backend(): string {
    return this.ran.size === 0 ? 'none' : [...this.ran].sort().join('+');
  }

  call(call: KernelCall): KernelRows | Promise<KernelRows> {
    const kernel = this.kernelFor(call);
    const result = kernel(...(call.args as never[])) as unknown;
    this.calls++;
    if (result instanceof Promise) {
      return result.then((rows) => {
        this.noteBackend(kernel);
        return asRows(rows, call);
      });
    }
    this.noteBackend(kernel);
    return asRows(result, call);
  }

  destroy(): void {
    for (const kernel of this.kernels.values()) kernel.destroy?.();
    this.kernels.clear();
    this.gpu.destroy().catch(() => undefined);
  }

  private noteBackend(kernel: IKernelRunShortcut): void {
    const inner = (kernel as unknown as { kernel?: { constructor?: { mode?: string } } }).kernel;
    this.ran.add(inner?.constructor?.mode ?? this.mode);
  }

  private kernelFor(call: KernelCall): IKernelRunShortcut {
    const shape = call.args.map((a) => (ArrayBuffer.isView(a) ? (a as Float32Array).length : Array.isArray(a) ? `${a.length}x${(a[0] as Float32Array | undefined)?.length ?? 0}` : 'n'));
    const key = `${call.kernel}|${call.output.join('x')}|${shape.join(',')}`;
    let kernel = this.kernels.get(key);
    if (kernel === undefined) {
      // every loop is bounded by a column length, a window or a seed (params cap those at 10 000)
      const loopMaxIterations = Math.max(call.output[0], 10_001) + 1;
      kernel = this.gpu.createKernel(KERNEL_FUNCTIONS[call.kernel] as never, {
        output: call.output,
        loopMaxIterations,
        precision: 'single',
        tactic: 'precision',
      } as never) as IKernelRunShortcut;
      this.kernels.set(key, kernel);
    }
    return kernel;
  }
}

function asRows(result: unknown, call: KernelCall): KernelRows {
  const rows = result as ArrayLike<ArrayLike<number>>;
  const out: KernelRows = new Array(call.output[1]);
  for (let y = 0; y < call.output[1]; y++) {
    const row = rows[y]!;
    out[y] = row instanceof Float32Array ? row : Float32Array.from(row);
  }
  return out;
}

/** Runs a program driver (a generator of kernel calls) to the end, synchronously. */
export function runSync<T>(backend: GpuBackend, driver: Generator<KernelCall, T, KernelRows>): T {
  if (backend.async) throw new Error(`gpu mode '${backend.mode}' returns Promises: use runBatchAsync (or the async driver)`);
  let step = driver.next(undefined as never);
  while (!step.done) step = driver.next(backend.call(step.value) as KernelRows);
  return step.value;
}

/** Runs a program driver to the end, awaiting each kernel call (every mode). */
export async function runAsync<T>(backend: GpuBackend, driver: Generator<KernelCall, T, KernelRows>): Promise<T> {
  let step = driver.next(undefined as never);
  while (!step.done) step = driver.next(await backend.call(step.value));
  return step.value;
}

/**
 * Gives Node a navigator.gpu from the `webgpu` package (Dawn), for mode 'webgpu'. Dawn flags pick
 * its backend (e.g. ['backend=opengl'] with EGL_PLATFORM=surfaceless on a machine without Vulkan);
 * adapters are requested at feature level 'compatibility' so OpenGL-only drivers qualify. Returns
 * false when no adapter answers (then use 'webasm').
 */
export async function prepareNodeWebGpu(dawnFlags: string[] = []): Promise<boolean> {
  const g = globalThis as { navigator?: { gpu?: unknown } };
  if (g.navigator?.gpu === undefined) {
    const webgpu = (await import('webgpu')) as unknown as { create(flags: string[]): { requestAdapter(o?: object): Promise<unknown> }; globals: object };
    Object.assign(globalThis, webgpu.globals);
    const dawn = webgpu.create(dawnFlags);
    const gpu = { requestAdapter: (o: object = {}) => dawn.requestAdapter({ featureLevel: 'compatibility', ...o }) };
    Object.defineProperty(globalThis, 'navigator', { value: { ...(g.navigator ?? {}), gpu }, configurable: true, writable: true });
  }
  const { GPU } = gpuJs();
  return GPU.isWebGPUAvailable();
}

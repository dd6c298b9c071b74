import type { AnyNodeDefinition, GpuProgramCall } from '../../core/node-definition.ts';
import { runAsync, runSync, type GpuBackend, type KernelCall, type KernelRows } from './backend.ts';
import { BLOCK, GROUP } from './programs.ts';

/**
 * The stated float32 tolerance of the GPU path: every GPU column is within this relative error of
 * the float64 CPU kernel's column, |gpu − cpu| ≤ GPU_TOLERANCE · max(|cpu|, mean |cpu|) (the mean
 * over the column is the floor for values near zero, as in nodes/_kit/compare.ts). Measured on the
 * embedded BTC and ETH 5m series (65k bars; docs/concepts/batch.md has the table): at most 7.3e-7
 * for periods up to 1000 (a margin over ten), 3.2e-6 at the params' limit of 10 000.
 * tests/parity/gpu-tolerance.test.ts holds every GPU program to it.
 */
export const GPU_TOLERANCE = 1e-5;

type Driver<T> = Generator<KernelCall, T, KernelRows>;

/** Which nodes the GPU path can compute: a `gpu` member whose output is the node's only output, a series. */
export function hasGpuKernel(def: AnyNodeDefinition): boolean {
  const gpu = def.gpu;
  if (gpu === undefined) return false;
  const outputs = Object.entries(def.outputs);
  return outputs.length === 1 && outputs[0]![0] === gpu.output && outputs[0]![1].type === 'series';
}

/**
 * One node type over one set of input columns (the node's firing sequence) for many parameter sets,
 * as a program driver. Rows with a NaN input are dropped first (the node does not consume them and
 * publishes NaN there), the node's `prepare` forms the program's float64 columns from the rest, and
 * each program runs once for all the sets that use it. Returns one Float64Array per set, as long as
 * the inputs, NaN where the node publishes NaN.
 */
export function* gpuColumnsDriver(def: AnyNodeDefinition, inputs: Readonly<Record<string, Float64Array>>, paramSets: readonly unknown[]): Driver<Float64Array[]> {
  const gpu = def.gpu;
  if (gpu === undefined || !hasGpuKernel(def)) throw new Error(`${def.type} has no GPU kernel`);
  const ports = Object.keys(inputs);
  const length = ports.length === 0 ? 0 : inputs[ports[0]!]!.length;
  // rows the node consumes: every input a number
  const rows = new Int32Array(length);
  let count = 0;
  for (let i = 0; i < length; i++) {
    let ok = true;
    for (const p of ports) {
      const v = inputs[p]![i]!;
      if (v !== v) {
        ok = false;
        break;
      }
    }
    if (ok) rows[count++] = i;
  }
  const compact: Record<string, Float64Array> = {};
  for (const p of ports) {
    const column = new Float64Array(count);
    const source = inputs[p]!;
    for (let j = 0; j < count; j++) column[j] = source[rows[j]!]!;
    compact[p] = column;
  }
  const prepared = gpu.prepare(compact).map((c) => Float32Array.from(c));
  const calls = paramSets.map((p) => gpu.program(p));
  const results: Float64Array[] = new Array(paramSets.length);
  const byProgram = new Map<string, number[]>();
  for (let s = 0; s < calls.length; s++) {
    const list = byProgram.get(calls[s]!.name) ?? [];
    list.push(s);
    byProgram.set(calls[s]!.name, list);
  }
  for (const [name, members] of byProgram) {
    const group = members.map((s) => calls[s]!);
    const { values, first } = count === 0 ? { values: group.map(() => new Float32Array(0)), first: group.map(() => 0) } : yield* programDriver(name as GpuProgramCall['name'], prepared, count, group);
    members.forEach((s, g) => {
      const out = new Float64Array(length).fill(NaN);
      const v = values[g]!;
      for (let j = first[g]!; j < count; j++) out[rows[j]!] = v[j]!;
      results[s] = out;
    });
  }
  return results;
}

/** The same, run to the end synchronously (every mode but webgpu). */
export function gpuColumns(backend: GpuBackend, def: AnyNodeDefinition, inputs: Readonly<Record<string, Float64Array>>, paramSets: readonly unknown[]): Float64Array[] {
  return runSync(backend, gpuColumnsDriver(def, inputs, paramSets));
}

/** The same, awaiting each kernel call (every mode). */
export function gpuColumnsAsync(backend: GpuBackend, def: AnyNodeDefinition, inputs: Readonly<Record<string, Float64Array>>, paramSets: readonly unknown[]): Promise<Float64Array[]> {
  return runAsync(backend, gpuColumnsDriver(def, inputs, paramSets));
}

interface ProgramResult {
  /** per set: the program's output over the prepared columns (float32) */
  values: KernelRows;
  /** per set: the first index holding a value */
  first: number[];
}

function* programDriver(name: GpuProgramCall['name'], prepared: Float32Array[], n: number, calls: GpuProgramCall[]): Driver<ProgramResult> {
  switch (name) {
    case 'window-mean': {
      const c = calls as Extract<GpuProgramCall, { name: 'window-mean' }>[];
      const length = f32(c.map((x) => x.length));
      const from = f32(c.map((x) => x.from));
      const values = yield { kernel: 'windowMean', output: [n, c.length], args: [prepared[0]!, length, from] };
      return { values, first: c.map((x) => x.from + x.length - 1) };
    }
    case 'smoother': {
      const c = calls as Extract<GpuProgramCall, { name: 'smoother' }>[];
      const s = smootherArgs(c, n);
      const carries = yield* smootherCarries(prepared[0]!, s, n);
      const values = yield { kernel: 'smootherOutputs', output: [n, c.length], args: [prepared[0]!, carries, s.gain, s.seedAt, s.seedLength, BLOCK] };
      return { values, first: c.map((x) => x.seedAt) };
    }
    case 'wilder-ratio': {
      const c = calls as Extract<GpuProgramCall, { name: 'wilder-ratio' }>[];
      const s = smootherArgs(c.map((x) => ({ gain: 1 / x.period, seedAt: x.period, seedLength: x.period })), n);
      const [up, down] = [prepared[0]!, prepared[1]!];
      const upCarries = yield* smootherCarries(up, s, n);
      const downCarries = yield* smootherCarries(down, s, n);
      const values = yield { kernel: 'ratioOutputs', output: [n, c.length], args: [up, down, upCarries, downCarries, s.gain, s.seedAt, s.seedLength, BLOCK] };
      return { values, first: c.map((x) => x.period) };
    }
  }
}

/** Passes 1–4 of a smoother (programs.ts): the value at the end of every block, per set. */
function* smootherCarries(u: Float32Array, s: SmootherArgs, n: number): Driver<KernelRows> {
  const sets = s.gain.length;
  const partials = yield { kernel: 'smootherPartials', output: [s.blocks, sets], args: [u, s.gain, s.seedAt, s.seedLength, n, BLOCK] };
  const groupPartials = yield { kernel: 'groupPartials', output: [s.groups, sets], args: [partials, s.decayPerBlock, s.blocks, GROUP] };
  const groupCarries = yield { kernel: 'groupCarries', output: [s.groups, sets], args: [groupPartials, s.decayPerGroup, s.seedAt, BLOCK, GROUP] };
  return yield { kernel: 'blockCarries', output: [s.blocks, sets], args: [partials, groupCarries, s.decayPerBlock, GROUP] };
}

function f32(values: number[]): Float32Array {
  return Float32Array.from(values);
}

interface SmootherArgs {
  blocks: number;
  groups: number;
  gain: Float32Array;
  seedAt: Float32Array;
  seedLength: Float32Array;
  decayPerBlock: Float32Array;
  decayPerGroup: Float32Array;
}

/**
 * Per-set arrays of a smoother's arguments, with (1 − gain)^BLOCK and (1 − gain)^(BLOCK·GROUP)
 * taken from the float32 gain the kernels use, so the scans weigh blocks as the steps decay.
 */
function smootherArgs(sets: readonly { gain: number; seedAt: number; seedLength: number }[], n: number): SmootherArgs {
  const blocks = Math.ceil(n / BLOCK);
  const gain = f32(sets.map((s) => s.gain));
  return {
    blocks,
    groups: Math.ceil(blocks / GROUP),
    gain,
    seedAt: f32(sets.map((s) => s.seedAt)),
    seedLength: f32(sets.map((s) => s.seedLength)),
    decayPerBlock: f32(Array.from(gain, (g) => Math.pow(1 - g, BLOCK))),
    decayPerGroup: f32(Array.from(gain, (g) => Math.pow(1 - g, BLOCK * GROUP))),
  };
}


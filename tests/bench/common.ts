import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, platform, release, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Shared plumbing of the benchmark scripts (tests/bench/): where things are, the machine, timing
 * statistics, child processes, tables and the JSON results. Benchmarks are scripts, never timed
 * unit tests: nothing here asserts a speed.
 */

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BENCH_DIR = fileURLToPath(new URL('./', import.meta.url));
export const OUT_DIR = join(REPO_ROOT, 'out', 'bench');
/** the embedded data every benchmark runs on (65,741 bars) */
export const BTC_5M = join(REPO_ROOT, 'data', 'btcusdt-binance-spot-5m.csv.gz');
/** the canonical pipeline's own data, and the example pipelines' (65,742 bars): the canonical part runs on it */
export const ETH_5M = join(REPO_ROOT, 'data', 'ethusdt-binance-spot-5m.csv.gz');
/** the canonical locked pipeline (ENYGMA, 177 nodes) */
export const CANONICAL = join(REPO_ROOT, 'pipelines', 'canonical', 'enygma.yaml');
export const EXAMPLES = ['mean-reversion', 'consensus', 'weighted-signals'] as const;
export type ExampleName = (typeof EXAMPLES)[number];

export function examplePipeline(name: string): string {
  return join(REPO_ROOT, 'pipelines', 'examples', `${name}.yaml`);
}

export interface MachineInfo {
  cpu: string;
  cores: number;
  availableParallelism: number;
  node: string;
  v8: string;
  platform: string;
  memoryGiB: number;
}

export function machine(): MachineInfo {
  const list = cpus();
  return {
    cpu: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    availableParallelism: availableParallelism(),
    node: process.version,
    v8: process.versions.v8,
    platform: `${platform()} ${release()}`,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
  };
}

export function machineLine(m: MachineInfo = machine()): string {
  return `machine: ${m.cpu}, ${m.cores} cores (${m.availableParallelism} usable), node ${m.node} (V8 ${m.v8}), ${m.platform}, ${m.memoryGiB} GiB`;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Spread of the samples around their median, (max − min) / median: how noisy a figure is. */
export function spread(values: readonly number[]): number {
  const m = median(values);
  return values.length === 0 || !(m > 0) ? NaN : (Math.max(...values) - Math.min(...values)) / m;
}

/** Forces a full collection between samples when the process runs with --expose-gc. */
export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** Node flags every measuring child runs with: tsx for TypeScript, gc() between samples. */
export const CHILD_FLAGS = ['--import', 'tsx', '--expose-gc'] as const;

/**
 * Runs `node <flags> <script> <args>` from the repository root and parses the last line of its
 * stdout as JSON. Each measurement gets its own process, so JIT feedback from one pipeline,
 * indicator or library never slows down (or speeds up) another.
 */
export function runChild<T>(script: string, args: readonly string[], flags: readonly string[] = CHILD_FLAGS): T {
  const child = spawnSync(process.execPath, [...flags, join(BENCH_DIR, script), ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (child.error) throw child.error;
  if (child.status !== 0) throw new Error(`${script} ${args.join(' ')} exited with ${child.status ?? child.signal}`);
  const lines = child.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!) as T;
}

/** A child's one line of output. */
export function emit(result: unknown): void {
  process.stdout.write(JSON.stringify(result) + '\n');
}

export function writeResult(name: string, result: unknown): string {
  mkdirSync(OUT_DIR, { recursive: true });
  const file = join(OUT_DIR, `${name}.json`);
  writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
  return file;
}

export type Align = 'left' | 'right';

/** A plain-text table: header, rule, rows; numbers right-aligned by default. */
export function table(header: readonly string[], rows: readonly (readonly string[])[], align?: readonly Align[]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const cell = (text: string, c: number) => ((align?.[c] ?? (c === 0 ? 'left' : 'right')) === 'left' ? text.padEnd(widths[c]!) : text.padStart(widths[c]!));
  const line = (r: readonly string[]) => r.map((t, c) => cell(t, c)).join('  ').trimEnd();
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** 1234567 → "1.23 M", 45678 → "45.7 k": rates stay readable in a narrow column. */
export function rate(perSecond: number): string {
  if (!Number.isFinite(perSecond)) return '—';
  if (perSecond >= 1e9) return `${(perSecond / 1e9).toFixed(2)} G`;
  if (perSecond >= 1e6) return `${(perSecond / 1e6).toFixed(perSecond >= 1e8 ? 0 : perSecond >= 1e7 ? 1 : 2)} M`;
  if (perSecond >= 1e3) return `${(perSecond / 1e3).toFixed(perSecond >= 1e5 ? 0 : perSecond >= 1e4 ? 1 : 2)} k`;
  return perSecond.toFixed(0);
}

export function ratio(value: number): string {
  return Number.isFinite(value) ? value.toFixed(2) : '—';
}

export function pct(value: number): string {
  return Number.isFinite(value) ? `${(value * 100).toFixed(0)}%` : '—';
}

/** Parses `--reps=N` style options shared by the parts. */
export function intOption(argv: readonly string[], name: string, fallback: number): number {
  const prefix = `--${name}=`;
  const given = argv.find((a) => a.startsWith(prefix));
  if (given === undefined) return fallback;
  const n = Number(given.slice(prefix.length));
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} takes a positive integer, got ${given.slice(prefix.length)}`);
  return n;
}

/** True when `moduleUrl` is the script node was asked to run (not an import). */
export function isMain(moduleUrl: string): boolean {
  return process.argv[1] !== undefined && fileURLToPath(moduleUrl) === process.argv[1];
}

/** The price columns of a candle file, as the indicator children read them. */
export interface Columns {
  length: number;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
}

const COLUMN_NAMES = ['open', 'high', 'low', 'close', 'volume'] as const;

/**
 * Writes the columns as raw float64 (length first), so that each measuring child reads them in
 * a millisecond instead of gunzipping and parsing the CSV again.
 */
export function writeColumnsCache(columns: Columns, file: string): string {
  mkdirSync(dirname(file), { recursive: true });
  const all = new Float64Array(1 + COLUMN_NAMES.length * columns.length);
  all[0] = columns.length;
  COLUMN_NAMES.forEach((name, k) => all.set(columns[name], 1 + k * columns.length));
  writeFileSync(file, new Uint8Array(all.buffer));
  return file;
}

export function readColumnsCache(file: string): Columns {
  const bytes = readFileSync(file);
  const all = new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const length = all[0]!;
  const column = (k: number) => all.slice(1 + k * length, 1 + (k + 1) * length);
  return { length, open: column(0), high: column(1), low: column(2), close: column(3), volume: column(4) };
}

import { isAbsolute, resolve } from 'node:path';
import type { FillRecord, Ledger } from '../../engine/venues/paper/ledger.ts';
import { compilePipelineFile } from '../../engine/pipeline/compile.ts';
import { IncrementalRunner } from '../../engine/incremental/runner.ts';
import { createVenue, loadPipelineData, paperVenueOf, runBacktest } from '../../engine/run/backtest.ts';
import { PaperVenue } from '../../engine/venues/paper/paper-venue.ts';
import { registry } from '../../nodes/index.ts';
import { REPO_ROOT, emit, examplePipeline, machine } from './common.ts';
import { handFused } from './hand-fused/index.ts';
import { lockstep, replay, type LockstepResult } from './hand-fused/kit.ts';

/**
 * One pipeline, in its own process (spawned by engine-bench.ts and canonical-bench.ts):
 *   node --import tsx --expose-gc tests/bench/engine-child.ts <pipeline> <data> [reps] [--mode=full|signal] [--sides=engine,fused,interpreted]
 * <pipeline> is an example's name (pipelines/examples/<name>.yaml) or a .yaml path.
 *
 * Sides (default engine,fused):
 *   engine       the generated commit: runBacktest in mode full, a runner with venue: null in mode signal
 *   fused        the hand-fused copy (tests/bench/hand-fused/), with the venue or without it
 *   interpreted  the same runner with interpret: true (the generic loop), with the venue or without it
 * Mode full (default) is the whole pipeline, paper venue included; mode signal is the signal graph
 * only: no venue on either side (account.state outputs NaN/null, risk and executor do nothing).
 *
 * Compiles once, loads the data once, then: one warm-up run of each side, then `reps` runs of each,
 * rotating which side goes first (no forced GC: see timed()). Prints one JSON line.
 */

export type Side = 'engine' | 'fused' | 'interpreted';
export type Mode = 'full' | 'signal';

export interface EngineChildResult {
  pipeline: string;
  mode: Mode;
  sides: Side[];
  dataFile: string;
  bars: number;
  nodes: number;
  /** wall-clock ms of each timed run, per side (empty for a side not run) */
  engineMs: number[];
  fusedMs: number[];
  interpretedMs: number[];
  /** CPU ms (user + system) of each timed run */
  engineCpuMs: number[];
  fusedCpuMs: number[];
  interpretedCpuMs: number[];
  warmupMs: Partial<Record<Side, number>>;
  /**
   * The hand-fused side computes what the engine computes, on this data (null: not run). Full mode:
   * same fills, rejections and final equity. Signal mode: every node output on every bar.
   */
  same: boolean | null;
  /** the interpreted loop agrees with the generated commit (same checks; null: not run) */
  sameInterpreted: boolean | null;
  finalEquity: Partial<Record<Side, string>>;
  fills: Partial<Record<Side, number>>;
  /** signal mode: the bar-by-bar comparison (bars with a fresh intent, first mismatch) */
  lockstep: Omit<LockstepResult, 'mismatch'> & { mismatch: string | null } | null;
  machine: ReturnType<typeof machine>;
}

const positional = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const option = (name: string) => process.argv.slice(2).find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const [name, dataFile, repsArg] = positional;
if (name === undefined || dataFile === undefined) {
  process.stderr.write('usage: engine-child.ts <pipeline | file.yaml> <data.csv.gz> [reps] [--mode=full|signal] [--sides=engine,fused,interpreted]\n');
  process.exit(2);
}
const reps = Number(repsArg ?? 7);
const mode = (option('mode') ?? 'full') as Mode;
if (mode !== 'full' && mode !== 'signal') throw new Error(`--mode is full or signal, got ${mode}`);
const sides = (option('sides') ?? 'engine,fused').split(',') as Side[];
for (const s of sides) if (s !== 'engine' && s !== 'fused' && s !== 'interpreted') throw new Error(`unknown side ${s}`);
const venueOn = mode === 'full';

const file = name.endsWith('.yaml') ? (isAbsolute(name) ? name : resolve(REPO_ROOT, name)) : examplePipeline(name);
const plan = compilePipelineFile(file, registry);
const fused = sides.includes('fused') ? handFused(plan.name) : null;
const data = loadPipelineData(plan, dataFile);

/** What a run leaves to compare: the paper venue in full mode, nothing in signal mode. */
type RunValue = PaperVenue | null;
const RUNS: Record<Side, () => RunValue> = {
  // full: exactly what `barflow run` does; signal: the same loop (kit.replay) with venue: null
  engine: venueOn ? () => paperVenueOf(runBacktest(plan, data)) : () => (replay(new IncrementalRunner(plan, { venue: null }), data), null),
  interpreted: () => {
    const venue = venueOn ? createVenue(plan) : null;
    replay(new IncrementalRunner(plan, { venue, interpret: true }), data);
    return venue instanceof PaperVenue ? venue : null;
  },
  fused: () => fused!.run(data, { venue: venueOn }).venue,
};

/**
 * Wall-clock ms of one run, and the process's CPU ms over it (user + system, all threads: GC and
 * JIT helpers included). On a loaded machine the CPU time leaves out the time the process waited
 * for a core. No full GC is forced before a run: a forced gc() leaves V8's heap shrunk, and the run
 * after it measured up to twice as slow as in steady state (checked 2026-11-21 on the incremental
 * executor); the rotation of sides spreads the garbage one run leaves to the next evenly instead.
 */
function timed<T>(run: () => T): { ms: number; cpuMs: number; value: T } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = run();
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { ms, cpuMs: (c.user + c.system) / 1000, value };
}

const fillKey = (f: FillRecord) => `${f.time} ${f.side} ${f.price.toString()} ${f.lots.toString()} ${f.fee.toString()} ${f.funding.toString()} ${f.reason}`;
const sameLedger = (a: PaperVenue, b: PaperVenue) => {
  const fa = a.ledger.fills.map(fillKey);
  const fb = b.ledger.fills.map(fillKey);
  const ra: Ledger['rejections'] = a.ledger.rejections;
  return a.equity.toString() === b.equity.toString() && ra.length === b.ledger.rejections.length && fa.length === fb.length && fa.every((f, i) => f === fb[i]);
};

/** The warm-up runs; their venues are compared, then dropped before the timed runs so no run carries them. */
function warmUp() {
  const values: Partial<Record<Side, RunValue>> = {};
  const ms: Partial<Record<Side, number>> = {};
  for (const side of sides) {
    const t = timed(RUNS[side]);
    values[side] = t.value;
    ms[side] = t.ms;
  }
  const finalEquity: Partial<Record<Side, string>> = {};
  const fills: Partial<Record<Side, number>> = {};
  for (const side of sides) {
    const v = values[side];
    if (v instanceof PaperVenue) {
      finalEquity[side] = v.equity.toString();
      fills[side] = v.ledger.fills.length;
    }
  }
  const compare = (side: Side) => {
    const a = values.engine;
    const b = values[side];
    return a instanceof PaperVenue && b instanceof PaperVenue ? sameLedger(a, b) : null;
  };
  return { ms, finalEquity, fills, same: venueOn && sides.includes('fused') ? compare('fused') : null, sameInterpreted: venueOn && sides.includes('interpreted') ? compare('interpreted') : null };
}
const warm = warmUp();

const samples: Record<Side, { ms: number[]; cpuMs: number[] }> = { engine: { ms: [], cpuMs: [] }, fused: { ms: [], cpuMs: [] }, interpreted: { ms: [], cpuMs: [] } };
for (let r = 0; r < reps; r++) {
  // rotate which side goes first, so a drift in machine load does not favour one side
  for (let k = 0; k < sides.length; k++) {
    const side = sides[(r + k) % sides.length]!;
    const t = timed(RUNS[side]);
    samples[side].ms.push(t.ms);
    samples[side].cpuMs.push(t.cpuMs);
  }
}

// signal mode has no ledger: after the timed runs, compare every node output on every bar instead
let check: EngineChildResult['lockstep'] = null;
let same = warm.same;
let sameInterpreted = warm.sameInterpreted;
if (!venueOn && fused !== null) {
  const r = lockstep(plan, data, fused.run, { venue: false, interpreted: sides.includes('interpreted') });
  const m = r.mismatch;
  check = { ...r, mismatch: m === null ? null : `bar ${m.bar} ${m.node}.${m.port} (${m.against}): ${String(m.actual)} ≠ ${String(m.expected)}` };
  same = m === null || m.against !== 'hand-fused';
  // the comparison stops at its first mismatch: after a hand-fused one the interpreter is unchecked
  if (sides.includes('interpreted')) sameInterpreted = m === null ? true : m.against === 'interpreted' ? false : null;
}

const result: EngineChildResult = {
  pipeline: plan.name,
  mode,
  sides,
  dataFile,
  bars: data.length,
  nodes: plan.nodes.length,
  engineMs: samples.engine.ms,
  fusedMs: samples.fused.ms,
  interpretedMs: samples.interpreted.ms,
  engineCpuMs: samples.engine.cpuMs,
  fusedCpuMs: samples.fused.cpuMs,
  interpretedCpuMs: samples.interpreted.cpuMs,
  warmupMs: warm.ms,
  same,
  sameInterpreted,
  finalEquity: warm.finalEquity,
  fills: warm.fills,
  lockstep: check,
  machine: machine(),
};
emit(result);

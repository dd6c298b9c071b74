import { compilePipelineFile } from '../../engine/pipeline/compile.ts';
import { loadPipelineData, paperVenueOf, runBacktest } from '../../engine/run/backtest.ts';
import { registry } from '../../nodes/index.ts';
import { collectGarbage, emit, examplePipeline, machine } from './common.ts';
import { handFused } from './hand-fused/index.ts';

/**
 * One pipeline, in its own process (spawned by engine-bench.ts):
 *   node --import tsx --expose-gc tests/bench/engine-child.ts <pipeline> <data> <reps>
 * Compiles once, loads the data once, then times runBacktest (the engine) and the hand-fused copy
 * over all bars: one warm-up run of each, then `reps` runs of each, alternating which goes first,
 * with a full GC before every timed run. Prints one JSON line.
 */

export interface EngineChildResult {
  pipeline: string;
  dataFile: string;
  bars: number;
  nodes: number;
  /** wall-clock ms of each timed run */
  engineMs: number[];
  fusedMs: number[];
  /** CPU ms (user + system) of each timed run */
  engineCpuMs: number[];
  fusedCpuMs: number[];
  warmupMs: { engine: number; fused: number };
  /** the two runs agree on this data too (fills, rejections, final equity) */
  same: boolean;
  finalEquity: { engine: string; fused: string };
  fills: { engine: number; fused: number };
  machine: ReturnType<typeof machine>;
}

const [name, dataFile, repsArg] = process.argv.slice(2);
if (name === undefined || dataFile === undefined) {
  process.stderr.write('usage: engine-child.ts <pipeline> <data.csv.gz> [reps]\n');
  process.exit(2);
}
const reps = Number(repsArg ?? 7);

const plan = compilePipelineFile(examplePipeline(name), registry);
const fused = handFused(plan.name);
const data = loadPipelineData(plan, dataFile);

const runEngine = () => paperVenueOf(runBacktest(plan, data))!;
const runFused = () => fused.run(data).venue;

/**
 * Wall-clock ms of one run, and the process's CPU ms over it (user + system, all threads: GC and
 * JIT helpers included), after a full GC so that no run pays for the garbage of the one before.
 * On a loaded machine the CPU time leaves out the time the process waited for a core.
 */
function timed<T>(run: () => T): { ms: number; cpuMs: number; value: T } {
  collectGarbage();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = run();
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { ms, cpuMs: (c.user + c.system) / 1000, value };
}

type Fill = { time: number; side: string; price: object; lots: object; fee: object; funding: object; reason: string };
const fillKey = (f: Fill) => `${f.time} ${f.side} ${f.price.toString()} ${f.lots.toString()} ${f.fee.toString()} ${f.funding.toString()} ${f.reason}`;

/** The warm-up runs, compared; their venues are dropped before the timed runs so no run carries them. */
function warmUp() {
  const engine = timed(runEngine);
  const fused = timed(runFused);
  const engineFills = engine.value.ledger.fills.map(fillKey);
  const fusedFills = fused.value.ledger.fills.map(fillKey);
  const same =
    engine.value.equity.toString() === fused.value.equity.toString() &&
    engine.value.ledger.rejections.length === fused.value.ledger.rejections.length &&
    engineFills.length === fusedFills.length &&
    engineFills.every((f, i) => f === fusedFills[i]);
  return {
    ms: { engine: engine.ms, fused: fused.ms },
    same,
    finalEquity: { engine: engine.value.equity.toString(), fused: fused.value.equity.toString() },
    fills: { engine: engineFills.length, fused: fusedFills.length },
  };
}
const warm = warmUp();

const engineMs: number[] = [];
const fusedMs: number[] = [];
const engineCpuMs: number[] = [];
const fusedCpuMs: number[] = [];
const engineSample = () => {
  const t = timed(runEngine);
  engineMs.push(t.ms);
  engineCpuMs.push(t.cpuMs);
};
const fusedSample = () => {
  const t = timed(runFused);
  fusedMs.push(t.ms);
  fusedCpuMs.push(t.cpuMs);
};
for (let r = 0; r < reps; r++) {
  // alternate which goes first, so a drift in machine load does not favour one side
  if (r % 2 === 0) {
    engineSample();
    fusedSample();
  } else {
    fusedSample();
    engineSample();
  }
}

const result: EngineChildResult = {
  pipeline: plan.name,
  dataFile,
  bars: data.length,
  nodes: plan.nodes.length,
  engineMs,
  fusedMs,
  engineCpuMs,
  fusedCpuMs,
  warmupMs: warm.ms,
  same: warm.same,
  finalEquity: warm.finalEquity,
  fills: warm.fills,
  machine: machine(),
};
emit(result);

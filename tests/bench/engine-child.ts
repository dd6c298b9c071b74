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
  engineMs: number[];
  fusedMs: number[];
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
const reps = Number(repsArg ?? 5);

const plan = compilePipelineFile(examplePipeline(name), registry);
const fused = handFused(plan.name);
const data = loadPipelineData(plan, dataFile);

const runEngine = () => paperVenueOf(runBacktest(plan, data))!;
const runFused = () => fused.run(data).venue;

/** ms of one run, after a full GC so that no run pays for the garbage of the one before */
function timed<T>(run: () => T): { ms: number; value: T } {
  collectGarbage();
  const t0 = performance.now();
  const value = run();
  return { ms: performance.now() - t0, value };
}

type Fill = { time: number; side: string; price: object; lots: object; fee: object; funding: object; reason: string };
const fillKey = (f: Fill) => `${f.time} ${f.side} ${f.price.toString()} ${f.lots.toString()} ${f.fee.toString()} ${f.funding.toString()} ${f.reason}`;

const warmEngine = timed(runEngine);
const warmFused = timed(runFused);
const engineFills = warmEngine.value.ledger.fills.map(fillKey);
const fusedFills = warmFused.value.ledger.fills.map(fillKey);
const same =
  warmEngine.value.equity.toString() === warmFused.value.equity.toString() &&
  warmEngine.value.ledger.rejections.length === warmFused.value.ledger.rejections.length &&
  engineFills.length === fusedFills.length &&
  engineFills.every((f, i) => f === fusedFills[i]);

const engineMs: number[] = [];
const fusedMs: number[] = [];
for (let r = 0; r < reps; r++) {
  // alternate which goes first, so a drift in machine load does not favour one side
  if (r % 2 === 0) {
    engineMs.push(timed(runEngine).ms);
    fusedMs.push(timed(runFused).ms);
  } else {
    fusedMs.push(timed(runFused).ms);
    engineMs.push(timed(runEngine).ms);
  }
}

const result: EngineChildResult = {
  pipeline: plan.name,
  dataFile,
  bars: data.length,
  nodes: plan.nodes.length,
  engineMs,
  fusedMs,
  warmupMs: { engine: warmEngine.ms, fused: warmFused.ms },
  same,
  finalEquity: { engine: warmEngine.value.equity.toString(), fused: warmFused.value.equity.toString() },
  fills: { engine: engineFills.length, fused: fusedFills.length },
  machine: machine(),
};
emit(result);

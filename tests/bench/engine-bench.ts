import { relative } from 'node:path';
import { BTC_5M, EXAMPLES, REPO_ROOT, intOption, isMain, machine, machineLine, median, pct, rate, ratio, runChild, spread, table, writeResult } from './common.ts';
import type { EngineChildResult } from './engine-child.ts';

/**
 * Engine overhead: each example pipeline through runBacktest (the graph executor) against its
 * hand-fused copy (tests/bench/hand-fused/: the same node steps and venue, called in one straight
 * loop). ratio = engine time / hand-fused time: 1.00 means the graph machinery costs nothing, the
 * target is ≤ 1.5. Each pipeline runs in its own process (engine-child.ts).
 */

export const ENGINE_TARGET = 1.5;

export interface EngineRow {
  pipeline: string;
  bars: number;
  nodes: number;
  engineMs: number;
  fusedMs: number;
  engineBarsPerSec: number;
  fusedBarsPerSec: number;
  ratio: number;
  /** the same ratio from the runs' CPU time (user + system): less sensitive to waiting for a core */
  cpuRatio: number;
  engineSpread: number;
  fusedSpread: number;
  same: boolean;
}

export function runEngineBench(argv: readonly string[] = []): EngineRow[] {
  const reps = intOption(argv, 'reps', 7);
  const data = relative(REPO_ROOT, BTC_5M);
  process.stdout.write(`\n== engine: runBacktest vs hand-fused, ${data}, median of ${reps} runs after 1 warm-up ==\n`);
  const children: EngineChildResult[] = [];
  const rows: EngineRow[] = [];
  for (const name of EXAMPLES) {
    process.stdout.write(`  ${name} ...`);
    const r = runChild<EngineChildResult>('engine-child.ts', [name, BTC_5M, String(reps)]);
    children.push(r);
    const engineMs = median(r.engineMs);
    const fusedMs = median(r.fusedMs);
    rows.push({
      pipeline: r.pipeline,
      bars: r.bars,
      nodes: r.nodes,
      engineMs,
      fusedMs,
      engineBarsPerSec: r.bars / (engineMs / 1000),
      fusedBarsPerSec: r.bars / (fusedMs / 1000),
      ratio: engineMs / fusedMs,
      cpuRatio: median(r.engineCpuMs) / median(r.fusedCpuMs),
      engineSpread: spread(r.engineMs),
      fusedSpread: spread(r.fusedMs),
      same: r.same,
    });
    process.stdout.write(` done\n`);
  }
  const header = ['pipeline', 'nodes', 'bars', 'engine bars/s', 'hand-fused bars/s', 'engine ms', 'fused ms', 'spread e/f', 'ratio', 'cpu ratio', 'same result'];
  const body = rows.map((r) => [
    r.pipeline,
    String(r.nodes),
    String(r.bars),
    rate(r.engineBarsPerSec),
    rate(r.fusedBarsPerSec),
    r.engineMs.toFixed(0),
    r.fusedMs.toFixed(0),
    `${pct(r.engineSpread)}/${pct(r.fusedSpread)}`,
    ratio(r.ratio),
    ratio(r.cpuRatio),
    r.same ? 'yes' : 'NO',
  ]);
  process.stdout.write('\n' + table(header, body) + '\n');
  process.stdout.write(`ratio = engine time / hand-fused time, wall clock (target ≤ ${ENGINE_TARGET}); cpu ratio = the same from CPU time;\n`);
  process.stdout.write('spread = (max − min) / median of the timed wall-clock runs (engine/fused)\n');
  const over = rows.filter((r) => r.ratio > ENGINE_TARGET);
  if (over.length > 0) process.stdout.write(`above target: ${over.map((r) => r.pipeline).join(', ')} — profile with node --cpu-prof (docs/how-to/benchmarks.md)\n`);
  const differ = rows.filter((r) => !r.same);
  if (differ.length > 0) process.stdout.write(`WARNING: engine and hand-fused disagree on ${differ.map((r) => r.pipeline).join(', ')}: the comparison is void (run npx vitest run tests/parity)\n`);
  const file = writeResult('engine', { part: 'engine', date: new Date().toISOString(), machine: machine(), data, reps, warmup: 1, target: ENGINE_TARGET, rows, runs: children });
  process.stdout.write(`results: ${relative(REPO_ROOT, file)}\n`);
  return rows;
}

if (isMain(import.meta.url)) {
  process.stdout.write(machineLine() + '\n');
  runEngineBench(process.argv.slice(2));
}

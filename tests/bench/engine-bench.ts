import { relative } from 'node:path';
import { BTC_5M, EXAMPLES, REPO_ROOT, intOption, isMain, machine, machineLine, median, pct, rate, ratio, runChild, spread, table, writeResult } from './common.ts';
import type { EngineChildResult, Mode } from './engine-child.ts';

/**
 * Engine overhead: each example pipeline through the graph executor against its hand-fused copy
 * (tests/bench/hand-fused/: the same node steps, called in one straight loop), twice:
 *   full          runBacktest with the paper venue vs the hand-fused copy with the same venue: the
 *                 headline ratio (engine time / hand-fused time; target ≤ 1.5)
 *   signal graph  the same plan with venue: null vs the hand-fused copy without the venue calls:
 *                 the venue's share of each bar no longer dilutes the graph's own overhead
 * and in both, a third side: the engine with interpret: true (the generic loop instead of the
 * generated per-plan commit). Each pipeline and mode runs in its own process (engine-child.ts).
 */

export const ENGINE_TARGET = 1.5;

export interface Comparison {
  mode: Mode;
  engineMs: number;
  fusedMs: number;
  interpretedMs: number;
  engineBarsPerSec: number;
  fusedBarsPerSec: number;
  interpretedBarsPerSec: number;
  /** engine time / hand-fused time (wall clock), and the same from CPU time (user + system) */
  ratio: number;
  cpuRatio: number;
  /** interpreted engine time / hand-fused time */
  interpretedRatio: number;
  interpretedCpuRatio: number;
  /** interpreted time / generated-commit time: what the generated commit saves (> 1: faster) */
  commitGain: number;
  commitGainCpu: number;
  engineSpread: number;
  fusedSpread: number;
  interpretedSpread: number;
  /** the hand-fused copy computes the same (full: fills, rejections, equity; signal: every node output on every bar) */
  same: boolean | null;
  sameInterpreted: boolean | null;
}

export interface EngineRow {
  pipeline: string;
  bars: number;
  nodes: number;
  /** the whole pipeline, paper venue included: the headline */
  full: Comparison;
  /** no venue on either side */
  signal: Comparison;
}

const SIDES = '--sides=engine,fused,interpreted';

function compare(r: EngineChildResult): Comparison {
  const engineMs = median(r.engineMs);
  const fusedMs = median(r.fusedMs);
  const interpretedMs = median(r.interpretedMs);
  const engineCpu = median(r.engineCpuMs);
  const fusedCpu = median(r.fusedCpuMs);
  const interpretedCpu = median(r.interpretedCpuMs);
  const perSec = (ms: number) => r.bars / (ms / 1000);
  return {
    mode: r.mode,
    engineMs,
    fusedMs,
    interpretedMs,
    engineBarsPerSec: perSec(engineMs),
    fusedBarsPerSec: perSec(fusedMs),
    interpretedBarsPerSec: perSec(interpretedMs),
    ratio: engineMs / fusedMs,
    cpuRatio: engineCpu / fusedCpu,
    interpretedRatio: interpretedMs / fusedMs,
    interpretedCpuRatio: interpretedCpu / fusedCpu,
    commitGain: interpretedMs / engineMs,
    commitGainCpu: interpretedCpu / engineCpu,
    engineSpread: spread(r.engineMs),
    fusedSpread: spread(r.fusedMs),
    interpretedSpread: spread(r.interpretedMs),
    same: r.same,
    sameInterpreted: r.sameInterpreted,
  };
}

const yesNo = (v: boolean | null) => (v === null ? '—' : v ? 'yes' : 'NO');
const both = (wall: number, cpu: number) => `${ratio(wall)} / ${ratio(cpu)}`;

function detailTable(rows: readonly EngineRow[], mode: Mode): string {
  const header = ['pipeline', 'nodes', 'bars', 'engine bars/s', 'hand-fused bars/s', 'interpreted bars/s', 'engine ms', 'fused ms', 'interp ms', 'spread e/f/i', 'ratio', 'cpu ratio', 'same result'];
  const body = rows.map((row) => {
    const c = mode === 'full' ? row.full : row.signal;
    return [
      row.pipeline,
      String(row.nodes),
      String(row.bars),
      rate(c.engineBarsPerSec),
      rate(c.fusedBarsPerSec),
      rate(c.interpretedBarsPerSec),
      c.engineMs.toFixed(0),
      c.fusedMs.toFixed(0),
      c.interpretedMs.toFixed(0),
      `${pct(c.engineSpread)}/${pct(c.fusedSpread)}/${pct(c.interpretedSpread)}`,
      ratio(c.ratio),
      ratio(c.cpuRatio),
      `${yesNo(c.same)}${c.sameInterpreted === false ? ' (interp NO)' : ''}`,
    ];
  });
  return table(header, body);
}

export function runEngineBench(argv: readonly string[] = []): EngineRow[] {
  const reps = intOption(argv, 'reps', 7);
  // a signal-graph run is 4–8 times shorter than a full one: more of them for a steady median
  const signalReps = intOption(argv, 'signal-reps', 3 * reps);
  const data = relative(REPO_ROOT, BTC_5M);
  process.stdout.write(`\n== engine: graph engine vs hand-fused, ${data}, median of ${reps} runs (full) and ${signalReps} runs (signal graph) after 1 warm-up, sides interleaved ==\n`);
  const children: EngineChildResult[] = [];
  const rows: EngineRow[] = [];
  for (const name of EXAMPLES) {
    process.stdout.write(`  ${name} ...`);
    const full = runChild<EngineChildResult>('engine-child.ts', [name, BTC_5M, String(reps), '--mode=full', SIDES]);
    process.stdout.write(' full');
    const signal = runChild<EngineChildResult>('engine-child.ts', [name, BTC_5M, String(signalReps), '--mode=signal', SIDES]);
    process.stdout.write(' signal-graph done\n');
    children.push(full, signal);
    rows.push({ pipeline: full.pipeline, bars: full.bars, nodes: full.nodes, full: compare(full), signal: compare(signal) });
  }

  process.stdout.write('\nfull pipeline (headline): runBacktest with the paper venue vs the hand-fused copy with the same venue\n');
  process.stdout.write(detailTable(rows, 'full') + '\n');
  process.stdout.write('\nsignal graph only: the same plan with venue: null vs the hand-fused copy without the venue calls (account null: risk and executor idle)\n');
  process.stdout.write(detailTable(rows, 'signal') + '\n');

  process.stdout.write('\nratios side by side (wall clock / CPU time)\n');
  const header = ['pipeline', 'full (headline)', 'signal graph only', 'interpreted: full', 'interpreted: signal graph', 'commit gain: full', 'commit gain: signal graph'];
  const body = rows.map((r) => [
    r.pipeline,
    both(r.full.ratio, r.full.cpuRatio),
    both(r.signal.ratio, r.signal.cpuRatio),
    both(r.full.interpretedRatio, r.full.interpretedCpuRatio),
    both(r.signal.interpretedRatio, r.signal.interpretedCpuRatio),
    both(r.full.commitGain, r.full.commitGainCpu),
    both(r.signal.commitGain, r.signal.commitGainCpu),
  ]);
  process.stdout.write(table(header, body) + '\n');
  process.stdout.write(`ratio = engine time / hand-fused time (target ≤ ${ENGINE_TARGET} for the full pipeline); interpreted = the same with interpret: true\n`);
  process.stdout.write('(the generic loop); commit gain = interpreted time / generated-commit time (> 1: the generated commit is faster)\n');
  process.stdout.write('cpu = the same ratios from CPU time (user + system); spread = (max − min) / median of the timed wall-clock runs (engine/fused/interpreted)\n');
  const over = rows.filter((r) => r.full.ratio > ENGINE_TARGET);
  if (over.length > 0) process.stdout.write(`above target: ${over.map((r) => r.pipeline).join(', ')} — profile with node --cpu-prof (docs/how-to/benchmarks.md)\n`);
  const differ = rows.flatMap((r) => [r.full, r.signal].filter((c) => c.same !== true || c.sameInterpreted !== true).map((c) => `${r.pipeline} (${c.mode})`));
  if (differ.length > 0) process.stdout.write(`WARNING: engine, interpreter and hand-fused disagree on ${differ.join(', ')}: the comparison is void (run npx vitest run tests/parity)\n`);
  const file = writeResult('engine', { part: 'engine', date: new Date().toISOString(), machine: machine(), data, reps, signalReps, warmup: 1, target: ENGINE_TARGET, rows, runs: children });
  process.stdout.write(`results: ${relative(REPO_ROOT, file)}\n`);
  return rows;
}

if (isMain(import.meta.url)) {
  process.stdout.write(machineLine() + '\n');
  runEngineBench(process.argv.slice(2));
}

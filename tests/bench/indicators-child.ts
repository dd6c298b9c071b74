import { collectGarbage, emit, median, readColumnsCache } from './common.ts';
import { benchData, indicatorCase, type Impl, type Pass } from './indicator-cases.ts';

/**
 * One indicator, in its own process (spawned by indicators-bench.ts):
 *   node --import tsx --expose-gc tests/bench/indicators-child.ts <case> <columns.f64> <rounds> <sampleMs>
 * (<columns.f64>: the data's columns as written by writeColumnsCache).
 * Every implementation is warmed up (at least 5 passes and 200 ms), then timed in `rounds`
 * rounds, implementations interleaved (the starting one rotates). A sample is as many whole
 * passes as fill about `sampleMs`, so fast and slow implementations are timed over similar spans;
 * the result is the median time per pass. Prints one JSON line.
 */

export interface ImplResult {
  impl: Impl;
  passesPerSample: number;
  /** ms per pass over the whole series, one per round */
  msPerPass: number[];
  medianMsPerPass: number;
  updatesPerSec: number;
  /** CPU ms (user + system, all threads) per pass, one per round, and the rate from their median */
  cpuMsPerPass: number[];
  cpuUpdatesPerSec: number;
  checksum: number;
}

export interface IndicatorChildResult {
  id: string;
  bars: number;
  results: ImplResult[];
  /** sum of the checksums of all timed passes */
  sink: number;
}

const [id, dataFile, roundsArg, sampleMsArg] = process.argv.slice(2);
if (id === undefined || dataFile === undefined) {
  process.stderr.write('usage: indicators-child.ts <case> <columns.f64> [rounds] [sampleMs]\n');
  process.exit(2);
}
const rounds = Number(roundsArg ?? 5);
const sampleMs = Number(sampleMsArg ?? 40);

const c = indicatorCase(id);
const d = benchData(readColumnsCache(dataFile));
const impls: [Impl, Pass][] = [['ours', c.ours], ['ours batch', c.oursBatch], ...(Object.entries(c.peers) as [Impl, Pass][])];

const state = impls.map(([impl, pass]) => {
  let checksum = 0;
  let passes = 0;
  // the fastest warm-up pass sizes the samples: the slow ones ran unoptimised code or were preempted
  let fastest = Infinity;
  const start = performance.now();
  while (passes < 5 || performance.now() - start < 200) {
    const t0 = performance.now();
    checksum = pass(d);
    fastest = Math.min(fastest, performance.now() - t0);
    passes++;
  }
  return { impl, pass, checksum, passesPerSample: Math.max(1, Math.ceil(sampleMs / Math.max(fastest, 1e-3))), msPerPass: [] as number[], cpuMsPerPass: [] as number[] };
});

let sink = 0;
for (let r = 0; r < rounds; r++) {
  for (let k = 0; k < state.length; k++) {
    const s = state[(r + k) % state.length]!;
    collectGarbage();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (let p = 0; p < s.passesPerSample; p++) sink += s.pass(d);
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(c0);
    s.msPerPass.push(ms / s.passesPerSample);
    s.cpuMsPerPass.push((cpu.user + cpu.system) / 1000 / s.passesPerSample);
  }
}

// the sum of every timed pass's checksum goes out with the result, so no pass is dead code
const result: IndicatorChildResult = {
  id: c.id,
  sink,
  bars: d.length,
  results: state.map((s) => {
    const m = median(s.msPerPass);
    const cpu = median(s.cpuMsPerPass);
    return {
      impl: s.impl,
      passesPerSample: s.passesPerSample,
      msPerPass: s.msPerPass,
      medianMsPerPass: m,
      updatesPerSec: d.length / (m / 1000),
      cpuMsPerPass: s.cpuMsPerPass,
      cpuUpdatesPerSec: d.length / (cpu / 1000),
      checksum: s.checksum,
    };
  }),
};
emit(result);

import { relative } from 'node:path';
import { CANONICAL, ETH_5M, EXAMPLES, REPO_ROOT, examplePipeline, intOption, isMain, machine, machineLine, median, pct, rate, ratio, runChild, spread, table, writeResult } from './common.ts';
import type { EngineChildResult } from './engine-child.ts';
import { RSS_FLAGS } from './rss-bench.ts';
import type { RssChildResult } from './rss-child.ts';

/**
 * The canonical pipeline (pipelines/canonical/enygma.yaml, 177 nodes) over its own data, the
 * embedded ETH 5m candles, measured in one run with the hand-fused baselines of the engine part
 * on the same data: bars/s, the canonical's time per bar over each baseline's, its cost per node
 * against each example pipeline's engine run, and its peak RSS over a data-only baseline.
 *
 * Timing: rounds of child processes (engine-child.ts): in each round one process times the
 * canonical (runBacktest, after a warm-up run) and one process per example times its engine run and
 * its hand-fused copy, in an order that rotates from round to round, so that a drift in machine
 * load spreads over all of them. Every figure is the median over all rounds' timed runs.
 * Memory: rss-child.ts processes, the canonical backtest and the data-only baseline alternated.
 */

export interface CanonicalTiming {
  run: string;
  pipeline: string;
  side: 'engine' | 'hand-fused';
  nodes: number;
  bars: number;
  ms: number;
  cpuMs: number;
  barsPerSec: number;
  /** ns per node per bar: time per bar / nodes (every node counted on every base bar, fired or not) */
  nsPerNodeBar: number;
  cpuNsPerNodeBar: number;
  spread: number;
  samplesMs: number[];
}

export interface CanonicalVsBaseline {
  baseline: string;
  baselineNodes: number;
  baselineBarsPerSec: number;
  canonicalBarsPerSec: number;
  /** canonical time per bar / hand-fused baseline time per bar (wall clock, CPU time) */
  ratio: number;
  cpuRatio: number;
  /** canonical ns per node·bar / the example's engine ns per node·bar */
  perNodeRatio: number;
  perNodeCpuRatio: number;
  /** the example's engine and hand-fused runs agree (fills, rejections, final equity) */
  same: boolean | null;
}

export interface CanonicalResult {
  timings: CanonicalTiming[];
  vsBaselines: CanonicalVsBaseline[];
  rss: { baselineMiB: number; canonicalMiB: number; overBaselineMiB: number; baselineSamplesMiB: number[]; canonicalSamplesMiB: number[]; heapUsedMiB: number; ms: number };
}

export function runCanonicalBench(argv: readonly string[] = []): CanonicalResult {
  const rounds = intOption(argv, 'canonical-rounds', 3);
  const reps = intOption(argv, 'canonical-reps', 3);
  const rssReps = intOption(argv, 'rss-reps', 3);
  const data = relative(REPO_ROOT, ETH_5M);
  const pipelineFile = relative(REPO_ROOT, CANONICAL);
  process.stdout.write(`\n== canonical: ${pipelineFile} vs the hand-fused baselines, ${data}, ${rounds} rounds × ${reps} runs per process (after 1 warm-up each), median ==\n`);

  // --- timing: rounds of processes, order rotated per round
  const jobs: { key: string; args: string[] }[] = [
    { key: 'canonical', args: [CANONICAL, ETH_5M, String(reps), '--mode=full', '--sides=engine'] },
    ...EXAMPLES.map((name) => ({ key: name, args: [examplePipeline(name), ETH_5M, String(reps), '--mode=full', '--sides=engine,fused'] })),
  ];
  const runs: Record<string, EngineChildResult[]> = Object.fromEntries(jobs.map((j) => [j.key, []]));
  for (let r = 0; r < rounds; r++) {
    process.stdout.write(`  round ${r + 1}/${rounds}:`);
    for (let k = 0; k < jobs.length; k++) {
      const job = jobs[(r + k) % jobs.length]!;
      runs[job.key]!.push(runChild<EngineChildResult>('engine-child.ts', job.args));
      process.stdout.write(` ${job.key}`);
    }
    process.stdout.write('\n');
  }

  const timing = (key: string, side: 'engine' | 'hand-fused'): CanonicalTiming => {
    const list = runs[key]!;
    const first = list[0]!;
    const samplesMs = list.flatMap((c) => (side === 'engine' ? c.engineMs : c.fusedMs));
    const cpuSamples = list.flatMap((c) => (side === 'engine' ? c.engineCpuMs : c.fusedCpuMs));
    const ms = median(samplesMs);
    const cpuMs = median(cpuSamples);
    const perNodeBar = (t: number) => (t * 1e6) / first.bars / first.nodes;
    return {
      run: key === 'canonical' ? `canonical ${first.pipeline} (engine)` : `${first.pipeline} ${side}`,
      pipeline: first.pipeline,
      side,
      nodes: first.nodes,
      bars: first.bars,
      ms,
      cpuMs,
      barsPerSec: first.bars / (ms / 1000),
      nsPerNodeBar: perNodeBar(ms),
      cpuNsPerNodeBar: perNodeBar(cpuMs),
      spread: spread(samplesMs),
      samplesMs,
    };
  };
  const canonical = timing('canonical', 'engine');
  const examples = EXAMPLES.map((name) => ({ name, engine: timing(name, 'engine'), fused: timing(name, 'hand-fused'), same: runs[name]!.every((c) => c.same === true) }));
  const timings = [canonical, ...examples.flatMap((e) => [e.engine, e.fused])];

  const perBar = (t: CanonicalTiming) => t.ms / t.bars;
  const cpuPerBar = (t: CanonicalTiming) => t.cpuMs / t.bars;
  const vsBaselines: CanonicalVsBaseline[] = examples.map((e) => ({
    baseline: e.name,
    baselineNodes: e.fused.nodes,
    baselineBarsPerSec: e.fused.barsPerSec,
    canonicalBarsPerSec: canonical.barsPerSec,
    ratio: perBar(canonical) / perBar(e.fused),
    cpuRatio: cpuPerBar(canonical) / cpuPerBar(e.fused),
    perNodeRatio: canonical.nsPerNodeBar / e.engine.nsPerNodeBar,
    perNodeCpuRatio: canonical.cpuNsPerNodeBar / e.engine.cpuNsPerNodeBar,
    same: e.same,
  }));

  // --- memory: the canonical backtest and the data-only baseline, alternated, after one warm-up of each
  process.stdout.write(`  peak RSS: ${rssReps} runs each, alternated ...`);
  const baselineArgs = ['--baseline', ETH_5M];
  const canonicalArgs = [CANONICAL, ETH_5M];
  runChild<RssChildResult>('rss-child.ts', baselineArgs, RSS_FLAGS); // warm-up: file and transform caches
  runChild<RssChildResult>('rss-child.ts', canonicalArgs, RSS_FLAGS);
  const rssBaseline: RssChildResult[] = [];
  const rssCanonical: RssChildResult[] = [];
  for (let r = 0; r < rssReps; r++) {
    if (r % 2 === 0) {
      rssBaseline.push(runChild<RssChildResult>('rss-child.ts', baselineArgs, RSS_FLAGS));
      rssCanonical.push(runChild<RssChildResult>('rss-child.ts', canonicalArgs, RSS_FLAGS));
    } else {
      rssCanonical.push(runChild<RssChildResult>('rss-child.ts', canonicalArgs, RSS_FLAGS));
      rssBaseline.push(runChild<RssChildResult>('rss-child.ts', baselineArgs, RSS_FLAGS));
    }
  }
  process.stdout.write(' done\n');
  const mib = (c: RssChildResult) => c.maxRssKiB / 1024;
  const baselineSamplesMiB = rssBaseline.map(mib);
  const canonicalSamplesMiB = rssCanonical.map(mib);
  const rss = {
    baselineMiB: median(baselineSamplesMiB),
    canonicalMiB: median(canonicalSamplesMiB),
    overBaselineMiB: median(canonicalSamplesMiB) - median(baselineSamplesMiB),
    baselineSamplesMiB,
    canonicalSamplesMiB,
    heapUsedMiB: median(rssCanonical.map((c) => c.heapUsedMiB)),
    ms: median(rssCanonical.map((c) => c.ms)),
  };

  // --- tables
  process.stdout.write(`\nthroughput on ${data} (runBacktest with the paper venue; hand-fused = the engine part's baselines)\n`);
  process.stdout.write(
    table(
      ['run', 'nodes', 'bars', 'bars/s', 'ms', 'spread', 'ns/node·bar', 'cpu ns/node·bar', 'samples'],
      timings.map((t) => [t.run, String(t.nodes), String(t.bars), rate(t.barsPerSec), t.ms.toFixed(0), pct(t.spread), t.nsPerNodeBar.toFixed(1), t.cpuNsPerNodeBar.toFixed(1), String(t.samplesMs.length)]),
    ) + '\n',
  );
  process.stdout.write('ns/node·bar = time per bar / nodes: the average cost of one node of the graph per base bar (nodes on a slower clock count on every base bar)\n');

  process.stdout.write(`\ncanonical (${canonical.nodes} nodes, ${rate(canonical.barsPerSec)} bars/s) against each hand-fused baseline, same data, same run\n`);
  process.stdout.write(
    table(
      ['baseline', 'nodes', 'baseline bars/s', 'canonical bars/s', 'time/bar ratio', 'cpu ratio', 'per-node ratio', 'per-node cpu', 'baseline checked'],
      vsBaselines.map((v) => [
        `${v.baseline} hand-fused`,
        String(v.baselineNodes),
        rate(v.baselineBarsPerSec),
        rate(v.canonicalBarsPerSec),
        ratio(v.ratio),
        ratio(v.cpuRatio),
        ratio(v.perNodeRatio),
        ratio(v.perNodeCpuRatio),
        v.same === null ? '—' : v.same ? 'yes' : 'NO',
      ]),
    ) + '\n',
  );
  process.stdout.write(`time/bar ratio = canonical time per bar / hand-fused baseline time per bar. NOT a like-for-like overhead ratio: it sets a\n`);
  process.stdout.write(`${canonical.nodes}-node strategy against ${Math.min(...vsBaselines.map((v) => v.baselineNodes))}–${Math.max(...vsBaselines.map((v) => v.baselineNodes))}-node hand-fused examples, so it is the cost of the canonical graph relative to the simplest fused`);
  process.stdout.write(`\ncode (the graph's own overhead is the engine part's ratio). per-node ratio = canonical ns/node·bar / that example's ENGINE ns/node·bar.\n`);
  process.stdout.write('cpu = the same from CPU time (user + system); baseline checked = that example\'s engine and hand-fused runs left the same fills and equity\n');

  process.stdout.write(`\npeak RSS of a full backtest of the canonical on ${data} (compile, load, runBacktest, summarise; child process maxRSS)\n`);
  process.stdout.write(
    table(
      ['run', 'peak RSS MiB', 'over baseline MiB', 'samples MiB', 'heap at end MiB', 'time s'],
      [
        ['baseline (load data only)', rss.baselineMiB.toFixed(1), '—', baselineSamplesMiB.map((s) => s.toFixed(0)).join(' '), '—', '—'],
        [`canonical ${canonical.pipeline}`, rss.canonicalMiB.toFixed(1), `+${rss.overBaselineMiB.toFixed(1)}`, canonicalSamplesMiB.map((s) => s.toFixed(0)).join(' '), rss.heapUsedMiB.toFixed(1), (rss.ms / 1000).toFixed(1)],
      ],
    ) + '\n',
  );
  const differ = vsBaselines.filter((v) => v.same !== true);
  if (differ.length > 0) process.stdout.write(`WARNING: engine and hand-fused disagree on ${differ.map((v) => v.baseline).join(', ')}: those baselines are void (run npx vitest run tests/parity)\n`);

  const result: CanonicalResult = { timings, vsBaselines, rss };
  const file = writeResult('canonical', {
    part: 'canonical',
    date: new Date().toISOString(),
    machine: machine(),
    data,
    pipeline: pipelineFile,
    rounds,
    repsPerRound: reps,
    rssReps,
    warmup: 1,
    ...result,
    runs,
    rssRuns: { baseline: rssBaseline, canonical: rssCanonical },
  });
  process.stdout.write(`results: ${relative(REPO_ROOT, file)}\n`);
  return result;
}

if (isMain(import.meta.url)) {
  process.stdout.write(machineLine() + '\n');
  runCanonicalBench(process.argv.slice(2));
}

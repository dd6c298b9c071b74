import { relative } from 'node:path';
import { BTC_5M, CANONICAL, EXAMPLES, REPO_ROOT, examplePipeline, intOption, isMain, machine, machineLine, median, runChild, table, writeResult } from './common.ts';
import type { RssChildResult } from './rss-child.ts';

/**
 * Peak RSS of a full backtest (compile, load, runBacktest, summarise) per example pipeline and the
 * canonical pipeline (pipelines/canonical/enygma.yaml, on the same BTC data as the others), each in
 * a fresh process, against a baseline process that imports the same code and only loads the data.
 * The difference is what the backtest itself holds at its peak: node state, the venue's ledger
 * (an equity point per bar, every fill and trade) and garbage not yet collected.
 */

export const RSS_FLAGS = ['--import', 'tsx'] as const;

export interface RssRow {
  run: string;
  nodes: number | null;
  bars: number;
  maxRssMiB: number;
  overBaselineMiB: number;
  samplesMiB: number[];
  heapUsedMiB: number;
  ms: number;
}

export function runRssBench(argv: readonly string[] = []): RssRow[] {
  const reps = intOption(argv, 'rss-reps', 3);
  const data = relative(REPO_ROOT, BTC_5M);
  process.stdout.write(`\n== rss: peak RSS of a full backtest (child processes), ${data}, median of ${reps} runs after 1 warm-up ==\n`);
  const configs: { run: string; args: string[] }[] = [
    { run: 'baseline (load data only)', args: ['--baseline', BTC_5M] },
    ...EXAMPLES.map((name) => ({ run: name, args: [examplePipeline(name), BTC_5M] })),
    { run: 'canonical (enygma)', args: [CANONICAL, BTC_5M] },
  ];
  const runs: Record<string, RssChildResult[]> = {};
  for (const config of configs) {
    process.stdout.write(`  ${config.run} ...`);
    runChild<RssChildResult>('rss-child.ts', config.args, RSS_FLAGS); // warm-up: file and transform caches
    runs[config.run] = Array.from({ length: reps }, () => runChild<RssChildResult>('rss-child.ts', config.args, RSS_FLAGS));
    process.stdout.write(' done\n');
  }
  const mib = (kib: number) => kib / 1024;
  const baseline = median(runs[configs[0]!.run]!.map((r) => mib(r.maxRssKiB)));
  const rows: RssRow[] = configs.map(({ run }) => {
    const samples = runs[run]!.map((r) => mib(r.maxRssKiB));
    const maxRssMiB = median(samples);
    return {
      run,
      nodes: runs[run]![0]!.nodes ?? null,
      bars: runs[run]![0]!.bars,
      maxRssMiB,
      overBaselineMiB: maxRssMiB - baseline,
      samplesMiB: samples,
      heapUsedMiB: median(runs[run]!.map((r) => r.heapUsedMiB)),
      ms: median(runs[run]!.map((r) => r.ms)),
    };
  });
  const header = ['run', 'nodes', 'bars', 'peak RSS MiB', 'over baseline MiB', 'samples MiB', 'heap at end MiB', 'time s'];
  const body = rows.map((r, k) => [
    r.run,
    r.nodes === null ? '—' : String(r.nodes),
    String(r.bars),
    r.maxRssMiB.toFixed(1),
    k === 0 ? '—' : `+${r.overBaselineMiB.toFixed(1)}`,
    r.samplesMiB.map((s) => s.toFixed(0)).join(' '),
    r.heapUsedMiB.toFixed(1),
    (r.ms / 1000).toFixed(1),
  ]);
  process.stdout.write('\n' + table(header, body) + '\n');
  process.stdout.write('peak RSS = process.resourceUsage().maxRSS of the child; baseline imports the same modules and only loads the candles\n');
  const file = writeResult('rss', { part: 'rss', date: new Date().toISOString(), machine: machine(), data, reps, warmup: 1, baselineMiB: baseline, rows, runs });
  process.stdout.write(`results: ${relative(REPO_ROOT, file)}\n`);
  return rows;
}

if (isMain(import.meta.url)) {
  process.stdout.write(machineLine() + '\n');
  runRssBench(process.argv.slice(2));
}

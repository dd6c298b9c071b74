import { relative } from 'node:path';
import { OUT_DIR, REPO_ROOT, machineLine } from './common.ts';
import { runBatchBench } from './batch-bench.ts';
import { runCanonicalBench } from './canonical-bench.ts';
import { runEditorLoadBench } from './editor-load-bench.ts';
import { runEngineBench } from './engine-bench.ts';
import { runGpuBench } from './gpu-bench.ts';
import { runIndicatorsBench } from './indicators-bench.ts';
import { runRssBench } from './rss-bench.ts';
import { runStreamBench } from './stream-bench.ts';

/**
 * `npm run bench` runs every part but editor (it needs Chromium and a built editor); `npm run bench --
 * engine|canonical|indicators|rss|gpu|batch|stream|editor` runs one (several may be named). Options: --reps=N
 * and --signal-reps=N (engine runs), --canonical-rounds=N and --canonical-reps=N (canonical), --rounds=N
 * and --sample-ms=N (indicators), --rss-reps=N (rss and canonical), --gpu-mode=webasm|gpu|webgpu|cpu,
 * --gpu-reps=N and --gpu-k=K,K (gpu), --batch-workers=N, --batch-sample=N, --batch-canonical-sample=N,
 * --batch-recheck=N and --batch-signal-reps=N (batch, which takes --gpu-mode too), --stream-clients=N, --stream-bars=N, --stream-rounds=N and
 * --stream-prof (stream), --editor-runs=N (editor). Results: out/bench/<part>.json. See
 * docs/how-to/benchmarks.md.
 */

const PARTS = {
  engine: runEngineBench,
  canonical: runCanonicalBench,
  indicators: runIndicatorsBench,
  rss: runRssBench,
  gpu: runGpuBench,
  batch: runBatchBench,
  stream: runStreamBench,
  editor: runEditorLoadBench,
} as const;
type Part = keyof typeof PARTS;
/** what `npm run bench` runs without a part named */
const DEFAULT_PARTS: Part[] = ['engine', 'canonical', 'indicators', 'rss', 'gpu', 'batch', 'stream'];

/** options that take no value; every other one takes one, written `--name=value` or `--name value` */
const FLAGS = new Set(['--stream-prof', '--help']);
const argv = joinOptionValues(process.argv.slice(2));
const named = argv.filter((a) => !a.startsWith('--'));
const unknown = named.filter((a) => !Object.hasOwn(PARTS, a));
if (unknown.length > 0 || argv.includes('--help')) {
  process.stderr.write(`usage: npm run bench [-- ${Object.keys(PARTS).join('|')} ...] [--reps=N] [--signal-reps=N] [--canonical-rounds=N] [--canonical-reps=N] [--rounds=N] [--sample-ms=N] [--rss-reps=N] [--gpu-mode=webasm|gpu|webgpu|cpu] [--gpu-reps=N] [--gpu-k=K,K] [--batch-workers=N] [--batch-sample=N] [--batch-canonical-sample=N] [--batch-recheck=N] [--batch-signal-reps=N] [--stream-clients=N] [--stream-bars=N] [--stream-rounds=N] [--stream-prof] [--editor-runs=N]\n`);
  if (unknown.length > 0) process.stderr.write(`unknown part: ${unknown.join(', ')}\n`);
  process.exit(argv.includes('--help') ? 0 : 2);
}
const parts = named.length > 0 ? (named as Part[]) : DEFAULT_PARTS;

const started = performance.now();
process.stdout.write(`barflow benchmarks: ${parts.join(', ')}\n${machineLine()}\n`);
for (const part of parts) await PARTS[part](argv);
process.stdout.write(`\nall results in ${relative(REPO_ROOT, OUT_DIR)}/ (${((performance.now() - started) / 1000).toFixed(0)} s)\n`);

function joinOptionValues(args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const value = args[i + 1];
    if (a.startsWith('--') && !a.includes('=') && !FLAGS.has(a) && value !== undefined && !value.startsWith('--')) {
      out.push(`${a}=${value}`);
      i++;
    } else out.push(a);
  }
  return out;
}

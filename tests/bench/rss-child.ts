import { loadCandles } from '../../engine/data/candles-csv.ts';
import { compilePipelineFile } from '../../engine/pipeline/compile.ts';
import { loadPipelineData, runBacktest } from '../../engine/run/backtest.ts';
import { summarise } from '../../engine/run/reports.ts';
import { registry } from '../../nodes/index.ts';
import { emit } from './common.ts';

/**
 * Peak resident memory of one full backtest, in its own process (spawned by rss-bench.ts):
 *   node --import tsx tests/bench/rss-child.ts <pipeline.yaml> <data>   compile, load, run, summarise
 *   node --import tsx tests/bench/rss-child.ts --baseline <data>        load the data only
 * Both modes import the same modules, so the difference between them is what compiling, running
 * and summarising add on top of the code and the loaded candles. Prints one JSON line; maxRSS is
 * process.resourceUsage().maxRSS, in KiB.
 */

export interface RssChildResult {
  mode: 'baseline' | 'backtest';
  pipeline: string | null;
  /** nodes of the compiled plan (null for the baseline) */
  nodes: number | null;
  bars: number;
  maxRssKiB: number;
  /** heap in use at the end (MiB), for context */
  heapUsedMiB: number;
  trades: number | null;
  ms: number;
}

const [target, dataFile] = process.argv.slice(2);
if (target === undefined || dataFile === undefined) {
  process.stderr.write('usage: rss-child.ts <pipeline.yaml | --baseline> <data.csv.gz>\n');
  process.exit(2);
}

const t0 = performance.now();
let result: RssChildResult;
if (target === '--baseline') {
  const data = loadCandles(dataFile);
  result = { mode: 'baseline', pipeline: null, nodes: null, bars: data.length, maxRssKiB: 0, heapUsedMiB: 0, trades: null, ms: 0 };
} else {
  const plan = compilePipelineFile(target, registry);
  const data = loadPipelineData(plan, dataFile);
  const run = runBacktest(plan, data);
  const summary = summarise(run);
  result = { mode: 'backtest', pipeline: plan.name, nodes: plan.nodes.length, bars: data.length, maxRssKiB: 0, heapUsedMiB: 0, trades: summary.trades, ms: 0 };
}
result.ms = performance.now() - t0;
result.maxRssKiB = process.resourceUsage().maxRSS;
result.heapUsedMiB = process.memoryUsage().heapUsed / 2 ** 20;
emit(result);

import { readFileSync } from 'node:fs';
import { compilePipelineFile } from '../engine/pipeline/compile.ts';
import { parseOverride } from '../engine/pipeline/overrides.ts';
import { registry } from '../nodes/index.ts';
import { loadPipelineData, paperVenueOf, runBacktest } from '../engine/run/backtest.ts';
import { fillsCsv } from '../engine/run/reports.ts';
import { planVariant } from '../engine/batch/plan-variants.ts';
import { runBatch } from '../engine/batch/batch-run.ts';
const cases: [string, string[][]][] = [
  ['pipelines/examples/weighted-signals.yaml', [[], ['bullish.threshold=0.5'], ['ema_fast.period=10', 'ema_slow.period=30'], ['risk.leverage=3']]],
  ['pipelines/examples/mean-reversion.yaml', [[], ['bands.stdDev=2.5'], ['risk.takeProfit=12']]],
  ['/tmp/enygma-unlocked.yaml', [[], ['risk.sizePct=3'], ['decision/threshold.strict=false', 'decision/cross.strict=false', 'decision/volatility.strict=false', 'decision/confidence.strict=false']]],
];
for (const [file, setTexts] of cases) {
  const base = compilePipelineFile(file, registry);
  const data = loadPipelineData(base);
  const sets = setTexts.map((ss) => ss.map(parseOverride));
  const plans = sets.map((s) => planVariant(base, s, () => ({ text: readFileSync(file, 'utf8'), registry })));
  const t0 = performance.now();
  const batch = [...runBatch(plans, sets, data)];
  const tb = performance.now() - t0;
  const t1 = performance.now();
  const inc = plans.map((p) => runBacktest(p, data));
  const ti = performance.now() - t1;
  for (let s = 0; s < sets.length; s++) {
    const a = paperVenueOf(batch[s]!.result)!; const b = paperVenueOf(inc[s]!)!;
    const same = fillsCsv(a.ledger) === fillsCsv(b.ledger) && a.equity.toString() === b.equity.toString();
    console.log(file.split('/').pop(), setTexts[s]!.join(' ') || '(base)', same ? 'SAME' : 'DIFF', a.ledger.trades.length, b.ledger.trades.length, a.equity.toFixed(4), b.equity.toFixed(4));
  }
  console.log(`  batch ${tb.toFixed(0)} ms, incremental ${ti.toFixed(0)} ms`);
}

/**
 * The batch executor (engine/batch, what `barflow sweep` runs) against the incremental executor
 * (what `barflow run` runs), CPU path: for every shipped pipeline and a sample of parameter sets —
 * signal params (indicator periods, a resample timeframe), gate params and risk params, and for the
 * canonical ENYGMA its risk and gate params and strict mode off — runBatch over all the sets at
 * once must give each set exactly the fills (fills.csv, byte for byte), rejections, trades, final
 * equity and net PnL that runBacktest gives its planVariant alone.
 *
 * The examples run on the first 20,000 ETH 5m bars, the canonical pipeline on the full data. Most of
 * these runs skip the graph on quiet bars (engine/batch/quiet-bars.ts); weighted-signals, whose
 * entry reads a clock-driven gate, runs it on every bar: both loops are held to the same fills.
 */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBatch } from '../../engine/batch/batch-run.ts';
import { planVariant } from '../../engine/batch/plan-variants.ts';
import { parseOverride } from '../../engine/pipeline/overrides.ts';
import { paperVenueOf, runBacktest } from '../../engine/run/backtest.ts';
import { fillsCsv, summarise } from '../../engine/run/reports.ts';
import { registry } from '../../nodes/index.ts';
import { compileShipped, ethBars, ROOT, shippedPipelines } from '../support/shipped.ts';

const BENCH_PIPELINE = join(ROOT, 'tests/bench/pipelines/ema-crossover.yaml');

const STRICT_OFF = ['decision/threshold.strict=false', 'decision/cross.strict=false', 'decision/volatility.strict=false', 'decision/confidence.strict=false'];

/** per shipped pipeline: the sample parameter sets ([] = the pipeline as written) and the bars to use */
const SAMPLES: Record<string, { bars?: number; sets: string[][] }> = {
  'weighted-signals': {
    bars: 20_000,
    sets: [[], ['rsi.period=10', 'ema_fast.period=9', 'ema_slow.period=30'], ['bullish.threshold=0.5', 'bearish.threshold=-0.5', 'bullish_held.bars=2', 'cooldown.afterExitMinutes=60'], ['risk.stopLoss=5', 'risk.takeProfit=12', 'risk.leverage=3']],
  },
  'mean-reversion': {
    bars: 20_000,
    sets: [[], ['bands.period=15', 'bands.stdDev=2.5', 'stoch_rsi.rsiPeriod=10'], ['oversold.threshold=25', 'overbought.threshold=75', 'bars_15m.timeframe=30min'], ['risk.stopLoss=4', 'risk.takeProfit=12', 'risk.marginPct=0.03']],
  },
  consensus: {
    bars: 20_000,
    sets: [[], ['rsi.period=10', 'cci.period=14', 'bands.stdDev=1.8'], ['votes.minAgreement=0.8', 'rsi_vote.bullishBelow=40', 'rsi_vote.bearishAbove=60'], ['risk.stopLoss=0.98', 'risk.takeProfit=1.03', 'risk.leverage=5']],
  },
  'ema-crossover': {
    bars: 30_000,
    sets: [[], ['ema_fast.period=5', 'ema_slow.period=20'], ['bars_15m.timeframe=1h', 'risk.stopLoss=4', 'risk.takeProfit=6'], ['risk.leverage=10', 'risk.marginPct=0.05']],
  },
  enygma: {
    sets: [[], ['risk.sizePct=3', 'risk.stopLossRoi=5', 'risk.leverage=8'], ['decision/confluence.minAgree=3', 'decision/score_band.maxScore=140', 'decision/cooldown.signalCooldownMinutes=30'], STRICT_OFF],
  },
};

describe('batch executor = incremental executor (fills and net PnL, CPU path)', () => {
  // the batch benchmark's sweep pipeline too (docs/how-to/benchmarks.md)
  for (const file of [...shippedPipelines(), BENCH_PIPELINE]) {
    const plan = compileShipped(file);
    const sample = SAMPLES[plan.name];
    it(`${basename(file)}: every sample set gives identical fills, equity and net PnL`, () => {
      expect(sample, `add sample parameter sets for ${plan.name} to SAMPLES`).toBeDefined();
      const data = ethBars(sample!.bars);
      const text = readFileSync(file, 'utf8');
      const sets = sample!.sets.map((texts) => texts.map(parseOverride));
      const plans = sets.map((set) => planVariant(plan, set, () => ({ text, registry })));
      const batch = [...runBatch(plans, sets, data)];
      expect(batch.map((b) => b.index)).toEqual(sets.map((_, i) => i));
      const outputs = new Set<string>();
      let traded = 0;
      sets.forEach((_, s) => {
        const label = `${plan.name} ${sample!.sets[s]!.join(' ') || '(as written)'}`;
        const incremental = runBacktest(plans[s]!, data);
        const a = paperVenueOf(batch[s]!.result)!;
        const b = paperVenueOf(incremental)!;
        const fills = fillsCsv(b.ledger);
        expect(fillsCsv(a.ledger), label).toBe(fills);
        expect(a.ledger.rejections.length, label).toBe(b.ledger.rejections.length);
        expect(a.ledger.trades.map((t) => t.netPnl.toString()), label).toEqual(b.ledger.trades.map((t) => t.netPnl.toString()));
        expect(a.equity.toString(), label).toBe(b.equity.toString());
        const sa = summarise(batch[s]!.result);
        const sb = summarise(incremental);
        expect([sa.netPnl, sa.finalEquity, sa.maxDrawdown, sa.fees, sa.funding], label).toEqual([sb.netPnl, sb.finalEquity, sb.maxDrawdown, sb.fees, sb.funding]);
        outputs.add(fills);
        if (b.ledger.trades.length > 0) traded++;
      });
      // the sample means something: the sets trade, and trade differently
      expect(traded).toBeGreaterThan(0);
      expect(outputs.size).toBeGreaterThanOrEqual(Math.min(3, sets.length));
    }, 240_000);
  }
});

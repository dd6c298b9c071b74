/**
 * The twelve §4 gates and the entry wired as the canonical pipeline wires them (five timeframes,
 * account-driven gates on the 5m clock), run over real 5m candles with a stand-in scorer: the YAML
 * compiles, and intents come only at 30min closes, once per bar, with every gate passing.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createRegistry, defineNode } from '../../../engine/core/node-definition.ts';
import type { Intent } from '../../../engine/core/trading.ts';
import { IncrementalRunner } from '../../../engine/incremental/runner.ts';
import { compilePipelineText } from '../../../engine/pipeline/compile.ts';
import { createVenue } from '../../../engine/run/backtest.ts';
import { NODE_DEFINITIONS } from '../../index.ts';
import { enygmaEntry } from '../../signals/enygma-entry/enygma-entry.node.ts';
import { loadEmbedded } from '../../_kit/reference-data.ts';
import { GATES, PRIMARY } from './harness.ts';

/** Test-only stand-in for enygma.scorer + enygma.atr-regime: a swinging total, fixed confluence. */
const fakeScorer = defineNode({
  type: 'test.fake-scorer',
  version: 1,
  title: 'fake scorer',
  category: 'scorer',
  summary: 'test only',
  params: z.object({ phase: z.number().default(0) }),
  inputs: { close: { type: 'series' } },
  outputs: {
    total: { type: 'series' },
    agree: { type: 'series' },
    confluencePct: { type: 'series' },
    confidence: { type: 'series' },
    breakdown: { type: 'record' },
    regime: { type: 'text' },
  },
  warmup: () => 0,
  init: () => ({ count: 0 }),
  step(s: { count: number }, _i: { close: number }, o: Record<string, unknown>, p) {
    s.count++;
    o['total'] = Math.round(120 * Math.sin(s.count * 0.9 + p.phase));
    o['agree'] = 6;
    o['confluencePct'] = 66.67;
    o['confidence'] = 0.95;
    o['breakdown'] = { bar: s.count };
    o['regime'] = s.count % 7 === 0 ? 'HIGH' : 'MEDIUM';
    return true;
  },
});

const TIMEFRAMES = ['15m', '30m', '1h', '2h', '4h'];
const yaml = `
pipeline: enygma-gates
nodes:
  candles: { type: feed.replay, params: { file: x.csv.gz } }
  account: { type: account.state }
${TIMEFRAMES.map((tf, k) => `  bars_${tf}: { type: transform.resample, params: { timeframe: ${tf} }, in: { bar: candles.bar } }
  score_${tf}: { type: test.fake-scorer, params: { phase: ${k} }, in: { close: bars_${tf}.close } }`).join('\n')}
  ema10: { type: indicator.ema, params: { period: 10 }, in: { source: bars_30m.close } }
  ema25: { type: indicator.ema, params: { period: 25 }, in: { source: bars_30m.close } }
  ema50: { type: indicator.ema, params: { period: 50 }, in: { source: bars_30m.close } }
  threshold: { type: enygma.threshold-gate, in: { total: score_30m.total } }
  dead_zone: { type: enygma.dead-zone-gate, in: { total: score_30m.total } }
  cross: { type: enygma.cross-gate, in: { total: score_30m.total, time: bars_30m.time } }
  volatility: { type: enygma.volatility-gate, in: { total: score_30m.total, regime: score_30m.regime } }
  confluence: { type: enygma.confluence-gate, in: { agree: score_30m.agree, confluencePct: score_30m.confluencePct } }
  confidence: { type: enygma.confidence-gate, in: { confidence: score_30m.confidence } }
  trend: { type: enygma.trend-gate, in: { total: score_30m.total, emaShort: ema10.value, emaMedium: ema25.value, emaLong: ema50.value } }
  band: { type: enygma.score-band-gate, in: { total: score_30m.total } }
  alignment:
    type: enygma.alignment-gate
    in: { total: score_30m.total, totals: [${TIMEFRAMES.map((tf) => `score_${tf}.total`).join(', ')}] }
  drawdown: { type: enygma.drawdown-gate, in: { account: account.account } }
  cooldowns: { type: enygma.cooldown-gate, in: { account: account.account, time: candles.time } }
  capacity: { type: enygma.capacity-gate, in: { account: account.account } }
  enter:
    type: enygma.entry
    in:
      total: score_30m.total
      time: bars_30m.time
      breakdown: score_30m.breakdown
      confidence: score_30m.confidence
      gates: [threshold.pass, dead_zone.pass, cross.pass, volatility.pass, confluence.pass, confidence.pass,
              trend.pass, band.pass, alignment.pass, drawdown.pass, cooldowns.pass, capacity.pass]
      reasons: [threshold.reason, dead_zone.reason, cross.reason, volatility.reason, confluence.reason, confidence.reason,
                trend.reason, band.reason, alignment.reason, drawdown.reason, cooldowns.reason, capacity.reason]
  risk: { type: risk.bracket, in: { intent: enter.intent, account: account.account, price: candles.close } }
  executor: { type: executor.paper, params: { initialEquity: 10000 }, in: { orders: [risk.order] } }
`;

describe('ENYGMA gates wired as a pipeline', () => {
  it('compiles, and emits intents only at 30min closes, once per bar, all twelve gates passing', () => {
    const ours = [...GATES.map((g) => g.def), enygmaEntry, fakeScorer];
    // once nodes/index.ts registers these nodes, they must not be defined twice
    const registry = createRegistry([...NODE_DEFINITIONS.filter((d) => !ours.some((o) => o.type === d.type)), ...ours]);
    const plan = compilePipelineText(yaml, 'enygma-gates.yaml', registry);
    const runner = new IncrementalRunner(plan, { venue: createVenue(plan) });
    const data = loadEmbedded('eth-5m');
    const intents: Intent[] = [];
    for (let i = 0; i < Math.min(data.length, 6_000); i++) {
      const time = data.time[i]!;
      runner.push({ time, open: data.open[i]!, high: data.high[i]!, low: data.low[i]!, close: data.close[i]!, volume: data.volume[i]!, interval: 300_000, complete: true });
      const intent = runner.value('enter', 'intent') as Intent | null;
      if (intent !== null) intents.push(intent);
    }
    expect(intents.length).toBeGreaterThan(0);
    for (const intent of intents) {
      expect(intent.time % PRIMARY).toBe(0);
      const gates = intent.detail!['gates'] as { pass: boolean; reason: string }[];
      expect(gates).toHaveLength(12);
      expect(gates.every((g) => g.pass && !g.reason.startsWith('blocked'))).toBe(true);
    }
    expect(new Set(intents.map((x) => x.time)).size).toBe(intents.length);
  });
});

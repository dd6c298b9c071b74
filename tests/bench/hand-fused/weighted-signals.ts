import type { AccountView } from '../../../engine/core/trading.ts';
import type { CandleSeries } from '../../../engine/data/candles-csv.ts';
import { accountState } from '../../../nodes/account/state/state.node.ts';
import { paperExecutor } from '../../../nodes/executors/paper/paper.node.ts';
import { replayFeed } from '../../../nodes/feeds/replay/replay.node.ts';
import { confirm } from '../../../nodes/gates/confirm/confirm.node.ts';
import { cooldown } from '../../../nodes/gates/cooldown/cooldown.node.ts';
import { ema } from '../../../nodes/indicators/ema/ema.node.ts';
import { macd } from '../../../nodes/indicators/macd/macd.node.ts';
import { rsi } from '../../../nodes/indicators/rsi/rsi.node.ts';
import { bracketRisk } from '../../../nodes/risk/bracket/bracket.node.ts';
import { compare } from '../../../nodes/signals/compare/compare.node.ts';
import { entry } from '../../../nodes/signals/entry/entry.node.ts';
import { scale } from '../../../nodes/signals/scale/scale.node.ts';
import { vote } from '../../../nodes/signals/vote/vote.node.ts';
import { weighted } from '../../../nodes/signals/weighted/weighted.node.ts';
import { resample } from '../../../nodes/transforms/resample/resample.node.ts';
import { ETH_5M_FEED, ETH_PAPER, examplePipelineFile, fusedSetup, openBar, startInputs, startOutputs, type FusedOptions, type FusedResult } from './kit.ts';

/** pipelines/examples/weighted-signals.yaml, hand-fused: the params below are that file's (the feed's, and the executor's common ones, are kit.ts's ETH_5M_FEED and ETH_PAPER). */
export const PIPELINE = 'weighted-signals';
export const PIPELINE_FILE = examplePipelineFile(PIPELINE);

const P = {
  candles: replayFeed.params.parse(ETH_5M_FEED),
  bars30m: resample.params.parse({ timeframe: '30min' }),
  rsi: rsi.params.parse({ period: 14 }),
  emaFast: ema.params.parse({ period: 12 }),
  emaSlow: ema.params.parse({ period: 26 }),
  macd: macd.params.parse({ fast: 12, slow: 26, signal: 9 }),
  rsiScore: scale.params.parse({ from: [30, 70], to: [1, -1], clamp: true }),
  crossoverScore: vote.params.parse({ mode: 'versus' }),
  macdScore: vote.params.parse({ mode: 'versus' }),
  score: weighted.params.parse({ weights: [0.3, 0.35, 0.35], temperatureLevels: [0.25, 0.5, 0.75] }),
  bullish: compare.params.parse({ op: '>=', threshold: 0.6 }),
  bearish: compare.params.parse({ op: '<=', threshold: -0.6 }),
  bullishHeld: confirm.params.parse({ bars: 3 }),
  bearishHeld: confirm.params.parse({ bars: 3 }),
  account: accountState.params.parse({}),
  cooldown: cooldown.params.parse({ afterEntryMinutes: 0, afterExitMinutes: 120 }),
  entry: entry.params.parse({ reason: 'weighted-score' }),
  risk: bracketRisk.params.parse({ leverage: 4, marginPct: 0.03, priceMode: 'roi', stopLoss: 8, takeProfit: 16 }),
  executor: paperExecutor.params.parse({ ...ETH_PAPER, slippage: 0.0002 }),
};

/**
 * RSI, an EMA crossover and MACD scored and weighted on 30min bars, confirmed for 3 bars. The 30m
 * nodes run only on the base bar that closes a half hour. The cooldown reads the feed's time and the
 * account, so it runs on every base bar, and so does the entry node it gates (with the 30m
 * conditions held from the last half hour), then risk and executor.
 */
export function runWeightedSignals(data: CandleSeries, options: FusedOptions = {}): FusedResult {
  const { venue, ctx } = fusedSetup(P.executor, PIPELINE_FILE, options);

  const sCandles = replayFeed.init(P.candles);
  const sBars = resample.init(P.bars30m);
  const sRsi = rsi.init(P.rsi);
  const sEmaFast = ema.init(P.emaFast);
  const sEmaSlow = ema.init(P.emaSlow);
  const sMacd = macd.init(P.macd);
  const sRsiScore = scale.init(P.rsiScore);
  const sCrossoverScore = vote.init(P.crossoverScore);
  const sMacdScore = vote.init(P.macdScore);
  const sScore = weighted.init(P.score);
  const sBullish = compare.init(P.bullish);
  const sBearish = compare.init(P.bearish);
  const sBullishHeld = confirm.init(P.bullishHeld);
  const sBearishHeld = confirm.init(P.bearishHeld);
  const sAccount = accountState.init(P.account);
  const sCooldown = cooldown.init(P.cooldown);
  const sEntry = entry.init(P.entry);
  const sRisk = bracketRisk.init(P.risk);
  const sExecutor = paperExecutor.init(P.executor);

  // outputs start as the runner's do: series NaN, bool false, text '', anything else null
  const oCandles = startOutputs.feed();
  const oBars = startOutputs.resample();
  const oRsi = { value: NaN };
  const oEmaFast = { value: NaN };
  const oEmaSlow = { value: NaN };
  const oMacd = { macd: NaN, signal: NaN, histogram: NaN };
  const oRsiScore = { value: NaN };
  const oCrossoverScore = { vote: NaN };
  const oMacdScore = { vote: NaN };
  const oScore = { score: NaN, temperature: '' };
  const oBullish = { value: false };
  const oBearish = { value: false };
  const oBullishHeld = { pass: false, held: NaN, reason: '' };
  const oBearishHeld = { pass: false, held: NaN, reason: '' };
  const oAccount = startOutputs.account();
  const oCooldown = { pass: false, reason: '' };
  const oEntry = startOutputs.entry();
  const oRisk = startOutputs.risk();
  const oExecutor = startOutputs.executor();
  // every node's outputs under its id in the pipeline file (what the parity test compares)
  const outputs = { candles: oCandles, bars_30m: oBars, rsi: oRsi, ema_fast: oEmaFast, ema_slow: oEmaSlow, macd: oMacd, rsi_score: oRsiScore, crossover_score: oCrossoverScore, macd_score: oMacdScore, score: oScore, bullish: oBullish, bearish: oBearish, bullish_held: oBullishHeld, bearish_held: oBearishHeld, account: oAccount, cooldown: oCooldown, entry: oEntry, risk: oRisk, executor: oExecutor };
  const onBar = options.onBar;

  // inputs, wired by hand
  const iNone = startInputs.none();
  const iBars = startInputs.resample();
  const iRsi = { source: NaN };
  const iEmaFast = { source: NaN };
  const iEmaSlow = { source: NaN };
  const iMacd = { source: NaN };
  const iRsiScore = { source: NaN };
  const iCrossoverScore = { a: NaN, b: NaN };
  const iMacdScore = { a: NaN, b: NaN };
  const iScore = { scores: [NaN, NaN, NaN] };
  const iBullish = { a: NaN };
  const iBearish = { a: NaN };
  const iBullishHeld = { condition: false };
  const iBearishHeld = { condition: false };
  const iCooldown = { time: NaN, account: null as AccountView | null };
  const iEntry = { long: false, short: false, score: NaN, gates: [false] };
  const iRisk = startInputs.risk();
  const iExecutor = startInputs.executor();

  const n = data.length;
  for (let i = 0; i < n; i++) {
    openBar(ctx, venue, data, i);
    replayFeed.step(sCandles, iNone, oCandles, P.candles, ctx);
    iBars.bar = oCandles.bar!;
    if (resample.step(sBars, iBars, oBars, P.bars30m, ctx)) {
      iRsi.source = oBars.close;
      rsi.step(sRsi, iRsi, oRsi, P.rsi, ctx);
      iEmaFast.source = oBars.close;
      ema.step(sEmaFast, iEmaFast, oEmaFast, P.emaFast, ctx);
      iEmaSlow.source = oBars.close;
      ema.step(sEmaSlow, iEmaSlow, oEmaSlow, P.emaSlow, ctx);
      iMacd.source = oBars.close;
      macd.step(sMacd, iMacd, oMacd, P.macd, ctx);
      iRsiScore.source = oRsi.value;
      scale.step(sRsiScore, iRsiScore, oRsiScore, P.rsiScore, ctx);
      iCrossoverScore.a = oEmaFast.value;
      iCrossoverScore.b = oEmaSlow.value;
      vote.step(sCrossoverScore, iCrossoverScore, oCrossoverScore, P.crossoverScore, ctx);
      iMacdScore.a = oMacd.macd;
      iMacdScore.b = oMacd.signal;
      vote.step(sMacdScore, iMacdScore, oMacdScore, P.macdScore, ctx);
      const scores = iScore.scores;
      scores[0] = oRsiScore.value;
      scores[1] = oCrossoverScore.vote;
      scores[2] = oMacdScore.vote;
      weighted.step(sScore, iScore, oScore, P.score, ctx);
      iBullish.a = oScore.score;
      compare.step(sBullish, iBullish, oBullish, P.bullish, ctx);
      iBearish.a = oScore.score;
      compare.step(sBearish, iBearish, oBearish, P.bearish, ctx);
      iBullishHeld.condition = oBullish.value;
      confirm.step(sBullishHeld, iBullishHeld, oBullishHeld, P.bullishHeld, ctx);
      iBearishHeld.condition = oBearish.value;
      confirm.step(sBearishHeld, iBearishHeld, oBearishHeld, P.bearishHeld, ctx);
    }
    accountState.step(sAccount, iNone, oAccount, P.account, ctx);
    iCooldown.time = oCandles.time;
    iCooldown.account = oAccount.account;
    cooldown.step(sCooldown, iCooldown, oCooldown, P.cooldown, ctx);
    iEntry.long = oBullishHeld.pass;
    iEntry.short = oBearishHeld.pass;
    iEntry.score = oScore.score;
    iEntry.gates[0] = oCooldown.pass;
    entry.step(sEntry, iEntry, oEntry, P.entry, ctx);
    iRisk.intent = oEntry.intent;
    iRisk.account = oAccount.account;
    iRisk.price = oBars.close;
    bracketRisk.step(sRisk, iRisk, oRisk, P.risk, ctx);
    iExecutor.orders[0] = oRisk.order;
    paperExecutor.step(sExecutor, iExecutor, oExecutor, P.executor, ctx);
    if (onBar !== undefined) onBar(i, outputs);
  }
  return { venue, bars: n, outputs };
}

import type { CandleSeries } from '../../../engine/data/candles-csv.ts';
import { accountState } from '../../../nodes/account/state/state.node.ts';
import { paperExecutor } from '../../../nodes/executors/paper/paper.node.ts';
import { replayFeed } from '../../../nodes/feeds/replay/replay.node.ts';
import { bollinger } from '../../../nodes/indicators/bollinger/bollinger.node.ts';
import { stochRsi } from '../../../nodes/indicators/stoch-rsi/stoch-rsi.node.ts';
import { bracketRisk } from '../../../nodes/risk/bracket/bracket.node.ts';
import { all } from '../../../nodes/signals/all/all.node.ts';
import { compare } from '../../../nodes/signals/compare/compare.node.ts';
import { entry } from '../../../nodes/signals/entry/entry.node.ts';
import { resample } from '../../../nodes/transforms/resample/resample.node.ts';
import { ETH_5M_FEED, ETH_PAPER, examplePipelineFile, fusedSetup, openBar, startInputs, startOutputs, type FusedOptions, type FusedResult } from './kit.ts';

/** pipelines/examples/mean-reversion.yaml, hand-fused: the params below are that file's (the feed's, and the executor's common ones, are kit.ts's ETH_5M_FEED and ETH_PAPER). */
export const PIPELINE = 'mean-reversion';
export const PIPELINE_FILE = examplePipelineFile(PIPELINE);

const P = {
  candles: replayFeed.params.parse(ETH_5M_FEED),
  bars15m: resample.params.parse({ timeframe: '15min' }),
  bands: bollinger.params.parse({ period: 20, stdDev: 2 }),
  stochRsi: stochRsi.params.parse({ rsiPeriod: 14, stochPeriod: 14, kPeriod: 3, dPeriod: 3 }),
  belowLower: compare.params.parse({ op: '<' }),
  oversold: compare.params.parse({ op: '<', threshold: 20 }),
  aboveUpper: compare.params.parse({ op: '>' }),
  overbought: compare.params.parse({ op: '>', threshold: 80 }),
  goLong: all.params.parse({}),
  goShort: all.params.parse({}),
  entry: entry.params.parse({ reason: 'band-reversion' }),
  account: accountState.params.parse({}),
  risk: bracketRisk.params.parse({ leverage: 5, marginPct: 0.02, priceMode: 'roi', stopLoss: 6, takeProfit: 9 }),
  executor: paperExecutor.params.parse({ ...ETH_PAPER, slippage: 0.0002 }),
};

/**
 * Bollinger(20, 2) + StochRSI on 15min bars. The 15m nodes run only on the base bar that closes a
 * 15m period (when the resampler fires); the account, risk and executor nodes run on every base
 * bar, since the account fires every bar.
 */
export function runMeanReversion(data: CandleSeries, options: FusedOptions = {}): FusedResult {
  const { venue, ctx } = fusedSetup(P.executor, PIPELINE_FILE, options);

  const sCandles = replayFeed.init(P.candles);
  const sBars = resample.init(P.bars15m);
  const sBands = bollinger.init(P.bands);
  const sStoch = stochRsi.init(P.stochRsi);
  const sBelowLower = compare.init(P.belowLower);
  const sOversold = compare.init(P.oversold);
  const sAboveUpper = compare.init(P.aboveUpper);
  const sOverbought = compare.init(P.overbought);
  const sGoLong = all.init(P.goLong);
  const sGoShort = all.init(P.goShort);
  const sEntry = entry.init(P.entry);
  const sAccount = accountState.init(P.account);
  const sRisk = bracketRisk.init(P.risk);
  const sExecutor = paperExecutor.init(P.executor);

  // outputs start as the runner's do: series NaN, bool false, text '', anything else null
  const oCandles = startOutputs.feed();
  const oBars = startOutputs.resample();
  const oBands = { upper: NaN, middle: NaN, lower: NaN, percentB: NaN, bandwidth: NaN };
  const oStoch = { k: NaN, d: NaN };
  const oBelowLower = { value: false };
  const oOversold = { value: false };
  const oAboveUpper = { value: false };
  const oOverbought = { value: false };
  const oGoLong = { value: false };
  const oGoShort = { value: false };
  const oEntry = startOutputs.entry();
  const oAccount = startOutputs.account();
  const oRisk = startOutputs.risk();
  const oExecutor = startOutputs.executor();
  // every node's outputs under its id in the pipeline file (what the parity test compares)
  const outputs = { candles: oCandles, bars_15m: oBars, bands: oBands, stoch_rsi: oStoch, below_lower: oBelowLower, oversold: oOversold, above_upper: oAboveUpper, overbought: oOverbought, go_long: oGoLong, go_short: oGoShort, entry: oEntry, account: oAccount, risk: oRisk, executor: oExecutor };
  const onBar = options.onBar;

  // inputs, wired by hand
  const iNone = startInputs.none();
  const iBars = startInputs.resample();
  const iBands = { source: NaN };
  const iStoch = { source: NaN };
  const iBelowLower = { a: NaN, b: NaN };
  const iOversold = { a: NaN };
  const iAboveUpper = { a: NaN, b: NaN };
  const iOverbought = { a: NaN };
  const iGoLong = { inputs: [false, false] };
  const iGoShort = { inputs: [false, false] };
  const iEntry = { long: false, short: false, score: NaN };
  const iRisk = startInputs.risk();
  const iExecutor = startInputs.executor();

  const n = data.length;
  for (let i = 0; i < n; i++) {
    openBar(ctx, venue, data, i);
    replayFeed.step(sCandles, iNone, oCandles, P.candles, ctx);
    iBars.bar = oCandles.bar!;
    if (resample.step(sBars, iBars, oBars, P.bars15m, ctx)) {
      iBands.source = oBars.close;
      bollinger.step(sBands, iBands, oBands, P.bands, ctx);
      iStoch.source = oBars.close;
      stochRsi.step(sStoch, iStoch, oStoch, P.stochRsi, ctx);
      iBelowLower.a = oBars.close;
      iBelowLower.b = oBands.lower;
      compare.step(sBelowLower, iBelowLower, oBelowLower, P.belowLower, ctx);
      iOversold.a = oStoch.k;
      compare.step(sOversold, iOversold, oOversold, P.oversold, ctx);
      iAboveUpper.a = oBars.close;
      iAboveUpper.b = oBands.upper;
      compare.step(sAboveUpper, iAboveUpper, oAboveUpper, P.aboveUpper, ctx);
      iOverbought.a = oStoch.k;
      compare.step(sOverbought, iOverbought, oOverbought, P.overbought, ctx);
      iGoLong.inputs[0] = oBelowLower.value;
      iGoLong.inputs[1] = oOversold.value;
      all.step(sGoLong, iGoLong, oGoLong, P.goLong, ctx);
      iGoShort.inputs[0] = oAboveUpper.value;
      iGoShort.inputs[1] = oOverbought.value;
      all.step(sGoShort, iGoShort, oGoShort, P.goShort, ctx);
      iEntry.long = oGoLong.value;
      iEntry.short = oGoShort.value;
      iEntry.score = oStoch.k;
      entry.step(sEntry, iEntry, oEntry, P.entry, ctx);
    }
    accountState.step(sAccount, iNone, oAccount, P.account, ctx);
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

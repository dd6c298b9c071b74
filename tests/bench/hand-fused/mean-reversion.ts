import type { AccountView, Bar, EntryOrder, Intent, OrderCommand } from '../../../engine/core/trading.ts';
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
import { createPaperVenue, examplePipelineFile, fusedContext, type FusedOptions, type FusedResult } from './kit.ts';

/** pipelines/examples/mean-reversion.yaml, hand-fused: the params below are that file's. */
export const PIPELINE = 'mean-reversion';
export const PIPELINE_FILE = examplePipelineFile(PIPELINE);

const P = {
  candles: replayFeed.params.parse({ file: '../../data/ethusdt-binance-spot-5m.csv.gz', symbol: 'ETHUSDTM', timeframe: '5m' }),
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
  executor: paperExecutor.params.parse({
    initialEquity: 10000,
    takerFee: 0.0006,
    makerFee: 0.0002,
    slippage: 0.0002,
    fundingRate: 0.0001,
    symbol: 'ETHUSDTM',
    multiplier: 0.01,
    lotSize: 1,
    tickSize: 0.01,
    maintenanceMargin: 0.005,
  }),
};

/**
 * Bollinger(20, 2) + StochRSI on 15min bars. The 15m nodes run only on the base bar that closes a
 * 15m period (when the resampler fires); the account, risk and executor nodes run on every base
 * bar, since the account fires every bar.
 */
export function runMeanReversion(data: CandleSeries, options: FusedOptions = {}): FusedResult {
  const venue = options.venue === false ? null : createPaperVenue(P.executor, PIPELINE_FILE);
  const ctx = fusedContext(venue);

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
  const oCandles = { time: NaN, open: NaN, high: NaN, low: NaN, close: NaN, volume: NaN, bar: null as Bar | null, gap: false };
  const oBars = { time: NaN, open: NaN, high: NaN, low: NaN, close: NaN, volume: NaN, bar: null as Bar | null, complete: false };
  const oBands = { upper: NaN, middle: NaN, lower: NaN, percentB: NaN, bandwidth: NaN };
  const oStoch = { k: NaN, d: NaN };
  const oBelowLower = { value: false };
  const oOversold = { value: false };
  const oAboveUpper = { value: false };
  const oOverbought = { value: false };
  const oGoLong = { value: false };
  const oGoShort = { value: false };
  const oEntry = { intent: null as Intent | null, blockedBy: '' };
  const oAccount = { account: null as AccountView | null, equity: NaN, cash: NaN, unrealizedPnl: NaN, drawdown: NaN, dailyDrawdown: NaN, positionSide: NaN, positionLots: NaN };
  const oRisk = { order: null as EntryOrder | null, reason: '' };
  const oExecutor = { submitted: NaN, last: '' };
  // every node's outputs under its id in the pipeline file (what the parity test compares)
  const outputs = { candles: oCandles, bars_15m: oBars, bands: oBands, stoch_rsi: oStoch, below_lower: oBelowLower, oversold: oOversold, above_upper: oAboveUpper, overbought: oOverbought, go_long: oGoLong, go_short: oGoShort, entry: oEntry, account: oAccount, risk: oRisk, executor: oExecutor };
  const onBar = options.onBar;

  // inputs, wired by hand
  const iNone = {};
  const iBars = { bar: null as unknown as Bar };
  const iBands = { source: NaN };
  const iStoch = { source: NaN };
  const iBelowLower = { a: NaN, b: NaN };
  const iOversold = { a: NaN };
  const iAboveUpper = { a: NaN, b: NaN };
  const iOverbought = { a: NaN };
  const iGoLong = { inputs: [false, false] };
  const iGoShort = { inputs: [false, false] };
  const iEntry = { long: false, short: false, score: NaN };
  const iRisk = { intent: null as Intent | null, account: null as AccountView | null, price: NaN };
  const iExecutor = { orders: [null] as (OrderCommand | null)[] };

  const { time, open, high, low, close, volume, gapBefore } = data;
  const interval = data.intervalMs;
  const n = data.length;
  for (let i = 0; i < n; i++) {
    const bar: Bar = { time: time[i]!, open: open[i]!, high: high[i]!, low: low[i]!, close: close[i]!, volume: volume[i]!, interval, complete: true };
    const gap = i === 0 ? 0 : gapBefore[i]!;
    ctx.index = i;
    ctx.time = bar.time;
    ctx.bar = bar;
    ctx.gapBefore = gap;
    ctx.trading = true;
    if (venue !== null) {
      venue.settleBar(bar, gap, true);
      ctx.account = venue.account();
    }

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

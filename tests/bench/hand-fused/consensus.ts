import type { CandleSeries } from '../../../engine/data/candles-csv.ts';
import { accountState } from '../../../nodes/account/state/state.node.ts';
import { paperExecutor } from '../../../nodes/executors/paper/paper.node.ts';
import { replayFeed } from '../../../nodes/feeds/replay/replay.node.ts';
import { bollinger } from '../../../nodes/indicators/bollinger/bollinger.node.ts';
import { cci } from '../../../nodes/indicators/cci/cci.node.ts';
import { rsi } from '../../../nodes/indicators/rsi/rsi.node.ts';
import { stochastic } from '../../../nodes/indicators/stochastic/stochastic.node.ts';
import { williamsR } from '../../../nodes/indicators/williams-r/williams-r.node.ts';
import { bracketRisk } from '../../../nodes/risk/bracket/bracket.node.ts';
import { consensus } from '../../../nodes/signals/consensus/consensus.node.ts';
import { entry } from '../../../nodes/signals/entry/entry.node.ts';
import { vote } from '../../../nodes/signals/vote/vote.node.ts';
import { resample } from '../../../nodes/transforms/resample/resample.node.ts';
import { ETH_5M_FEED, ETH_PAPER, examplePipelineFile, fusedSetup, openBar, startInputs, startOutputs, type FusedOptions, type FusedResult } from './kit.ts';

/** pipelines/examples/consensus.yaml, hand-fused: the params below are that file's (the feed's, and the executor's common ones, are kit.ts's ETH_5M_FEED and ETH_PAPER). */
export const PIPELINE = 'consensus';
export const PIPELINE_FILE = examplePipelineFile(PIPELINE);

const P = {
  candles: replayFeed.params.parse(ETH_5M_FEED),
  bars1h: resample.params.parse({ timeframe: '1h' }),
  rsi: rsi.params.parse({ period: 14 }),
  stochastic: stochastic.params.parse({ kPeriod: 14, smoothK: 3, dPeriod: 3 }),
  williamsR: williamsR.params.parse({ period: 14 }),
  cci: cci.params.parse({ period: 20 }),
  bands: bollinger.params.parse({ period: 20, stdDev: 2 }),
  rsiVote: vote.params.parse({ mode: 'levels', bullishBelow: 35, bearishAbove: 65 }),
  stochasticVote: vote.params.parse({ mode: 'levels', bullishBelow: 25, bearishAbove: 75 }),
  williamsVote: vote.params.parse({ mode: 'levels', bullishBelow: -75, bearishAbove: -25 }),
  cciVote: vote.params.parse({ mode: 'levels', bullishBelow: -100, bearishAbove: 100 }),
  bandsVote: vote.params.parse({ mode: 'levels', bullishBelow: 0.1, bearishAbove: 0.9 }),
  votes: consensus.params.parse({ minAgreement: 1, minVoters: 5 }),
  entry: entry.params.parse({ reason: 'unanimous-vote' }),
  account: accountState.params.parse({}),
  risk: bracketRisk.params.parse({ leverage: 3, marginPct: 0.05, priceMode: 'multiplier', stopLoss: 0.97, takeProfit: 1.04 }),
  executor: paperExecutor.params.parse({ ...ETH_PAPER, slippage: 0.001, targetOrders: 'limit' }),
};

/**
 * Five indicators on 1h bars each vote; a unanimous vote makes an entry intent. The 1h nodes run
 * only on the base bar that closes an hour; account, risk and executor run on every base bar.
 */
export function runConsensus(data: CandleSeries, options: FusedOptions = {}): FusedResult {
  const { venue, ctx } = fusedSetup(P.executor, PIPELINE_FILE, options);

  const sCandles = replayFeed.init(P.candles);
  const sBars = resample.init(P.bars1h);
  const sRsi = rsi.init(P.rsi);
  const sStochastic = stochastic.init(P.stochastic);
  const sWilliams = williamsR.init(P.williamsR);
  const sCci = cci.init(P.cci);
  const sBands = bollinger.init(P.bands);
  const sRsiVote = vote.init(P.rsiVote);
  const sStochasticVote = vote.init(P.stochasticVote);
  const sWilliamsVote = vote.init(P.williamsVote);
  const sCciVote = vote.init(P.cciVote);
  const sBandsVote = vote.init(P.bandsVote);
  const sVotes = consensus.init(P.votes);
  const sEntry = entry.init(P.entry);
  const sAccount = accountState.init(P.account);
  const sRisk = bracketRisk.init(P.risk);
  const sExecutor = paperExecutor.init(P.executor);

  // outputs start as the runner's do: series NaN, bool false, text '', anything else null
  const oCandles = startOutputs.feed();
  const oBars = startOutputs.resample();
  const oRsi = { value: NaN };
  const oStochastic = { k: NaN, d: NaN };
  const oWilliams = { value: NaN };
  const oCci = { value: NaN };
  const oBands = { upper: NaN, middle: NaN, lower: NaN, percentB: NaN, bandwidth: NaN };
  const oRsiVote = { vote: NaN };
  const oStochasticVote = { vote: NaN };
  const oWilliamsVote = { vote: NaN };
  const oCciVote = { vote: NaN };
  const oBandsVote = { vote: NaN };
  const oVotes = { direction: NaN, agreement: NaN, long: false, short: false };
  const oEntry = startOutputs.entry();
  const oAccount = startOutputs.account();
  const oRisk = startOutputs.risk();
  const oExecutor = startOutputs.executor();
  // every node's outputs under its id in the pipeline file (what the parity test compares)
  const outputs = { candles: oCandles, bars_1h: oBars, rsi: oRsi, stochastic: oStochastic, williams_r: oWilliams, cci: oCci, bands: oBands, rsi_vote: oRsiVote, stochastic_vote: oStochasticVote, williams_vote: oWilliamsVote, cci_vote: oCciVote, bands_vote: oBandsVote, votes: oVotes, entry: oEntry, account: oAccount, risk: oRisk, executor: oExecutor };
  const onBar = options.onBar;

  // inputs, wired by hand
  const iNone = startInputs.none();
  const iBars = startInputs.resample();
  const iRsi = { source: NaN };
  const iStochastic = { high: NaN, low: NaN, close: NaN };
  const iWilliams = { high: NaN, low: NaN, close: NaN };
  const iCci = { high: NaN, low: NaN, close: NaN };
  const iBands = { source: NaN };
  const iRsiVote = { a: NaN };
  const iStochasticVote = { a: NaN };
  const iWilliamsVote = { a: NaN };
  const iCciVote = { a: NaN };
  const iBandsVote = { a: NaN };
  const iVotes = { votes: [NaN, NaN, NaN, NaN, NaN] };
  const iEntry = { long: false, short: false, score: NaN };
  const iRisk = startInputs.risk();
  const iExecutor = startInputs.executor();

  const n = data.length;
  for (let i = 0; i < n; i++) {
    openBar(ctx, venue, data, i);
    replayFeed.step(sCandles, iNone, oCandles, P.candles, ctx);
    iBars.bar = oCandles.bar!;
    if (resample.step(sBars, iBars, oBars, P.bars1h, ctx)) {
      iRsi.source = oBars.close;
      rsi.step(sRsi, iRsi, oRsi, P.rsi, ctx);
      iStochastic.high = oBars.high;
      iStochastic.low = oBars.low;
      iStochastic.close = oBars.close;
      stochastic.step(sStochastic, iStochastic, oStochastic, P.stochastic, ctx);
      iWilliams.high = oBars.high;
      iWilliams.low = oBars.low;
      iWilliams.close = oBars.close;
      williamsR.step(sWilliams, iWilliams, oWilliams, P.williamsR, ctx);
      iCci.high = oBars.high;
      iCci.low = oBars.low;
      iCci.close = oBars.close;
      cci.step(sCci, iCci, oCci, P.cci, ctx);
      iBands.source = oBars.close;
      bollinger.step(sBands, iBands, oBands, P.bands, ctx);
      iRsiVote.a = oRsi.value;
      vote.step(sRsiVote, iRsiVote, oRsiVote, P.rsiVote, ctx);
      iStochasticVote.a = oStochastic.k;
      vote.step(sStochasticVote, iStochasticVote, oStochasticVote, P.stochasticVote, ctx);
      iWilliamsVote.a = oWilliams.value;
      vote.step(sWilliamsVote, iWilliamsVote, oWilliamsVote, P.williamsVote, ctx);
      iCciVote.a = oCci.value;
      vote.step(sCciVote, iCciVote, oCciVote, P.cciVote, ctx);
      iBandsVote.a = oBands.percentB;
      vote.step(sBandsVote, iBandsVote, oBandsVote, P.bandsVote, ctx);
      const votes = iVotes.votes;
      votes[0] = oRsiVote.vote;
      votes[1] = oStochasticVote.vote;
      votes[2] = oWilliamsVote.vote;
      votes[3] = oCciVote.vote;
      votes[4] = oBandsVote.vote;
      consensus.step(sVotes, iVotes, oVotes, P.votes, ctx);
      iEntry.long = oVotes.long;
      iEntry.short = oVotes.short;
      iEntry.score = oVotes.agreement;
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

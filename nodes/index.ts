import { createRegistry, type AnyNodeDefinition } from '../engine/core/node-definition.ts';
import { accountState } from './account/state/state.node.ts';
import { paperExecutor } from './executors/paper/paper.node.ts';
import { replayFeed } from './feeds/replay/replay.node.ts';
import { confirm } from './gates/confirm/confirm.node.ts';
import { cooldown } from './gates/cooldown/cooldown.node.ts';
import { adx } from './indicators/adx/adx.node.ts';
import { ao } from './indicators/ao/ao.node.ts';
import { atr } from './indicators/atr/atr.node.ts';
import { bollinger } from './indicators/bollinger/bollinger.node.ts';
import { cci } from './indicators/cci/cci.node.ts';
import { cmf } from './indicators/cmf/cmf.node.ts';
import { ema } from './indicators/ema/ema.node.ts';
import { kdj } from './indicators/kdj/kdj.node.ts';
import { macd } from './indicators/macd/macd.node.ts';
import { obv } from './indicators/obv/obv.node.ts';
import { rsi } from './indicators/rsi/rsi.node.ts';
import { sma } from './indicators/sma/sma.node.ts';
import { stochRsi } from './indicators/stoch-rsi/stoch-rsi.node.ts';
import { stochastic } from './indicators/stochastic/stochastic.node.ts';
import { williamsR } from './indicators/williams-r/williams-r.node.ts';
import { bracketRisk } from './risk/bracket/bracket.node.ts';
import { all } from './signals/all/all.node.ts';
import { any } from './signals/any/any.node.ts';
import { compare } from './signals/compare/compare.node.ts';
import { consensus } from './signals/consensus/consensus.node.ts';
import { cross } from './signals/cross/cross.node.ts';
import { entry } from './signals/entry/entry.node.ts';
import { not } from './signals/not/not.node.ts';
import { scale } from './signals/scale/scale.node.ts';
import { vote } from './signals/vote/vote.node.ts';
import { weighted } from './signals/weighted/weighted.node.ts';
import { resample } from './transforms/resample/resample.node.ts';

/**
 * Every node type barflow ships, with the folder (under nodes/) that holds its definition, help
 * (`<folder>/<name>.md`) and tests. One explicit list, grouped by role: the registry the compiler
 * is handed.
 */
export const NODE_CATALOG: readonly { def: AnyNodeDefinition; dir: string }[] = [
  { def: replayFeed, dir: 'feeds/replay' },
  { def: resample, dir: 'transforms/resample' },

  { def: adx, dir: 'indicators/adx' },
  { def: ao, dir: 'indicators/ao' },
  { def: atr, dir: 'indicators/atr' },
  { def: bollinger, dir: 'indicators/bollinger' },
  { def: cci, dir: 'indicators/cci' },
  { def: cmf, dir: 'indicators/cmf' },
  { def: ema, dir: 'indicators/ema' },
  { def: kdj, dir: 'indicators/kdj' },
  { def: macd, dir: 'indicators/macd' },
  { def: obv, dir: 'indicators/obv' },
  { def: rsi, dir: 'indicators/rsi' },
  { def: sma, dir: 'indicators/sma' },
  { def: stochRsi, dir: 'indicators/stoch-rsi' },
  { def: stochastic, dir: 'indicators/stochastic' },
  { def: williamsR, dir: 'indicators/williams-r' },

  { def: all, dir: 'signals/all' },
  { def: any, dir: 'signals/any' },
  { def: compare, dir: 'signals/compare' },
  { def: consensus, dir: 'signals/consensus' },
  { def: cross, dir: 'signals/cross' },
  { def: entry, dir: 'signals/entry' },
  { def: not, dir: 'signals/not' },
  { def: scale, dir: 'signals/scale' },
  { def: vote, dir: 'signals/vote' },
  { def: weighted, dir: 'signals/weighted' },

  { def: confirm, dir: 'gates/confirm' },
  { def: cooldown, dir: 'gates/cooldown' },

  { def: accountState, dir: 'account/state' },
  { def: bracketRisk, dir: 'risk/bracket' },
  { def: paperExecutor, dir: 'executors/paper' },
];

export const NODE_DEFINITIONS: readonly AnyNodeDefinition[] = NODE_CATALOG.map((entry) => entry.def);

export const registry = createRegistry(NODE_DEFINITIONS);

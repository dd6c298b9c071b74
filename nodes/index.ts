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
import { enygmaAoPoints } from './scorers/enygma-ao-points/enygma-ao-points.node.ts';
import { enygmaAtrRegime } from './scorers/enygma-atr-regime/enygma-atr-regime.node.ts';
import { enygmaBollingerPoints } from './scorers/enygma-bollinger-points/enygma-bollinger-points.node.ts';
import { enygmaCciPoints } from './scorers/enygma-cci-points/enygma-cci-points.node.ts';
import { enygmaCmfPoints } from './scorers/enygma-cmf-points/enygma-cmf-points.node.ts';
import { enygmaDomPoints } from './scorers/enygma-dom-points/enygma-dom-points.node.ts';
import { enygmaEmaTrendPoints } from './scorers/enygma-ema-trend-points/enygma-ema-trend-points.node.ts';
import { enygmaKdjPoints } from './scorers/enygma-kdj-points/enygma-kdj-points.node.ts';
import { enygmaMacdPoints } from './scorers/enygma-macd-points/enygma-macd-points.node.ts';
import { enygmaObvPoints } from './scorers/enygma-obv-points/enygma-obv-points.node.ts';
import { enygmaRsiPoints } from './scorers/enygma-rsi-points/enygma-rsi-points.node.ts';
import { enygmaScorer } from './scorers/enygma-scorer/enygma-scorer.node.ts';
import { enygmaStochRsiPoints } from './scorers/enygma-stoch-rsi-points/enygma-stoch-rsi-points.node.ts';
import { enygmaStochasticPoints } from './scorers/enygma-stochastic-points/enygma-stochastic-points.node.ts';
import { enygmaWilliamsRPoints } from './scorers/enygma-williams-r-points/enygma-williams-r-points.node.ts';
import { enygmaAlignmentGate } from './gates/enygma-alignment-gate/enygma-alignment-gate.node.ts';
import { enygmaCapacityGate } from './gates/enygma-capacity-gate/enygma-capacity-gate.node.ts';
import { enygmaConfidenceGate } from './gates/enygma-confidence-gate/enygma-confidence-gate.node.ts';
import { enygmaConfluenceGate } from './gates/enygma-confluence-gate/enygma-confluence-gate.node.ts';
import { enygmaCooldownGate } from './gates/enygma-cooldown-gate/enygma-cooldown-gate.node.ts';
import { enygmaCrossGate } from './gates/enygma-cross-gate/enygma-cross-gate.node.ts';
import { enygmaDeadZoneGate } from './gates/enygma-dead-zone-gate/enygma-dead-zone-gate.node.ts';
import { enygmaDrawdownGate } from './gates/enygma-drawdown-gate/enygma-drawdown-gate.node.ts';
import { enygmaScoreBandGate } from './gates/enygma-score-band-gate/enygma-score-band-gate.node.ts';
import { enygmaThresholdGate } from './gates/enygma-threshold-gate/enygma-threshold-gate.node.ts';
import { enygmaTrendGate } from './gates/enygma-trend-gate/enygma-trend-gate.node.ts';
import { enygmaVolatilityGate } from './gates/enygma-volatility-gate/enygma-volatility-gate.node.ts';
import { enygmaEntry } from './signals/enygma-entry/enygma-entry.node.ts';
import { enygmaRisk } from './risk/enygma-risk/enygma-risk.node.ts';

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

  // ENYGMA v5.2.6 (enygma.md): per-indicator points, regime, scorer, entry gates, entry, risk.
  { def: enygmaAoPoints, dir: 'scorers/enygma-ao-points' },
  { def: enygmaAtrRegime, dir: 'scorers/enygma-atr-regime' },
  { def: enygmaBollingerPoints, dir: 'scorers/enygma-bollinger-points' },
  { def: enygmaCciPoints, dir: 'scorers/enygma-cci-points' },
  { def: enygmaCmfPoints, dir: 'scorers/enygma-cmf-points' },
  { def: enygmaDomPoints, dir: 'scorers/enygma-dom-points' },
  { def: enygmaEmaTrendPoints, dir: 'scorers/enygma-ema-trend-points' },
  { def: enygmaKdjPoints, dir: 'scorers/enygma-kdj-points' },
  { def: enygmaMacdPoints, dir: 'scorers/enygma-macd-points' },
  { def: enygmaObvPoints, dir: 'scorers/enygma-obv-points' },
  { def: enygmaRsiPoints, dir: 'scorers/enygma-rsi-points' },
  { def: enygmaScorer, dir: 'scorers/enygma-scorer' },
  { def: enygmaStochRsiPoints, dir: 'scorers/enygma-stoch-rsi-points' },
  { def: enygmaStochasticPoints, dir: 'scorers/enygma-stochastic-points' },
  { def: enygmaWilliamsRPoints, dir: 'scorers/enygma-williams-r-points' },
  { def: enygmaAlignmentGate, dir: 'gates/enygma-alignment-gate' },
  { def: enygmaCapacityGate, dir: 'gates/enygma-capacity-gate' },
  { def: enygmaConfidenceGate, dir: 'gates/enygma-confidence-gate' },
  { def: enygmaConfluenceGate, dir: 'gates/enygma-confluence-gate' },
  { def: enygmaCooldownGate, dir: 'gates/enygma-cooldown-gate' },
  { def: enygmaCrossGate, dir: 'gates/enygma-cross-gate' },
  { def: enygmaDeadZoneGate, dir: 'gates/enygma-dead-zone-gate' },
  { def: enygmaDrawdownGate, dir: 'gates/enygma-drawdown-gate' },
  { def: enygmaScoreBandGate, dir: 'gates/enygma-score-band-gate' },
  { def: enygmaThresholdGate, dir: 'gates/enygma-threshold-gate' },
  { def: enygmaTrendGate, dir: 'gates/enygma-trend-gate' },
  { def: enygmaVolatilityGate, dir: 'gates/enygma-volatility-gate' },
  { def: enygmaEntry, dir: 'signals/enygma-entry' },
  { def: enygmaRisk, dir: 'risk/enygma-risk' },

  { def: accountState, dir: 'account/state' },
  { def: bracketRisk, dir: 'risk/bracket' },
  { def: paperExecutor, dir: 'executors/paper' },
];

export const NODE_DEFINITIONS: readonly AnyNodeDefinition[] = NODE_CATALOG.map((entry) => entry.def);

export const registry = createRegistry(NODE_DEFINITIONS);

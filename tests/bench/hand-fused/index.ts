import type { CandleSeries } from '../../../engine/data/candles-csv.ts';
import * as consensus from './consensus.ts';
import type { FusedOptions, FusedResult } from './kit.ts';
import * as meanReversion from './mean-reversion.ts';
import * as weightedSignals from './weighted-signals.ts';

export type { FusedOptions, FusedResult } from './kit.ts';

export interface HandFused {
  /** the pipeline's name (its `pipeline:` key) */
  pipeline: string;
  /** the YAML file it is a hand-fused copy of */
  file: string;
  /** `{ venue: false }`: the signal graph only (no venue, null account) */
  run(data: CandleSeries, options?: FusedOptions): FusedResult;
}

/** One hand-fused version per example pipeline, keyed by pipeline name. */
export const HAND_FUSED: Readonly<Record<string, HandFused>> = {
  [meanReversion.PIPELINE]: { pipeline: meanReversion.PIPELINE, file: meanReversion.PIPELINE_FILE, run: meanReversion.runMeanReversion },
  [consensus.PIPELINE]: { pipeline: consensus.PIPELINE, file: consensus.PIPELINE_FILE, run: consensus.runConsensus },
  [weightedSignals.PIPELINE]: { pipeline: weightedSignals.PIPELINE, file: weightedSignals.PIPELINE_FILE, run: weightedSignals.runWeightedSignals },
};

export function handFused(pipeline: string): HandFused {
  const fused = HAND_FUSED[pipeline];
  if (fused === undefined) throw new Error(`no hand-fused version of pipeline "${pipeline}" (have: ${Object.keys(HAND_FUSED).join(', ')})`);
  return fused;
}

import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StepContext } from '../../../engine/core/node-definition.ts';
import type { AccountView, Bar, VenuePort } from '../../../engine/core/trading.ts';
import { PaperVenue } from '../../../engine/venues/paper/paper-venue.ts';
import { paperExecutor } from '../../../nodes/executors/paper/paper.node.ts';

/**
 * What the hand-fused pipelines share. A hand-fused pipeline is the engine's work for one example
 * pipeline written out as one straight loop: the same node definitions' `init`/`step`, called
 * directly with hard-wired inputs, in a fixed order, with the same PaperVenue settled before the
 * nodes on every bar (as IncrementalRunner.push does). What it leaves out is only the graph
 * machinery: dirty checks, input gathering and the generic `defs[k].step` dispatch.
 */

export interface FusedResult {
  venue: PaperVenue;
  bars: number;
}

/** A StepContext the loop updates in place, like the runner's MutableContext. */
export interface FusedContext extends StepContext {
  index: number;
  time: number;
  bar: Bar;
  gapBefore: number;
  account: AccountView | null;
  venue: VenuePort | null;
  trading: boolean;
}

export function fusedContext(venue: PaperVenue): FusedContext {
  const bar: Bar = { time: 0, open: NaN, high: NaN, low: NaN, close: NaN, volume: NaN, interval: 0, complete: true };
  return { index: -1, time: 0, bar, gapBefore: 0, account: null, venue, trading: true };
}

export function examplePipelineFile(name: string): string {
  return fileURLToPath(new URL(`../../../pipelines/examples/${name}.yaml`, import.meta.url));
}

/** The venue exactly as runBacktest gets it: the executor definition's createVenue. */
export function createPaperVenue(params: Parameters<NonNullable<typeof paperExecutor.createVenue>>[0], pipelineFile: string): PaperVenue {
  const dir = dirname(resolve(pipelineFile));
  const venue = paperExecutor.createVenue!(params, { resolvePath: (path) => (isAbsolute(path) ? path : resolve(dir, path)) });
  if (!(venue instanceof PaperVenue)) throw new Error('executor.paper did not create a PaperVenue');
  return venue;
}

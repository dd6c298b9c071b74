import type { DataRef, PipelineDetail, RunStatus } from '../api/client.ts';

/** Pure helpers for the run controls and the comparison: states, progress, data choice, reusing runs. */

/** "step 30m" on 5m data */
export const STEP_30M_BARS = 6;

export function isActive(s: RunStatus | null | undefined): boolean {
  return s?.state === 'running' || s?.state === 'paused';
}

export function isFinished(s: RunStatus | null | undefined): boolean {
  return s?.state === 'done' || s?.state === 'stopped' || s?.state === 'failed';
}

const int0 = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function progressOf(s: RunStatus | null | undefined): { fraction: number; text: string } {
  if (s === null || s === undefined) return { fraction: 0, text: 'no run' };
  const fraction = s.barsTotal > 0 ? Math.min(1, Math.max(0, s.barsDone / s.barsTotal)) : 0;
  const pct = fraction * 100;
  return { fraction, text: `${int0.format(s.barsDone)} / ${int0.format(s.barsTotal)} (${pct >= 99.95 && fraction < 1 ? '99.9' : pct.toFixed(1)}%)` };
}

/** Replay speed from the input: bars per second, 0 = as fast as possible; null when not a number in 0…1 000 000. */
export function parseSpeed(text: string): number | null {
  if (text.trim() === '') return null;
  const n = Number(text);
  return Number.isFinite(n) && n >= 0 && n <= 1_000_000 ? n : null;
}

/** The data file (base name) the pipeline's feed node reads, from its params. */
export function feedDataFile(detail: Pick<PipelineDetail, 'nodes'> | null): string | null {
  if (detail === null) return null;
  for (const node of detail.nodes) {
    if (!node.type.startsWith('feed.')) continue;
    const file = (node.params as { file?: unknown } | null)?.file;
    if (typeof file === 'string' && file.length > 0) return file.split(/[\\/]/).pop()!;
  }
  return null;
}

export interface DataSet {
  name: string;
  file: string;
}

export function embeddedNameFor(file: string | null, sets: readonly DataSet[]): string | null {
  if (file === null) return null;
  return sets.find((s) => s.file === file)?.name ?? null;
}

/** The select's value: '' = the pipeline's own data, else an embedded set's name. */
export function dataRefOf(choice: string): DataRef | undefined {
  return choice === '' ? undefined : { embedded: choice };
}

/** The base name of the data file a run on `choice` reads ('' = the pipeline's own: `own`). */
export function dataFileOf(choice: string, own: string | null, sets: readonly DataSet[]): string | null {
  if (choice === '') return own;
  return sets.find((s) => s.name === choice)?.file ?? null;
}

/**
 * A backtest that already answers "pipeline X at hash H on data D": finished (all its bars), else
 * still running; among several, the one covering the most bars, then the newest (runs are listed
 * oldest first). Runs with another hash (an edited pipeline, overridden params) never qualify.
 */
export function reusableRun(runs: readonly RunStatus[], want: { pipeline: string; hash: string | null; dataFile: string | null }): RunStatus | null {
  let best: RunStatus | null = null;
  const rank = (r: RunStatus) => (r.state === 'done' ? 2 : 1);
  for (const r of runs) {
    if (r.mode !== 'backtest' || r.pipeline !== want.pipeline) continue;
    if (want.hash !== null && r.pipelineHash !== want.hash) continue;
    if (want.dataFile !== null && r.dataFile !== want.dataFile) continue;
    if (r.state !== 'done' && r.state !== 'running') continue;
    if (r.state === 'done' && r.barsDone < r.barsTotal) continue;
    if (best === null || rank(r) > rank(best) || (rank(r) === rank(best) && r.barsTotal >= best.barsTotal)) best = r;
  }
  return best;
}

import type { RunStatus } from '../api/client.ts';

const ACTIVE = new Set(['running', 'paused']);

/**
 * The run to show for a pipeline: the newest running or paused one of this exact graph (same
 * hash), else its newest finished one; never a failed run that committed nothing.
 */
export function pickRun(runs: readonly RunStatus[], pipeline: string, hash: string | null): RunStatus | null {
  const mine = runs.filter((r) => r.pipeline === pipeline && (hash === null || r.pipelineHash === hash) && !(r.state === 'failed' && r.barsDone === 0));
  const active = mine.filter((r) => ACTIVE.has(r.state));
  return active.at(-1) ?? mine.at(-1) ?? null;
}

export function isActive(run: RunStatus | undefined | null): boolean {
  return run !== undefined && run !== null && ACTIVE.has(run.state);
}

import { useSyncExternalStore } from 'react';
import { api, type RunStatus } from '../api/client.ts';
import { live, type LiveState } from '../api/stream.ts';

/**
 * React's view of the live stream. Components subscribe to the one value they show (a node's
 * outputs, one sparkline), and notifications are coalesced to at most ten a second: a replay at
 * thousands of bars a second re-renders only the cards whose node fired, ten times a second.
 */
const THROTTLE_MS = 100;
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setTimeout> | null = null;

live.on(() => {
  if (timer !== null) return;
  timer = setTimeout(() => {
    timer = null;
    for (const l of listeners) l();
  }, THROTTLE_MS);
});

export function subscribeLive(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useLive<T>(select: (state: LiveState) => T): T {
  return useSyncExternalStore(subscribeLive, () => select(live.state));
}

/** The latest outputs of one node (undefined until it fires). */
export function useLiveNode(id: string): Record<string, unknown> | undefined {
  return useSyncExternalStore(subscribeLive, () => live.state.values[id]);
}

/** Recent numeric values of `node.port`, for a sparkline. */
export function useLiveRecent(key: string | null): number[] | undefined {
  return useSyncExternalStore(subscribeLive, () => (key === null ? undefined : live.state.recent[key]));
}

export function useLiveRun(runId: string | null): RunStatus | undefined {
  return useSyncExternalStore(subscribeLive, () => (runId === null ? undefined : live.state.runs[runId]));
}

/** The data index of the last committed bar at or before `time` (GET /api/runs/:id/index). */
export function barIndexAt(runId: string, time: number): Promise<{ index: number; time: number }> {
  return api.barIndex(runId, time);
}

/**
 * Shows the values a run has already committed: a paused or finished run sends no frames, and a
 * slow replay would leave 4h nodes blank for a long while.
 */
export async function seedLatest(run: RunStatus): Promise<void> {
  if (run.barsDone === 0 || run.lastTime === null) return;
  try {
    const { index, time } = await barIndexAt(run.id, run.lastTime);
    if (live.state.runId !== run.id) return;
    const bar = await api.barValues(run.id, index);
    live.seed(run.id, index, time, bar.values);
  } catch {
    // frames will fill the cards as the run advances
  }
}

/** Follows a run: its frames from now on, and what it has committed so far. */
export function followRun(run: RunStatus | null): void {
  if (run === null) {
    if (live.state.runId !== null) live.unsubscribe();
    return;
  }
  if (live.state.runId !== run.id) live.subscribe(run.id);
  void seedLatest(run);
}

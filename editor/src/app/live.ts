import { useSyncExternalStore } from 'react';
import { api, type RunStatus } from '../api/client.ts';
import { live, type LiveState } from '../api/stream.ts';
import { getState } from './store.ts';

/**
 * React's view of the live stream. Components subscribe to the one value they show (a node's
 * outputs, one sparkline). The stream applies bar frames at most once per animation frame; React
 * hears of them at once when MIN_NOTIFY_MS has passed since it last did, else when it has: however
 * fast a run goes, React renders at most ~30 times a second, and only the cards on screen whose
 * node fired (see graph/visibility.ts).
 */
const MIN_NOTIFY_MS = 33;
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setTimeout> | null = null;
let lastNotify = -Infinity;
/** batches of frames applied and React notifications so far (for checks and benchmarks: window.__barflowLive) */
export const liveStats = {
  notifications: 0,
  get flushes(): number {
    return live.flushes;
  },
};
if (typeof window !== 'undefined') (window as { __barflowLive?: typeof liveStats }).__barflowLive = liveStats;

function notify(): void {
  timer = null;
  lastNotify = performance.now();
  liveStats.notifications++;
  for (const l of listeners) l();
}

live.on(() => {
  if (timer !== null) return;
  const wait = lastNotify + MIN_NOTIFY_MS - performance.now();
  if (wait <= 0) notify();
  else timer = setTimeout(notify, wait);
});

export function subscribeLive(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useLive<T>(select: (state: LiveState) => T): T {
  return useSyncExternalStore(subscribeLive, () => select(live.state));
}

/** For a component that is off screen: it reads the latest values when it renders, but no tick re-renders it. */
const noSubscription = (): (() => void) => () => undefined;

/** The latest outputs of one node (undefined until it fires); `active` false: no re-render on ticks. */
export function useLiveNode(id: string, active = true): Record<string, unknown> | undefined {
  return useSyncExternalStore(active ? subscribeLive : noSubscription, () => live.state.values[id]);
}

/** Recent numeric values of `node.port`, for a sparkline; `active` false: no re-render on ticks. */
export function useLiveRecent(key: string | null, active = true): number[] | undefined {
  return useSyncExternalStore(active ? subscribeLive : noSubscription, () => (key === null ? undefined : live.state.recent[key]));
}

/** One value derived from the live state (a primitive); `active` false: no re-render on ticks. */
export function useLiveDerived<T>(select: (state: LiveState) => T, active = true): T {
  return useSyncExternalStore(active ? subscribeLive : noSubscription, () => select(live.state));
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

/** What the run's subscription asks for: every node's light outputs, and the selected node whole. */
function inspected(): string[] {
  const selected = getState().selected;
  return selected === null ? ['*'] : ['*', selected];
}

/** Follows a run: its frames from now on, and what it has committed so far. */
export function followRun(run: RunStatus | null): void {
  if (run === null) {
    if (live.state.runId !== null) live.unsubscribe();
    return;
  }
  if (live.state.runId !== run.id) live.subscribe(run.id, inspected());
  void seedLatest(run);
}

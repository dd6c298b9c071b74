import { useEffect, useState } from 'react';
import { api, type History } from '../api/client.ts';
import { live } from '../api/stream.ts';
import { barIndexAt } from '../app/live.ts';

export type HistoryRange = 'recent' | 'all';
export const RECENT_BARS = 2000;
const MIN_INTERVAL_MS = 2000;

export interface HistoryState {
  data: History | null;
  loading: boolean;
  error: string | null;
  /** the last bar index the data covers */
  upTo: number | null;
}

/**
 * A node's values over the run (GET /api/runs/:id/values), refreshed while the run advances: at
 * most every 2 s, and never more often than four times the last request took (the server replays
 * from its nearest snapshot to answer, so a whole-run request on a long run is not free).
 */
export function useHistory(runId: string | null, nodeId: string, range: HistoryRange, enabled: boolean): HistoryState {
  const [state, setState] = useState<HistoryState>({ data: null, loading: false, error: null, upTo: null });

  useEffect(() => {
    setState({ data: null, loading: false, error: null, upTo: null });
    if (runId === null || !enabled) return;
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let fetchedAt = -2;
    let lastDuration = 0;

    const lastIndex = async (): Promise<number> => {
      if (live.state.runId === runId && live.state.lastIndex >= 0) return live.state.lastIndex;
      const run = live.state.runs[runId];
      if (run?.lastTime != null) return (await barIndexAt(runId, run.lastTime)).index;
      return -1;
    };

    const tick = async () => {
      timer = null;
      try {
        const last = await lastIndex().catch(() => -1);
        if (cancelled) return;
        if (last !== fetchedAt || last < 0) {
          setState((s) => ({ ...s, loading: true }));
          const from = range === 'recent' && last >= 0 ? Math.max(0, last - RECENT_BARS + 1) : undefined;
          const t0 = performance.now();
          const data = await api.history(runId, [nodeId], from, last >= 0 ? last : undefined, RECENT_BARS);
          lastDuration = performance.now() - t0;
          if (cancelled) return;
          fetchedAt = last;
          setState({ data, loading: false, error: null, upTo: data.index.at(-1) ?? null });
        }
      } catch (error) {
        if (cancelled) return;
        setState((s) => ({ ...s, loading: false, error: error instanceof Error ? error.message : String(error) }));
      }
      const run = live.state.runs[runId];
      const advancing = run === undefined || run.state === 'running';
      if (!cancelled && (advancing || fetchedAt < 0)) timer = setTimeout(() => void tick(), Math.max(MIN_INTERVAL_MS, lastDuration * 4));
      else if (!cancelled) timer = setTimeout(() => void tick(), 5000); // paused runs step; check now and then
    };
    void tick();
    return () => {
      cancelled = true;
      if (timer !== null) clearTimeout(timer);
    };
  }, [runId, nodeId, range, enabled]);

  return state;
}

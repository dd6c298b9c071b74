import { useLiveNode } from '../app/live.ts';
import { useAppStore } from '../app/store.ts';

export interface ValuesView {
  values: Record<string, unknown> | undefined;
  /** 'bar' while a bar is picked (values as of that bar), else 'live' */
  source: 'live' | 'bar';
}

/** A node's outputs for the inspector: at the picked bar, or the latest streamed. */
export function useInspectedValues(id: string): ValuesView {
  const latest = useLiveNode(id);
  const atBar = useAppStore((s) => s.bar?.values?.[id]);
  const barMode = useAppStore((s) => s.bar !== null && s.bar.values !== null);
  return barMode ? { values: atBar, source: 'bar' } : { values: latest, source: 'live' };
}

import { useAppStore } from '../app/store.ts';
import { useLiveNode } from '../app/live.ts';

/**
 * A node's outputs as the graph shows them: at the selected bar while one is picked (the graph
 * then reads "as of that bar"), else the latest streamed values.
 */
export function useNodeValues(id: string): Record<string, unknown> | undefined {
  const latest = useLiveNode(id);
  const atBar = useAppStore((s) => s.bar?.values?.[id]);
  const barMode = useAppStore((s) => s.bar !== null && s.bar.values !== null);
  return barMode ? atBar : latest;
}

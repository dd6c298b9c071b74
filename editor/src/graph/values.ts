import { useAppStore } from '../app/store.ts';
import { useLiveDerived, useLiveNode } from '../app/live.ts';

/**
 * A node's outputs as the graph shows them: at the selected bar while one is picked (the graph
 * then reads "as of that bar"), else the latest streamed values. `active` false (a card off screen):
 * live ticks do not re-render it; it reads the latest values when it comes back.
 */
export function useNodeValues(id: string, active = true): Record<string, unknown> | undefined {
  const latest = useLiveNode(id, active);
  const atBar = useAppStore((s) => s.bar?.values?.[id]);
  const barMode = useAppStore((s) => s.bar !== null && s.bar.values !== null);
  return barMode ? atBar : latest;
}

/**
 * One thing derived from a node's outputs (a formatted value, a gate's state), as the graph shows
 * it. `select` must return a primitive: the component re-renders only when it changes, not on every
 * tick of the node.
 */
export function useNodeDerived<T extends string | number | boolean | null | undefined>(id: string, select: (values: Record<string, unknown> | undefined) => T, active = true): T {
  const latest = useLiveDerived((s) => select(s.values[id]), active);
  const barMode = useAppStore((s) => s.bar !== null && s.bar.values !== null);
  const atBar = useAppStore((s) => (s.bar !== null && s.bar.values !== null ? select(s.bar.values[id]) : undefined));
  return barMode ? (atBar as T) : latest;
}

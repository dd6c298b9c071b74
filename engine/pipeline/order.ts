/**
 * Topological order by Kahn's algorithm, breaking ties by declaration order so the plan (and every
 * output that follows it) is deterministic and reads like the YAML.
 */
export function topologicalOrder(count: number, edges: ReadonlyArray<readonly [number, number]>): { order: number[]; cycle: number[] | null } {
  const outgoing: number[][] = Array.from({ length: count }, () => []);
  const indegree = new Array<number>(count).fill(0);
  for (const [from, to] of edges) {
    outgoing[from]!.push(to);
    indegree[to]!++;
  }
  const ready = new MinHeap();
  for (let i = 0; i < count; i++) if (indegree[i] === 0) ready.push(i);
  const order: number[] = [];
  while (ready.size > 0) {
    const n = ready.pop();
    order.push(n);
    for (const m of outgoing[n]!) if (--indegree[m]! === 0) ready.push(m);
  }
  if (order.length === count) return { order, cycle: null };
  const remaining = new Set<number>();
  for (let i = 0; i < count; i++) if (indegree[i]! > 0) remaining.add(i);
  return { order, cycle: findCycle(remaining, outgoing) };
}

/**
 * One cycle among the nodes Kahn could not order, as a closed walk [a, b, …, a] along edge
 * direction. Every such node still has an unordered predecessor, so walking backwards never
 * dead-ends and must eventually repeat a node.
 */
function findCycle(remaining: Set<number>, outgoing: number[][]): number[] {
  const incoming = new Map<number, number[]>();
  for (const n of remaining) for (const m of outgoing[n]!) if (remaining.has(m)) (incoming.get(m) ?? incoming.set(m, []).get(m)!).push(n);
  const seenAt = new Map<number, number>();
  const backwards: number[] = [];
  let current = Math.min(...remaining);
  while (!seenAt.has(current)) {
    seenAt.set(current, backwards.length);
    backwards.push(current);
    current = Math.min(...incoming.get(current)!);
  }
  const loop = backwards.slice(seenAt.get(current)!).reverse();
  return [...loop, loop[0]!];
}

class MinHeap {
  private items: number[] = [];
  get size(): number {
    return this.items.length;
  }
  push(value: number): void {
    const a = this.items;
    a.push(value);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (a[parent]! <= a[i]!) break;
      [a[parent], a[i]] = [a[i]!, a[parent]!];
      i = parent;
    }
  }
  pop(): number {
    const a = this.items;
    const top = a[0]!;
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && a[l]! < a[m]!) m = l;
        if (r < a.length && a[r]! < a[m]!) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i]!, a[m]!];
        i = m;
      }
    }
    return top;
  }
}

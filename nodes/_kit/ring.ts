/**
 * A fixed-capacity window over the most recent values, as plain data (so node state stays
 * snapshot-able). `items[(head + i) % capacity]` is the i-th oldest value.
 */
export interface Ring {
  items: number[];
  head: number;
  size: number;
}

export function ring(capacity: number): Ring {
  return { items: new Array<number>(capacity).fill(0), head: 0, size: 0 };
}

/** Adds a value; returns the value that fell out of the window, or NaN while filling. */
export function ringPush(r: Ring, value: number): number {
  const capacity = r.items.length;
  if (r.size < capacity) {
    r.items[(r.head + r.size) % capacity] = value;
    r.size++;
    return NaN;
  }
  const evicted = r.items[r.head]!;
  r.items[r.head] = value;
  r.head = r.head + 1 === capacity ? 0 : r.head + 1;
  return evicted;
}

export function ringFull(r: Ring): boolean {
  return r.size === r.items.length;
}

/** i-th oldest value (0 = oldest still in the window). */
export function ringAt(r: Ring, i: number): number {
  const capacity = r.items.length;
  const k = r.head + i;
  return r.items[k >= capacity ? k - capacity : k]!;
}

export function ringNewest(r: Ring): number {
  return ringAt(r, r.size - 1);
}

export function ringMax(r: Ring): number {
  let max = -Infinity;
  for (let i = 0; i < r.size; i++) {
    const v = r.items[i]!;
    if (v > max) max = v;
  }
  return max;
}

export function ringMin(r: Ring): number {
  let min = Infinity;
  for (let i = 0; i < r.size; i++) {
    const v = r.items[i]!;
    if (v < min) min = v;
  }
  return min;
}

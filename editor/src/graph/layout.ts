import ELK from 'elkjs/lib/elk-api.js';
import elkWorkerUrl from 'elkjs/lib/elk-worker.min.js?url';
import { elkGraph, placements, type Placement } from './layout-input.ts';
import type { GraphModel } from './model.ts';

/** elkjs in a Web Worker, so laying out 177 nodes never freezes the page. */
let elk: InstanceType<typeof ELK> | null = null;
const cache = new Map<string, Map<string, Placement>>();
const CACHE_SIZE = 24;

function engine(): InstanceType<typeof ELK> {
  elk ??= new ELK({ workerFactory: () => new Worker(elkWorkerUrl) });
  return elk;
}

/**
 * Positions for every node of the model. `key` names the graph and what is collapsed (same key,
 * same layout): toggling an instance back is instant.
 */
export async function layoutModel(model: GraphModel, graphKey: string | null = null): Promise<Map<string, Placement>> {
  // the sizes are part of the key: a card that grew invalidates the stored layout
  const key = graphKey === null ? null : `${graphKey}|${model.nodes.reduce((h, n) => (h * 31 + n.width * 7 + n.height + n.id.length) % 1_000_000_007, 7)}`;
  const hit = key === null ? undefined : (cache.get(key) ?? readStored(key, model));
  if (hit !== undefined) return hit;
  const laidOut = await engine().layout(elkGraph(model));
  const result = placements(laidOut);
  if (key !== null) {
    cache.set(key, result);
    if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
    store(key, result);
  }
  return result;
}

// layouts also persist across visits (same graph, same collapsed instances → same positions)
const STORE_PREFIX = 'barflow.layout.v1:';
const STORE_KEEP = 12;

function readStored(key: string, model: GraphModel): Map<string, Placement> | undefined {
  try {
    const text = localStorage.getItem(STORE_PREFIX + key);
    if (text === null) return undefined;
    const entries = JSON.parse(text) as [string, Placement][];
    const map = new Map(entries);
    if (!model.nodes.every((n) => map.has(n.id))) return undefined;
    cache.set(key, map);
    return map;
  } catch {
    return undefined;
  }
}

function store(key: string, result: Map<string, Placement>): void {
  try {
    const keys = Object.keys(localStorage).filter((k) => k.startsWith(STORE_PREFIX));
    for (const old of keys.slice(0, Math.max(0, keys.length - STORE_KEEP + 1))) localStorage.removeItem(old);
    const rounded = [...result].map(([id, p]) => [id, { x: Math.round(p.x), y: Math.round(p.y), width: Math.round(p.width), height: Math.round(p.height) }]);
    localStorage.setItem(STORE_PREFIX + key, JSON.stringify(rounded));
  } catch {
    // storage full or disabled: the in-memory cache still works
  }
}

/** Starts the worker and compiles ELK while the pipeline is still loading. */
export function warmLayout(): void {
  void engine()
    .layout({ id: 'warm', layoutOptions: { 'elk.algorithm': 'layered' }, children: [{ id: 'a', width: 10, height: 10 }, { id: 'b', width: 10, height: 10 }], edges: [{ id: 'e', sources: ['a'], targets: ['b'] }] })
    .catch(() => undefined);
}

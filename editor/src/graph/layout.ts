import ELK from 'elkjs/lib/elk-api.js';
import elkWorkerUrl from 'elkjs/lib/elk-worker.min.js?url';
import { layoutGraph, layoutKey, type LayoutReport, type Placement } from './layout-input.ts';
import type { GraphModel } from './model.ts';

/** elkjs in a Web Worker, so laying out 177 nodes never freezes the page. */
let elk: InstanceType<typeof ELK> | null = null;
const cache = new Map<string, Map<string, Placement>>();
const CACHE_SIZE = 24;

function engine(): InstanceType<typeof ELK> {
  elk ??= new ELK({ workerFactory: () => new Worker(elkWorkerUrl) });
  return elk;
}

/** What the last call computed (null when it came from the cache): for timings and checks. */
export let lastReport: LayoutReport | null = null;

/**
 * Positions for every node of the model (relative to its parent). Laid-out graphs are cached by
 * pipeline name and layoutKey: toggling an instance back, or saving a param, is instant.
 */
export async function layoutModel(model: GraphModel, name: string | null = null): Promise<Map<string, Placement>> {
  const key = name === null ? null : `${name}|${layoutKey(model)}`;
  const hit = key === null ? undefined : (cache.get(key) ?? readStored(key, model));
  if (hit !== undefined) {
    lastReport = null;
    return hit;
  }
  const elk = engine();
  const result = await layoutGraph(model, (graph) => elk.layout(graph), (report) => {
    lastReport = report;
  });
  if (key !== null) {
    cache.set(key, result);
    if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
    store(key, result);
  }
  return result;
}

// layouts also persist across visits (same graph, same collapsed instances → same positions)
// v2: two-level layout (instances laid out alone, then placed as blocks); v1 layouts are not reused
const STORE_PREFIX = 'barflow.layout.v2:';
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
    const all = Object.keys(localStorage);
    for (const old of all) if (old.startsWith('barflow.layout.') && !old.startsWith(STORE_PREFIX)) localStorage.removeItem(old);
    const keys = all.filter((k) => k.startsWith(STORE_PREFIX));
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

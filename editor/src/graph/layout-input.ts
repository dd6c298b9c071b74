import type { ElkExtendedEdge, ElkNode, ElkPort } from 'elkjs/lib/elk-api.js';
import { GROUP_PADDING, type GraphModel, type ModelNode, type PortView } from './model.ts';

/**
 * The graph model laid out with ELK, in two levels: every expanded instance's interior first, alone
 * (deepest first), then each level places its instances as fixed-size blocks whose ports stand
 * where the inner handles are. Laying everything out at once (hierarchy handling INCLUDE_CHILDREN)
 * puts parallel instances in one layer, so the five timeframe instances of the canonical pipeline
 * stacked into one 3,700 × 15,000 px column; here the top level is laid out both left → right and
 * top → down, and the one that fits a 16:9 view better wins: parallel instances stand side by side,
 * their interiors aligned (identical interiors are laid out once).
 */

/** layered, left → right; every level is laid out on its own (no hierarchy handling) */
export const LAYERED_OPTIONS: Record<string, string> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  'elk.layered.crossingMinimization.strategy': 'LAYER_SWEEP',
  'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX',
  // React Flow draws the wires; splines keep ELK from widening layer gaps for orthogonal channels
  'elk.edgeRouting': 'SPLINES',
  'elk.layered.spacing.nodeNodeBetweenLayers': '72',
  'elk.layered.spacing.edgeNodeBetweenLayers': '24',
  'elk.spacing.nodeNode': '22',
  'elk.spacing.componentComponent': '48',
  'elk.padding': '[top=24,left=24,bottom=24,right=24]',
  'elk.separateConnectedComponents': 'false',
};

const FRAME_OPTIONS: Record<string, string> = {
  'elk.padding': `[top=${GROUP_PADDING.top},left=${GROUP_PADDING.side},bottom=${GROUP_PADDING.bottom},right=${GROUP_PADDING.side}]`,
};

/** a level with more items than this uses Brandes–Köpf placement (network simplex grows fast) */
export const BIG_GRAPH = 80;
/** the view the whole graph should fit: width / height */
export const TARGET_ASPECT = 16 / 9;
/**
 * Parallel instances keep their declared order (tf_15m, tf_30m, … left to right): crossing
 * minimisation reads the order from the positions levelGraph gives the items.
 */
const TOP_DOWN: Record<string, string> = {
  'elk.layered.crossingMinimization.strategy': 'INTERACTIVE',
  // room between the instances of a row: their outgoing wires run down between them
  'elk.spacing.nodeNode': '64',
};
/** in a top → down layout, an instance whose left → right interior is this much taller than wide is laid out top → down too */
const TALL_FRAME = 2;

export type Direction = 'RIGHT' | 'DOWN';
export type RunElk = (graph: ElkNode) => Promise<ElkNode>;

export const portKey = (nodeId: string, handle: string): string => `${nodeId}::${handle}`;

export interface Placement {
  x: number;
  y: number;
  width: number;
  height: number;
}

function ports(node: ModelNode): ElkPort[] {
  if (node.kind === 'frame') return [];
  const side = (p: PortView, west: boolean, index: number): ElkPort => ({
    id: portKey(node.id, p.handle),
    x: west ? -4 : node.width - 4,
    y: p.y - 4,
    width: 8,
    height: 8,
    layoutOptions: { 'elk.port.side': west ? 'WEST' : 'EAST', 'elk.port.index': String(index) },
  });
  return [...node.inputs.map((p, i) => side(p, true, i)), ...node.outputs.map((p, i) => side(p, false, i))];
}

function nodeOptions(node: ModelNode): Record<string, string> {
  const options: Record<string, string> = { 'elk.portConstraints': 'FIXED_POS' };
  // top-level sources (the feed, the account) start the flow instead of drifting next to their readers
  if (node.kind === 'card' && node.parentId === null && node.inputs.length === 0) options['elk.layered.layering.layerConstraint'] = 'FIRST';
  return options;
}

/** Where every node of the model is, relative to its parent, and how big each frame is. */
type Layout = Map<string, Placement>;

export class Levels {
  readonly byId: Map<string, ModelNode>;
  readonly children = new Map<string | null, ModelNode[]>();

  constructor(readonly model: GraphModel) {
    this.byId = new Map(model.nodes.map((n) => [n.id, n]));
    for (const n of model.nodes) (this.children.get(n.parentId) ?? this.children.set(n.parentId, []).get(n.parentId)!).push(n);
  }

  depth(n: ModelNode): number {
    let d = 0;
    for (let p = n.parentId; p !== null; p = this.byId.get(p)?.parentId ?? null) d++;
    return d;
  }

  /** The item of `container` that holds `id` (itself, or the frame it is in), or null when outside. */
  lift(id: string, container: string | null): string | null {
    let n = this.byId.get(id);
    while (n !== undefined && n.parentId !== container) n = n.parentId === null ? undefined : this.byId.get(n.parentId);
    return n?.id ?? null;
  }

  /** Position of `id` inside the frame `container`. */
  offsetIn(layout: Layout, id: string, container: string): { x: number; y: number } {
    let x = 0;
    let y = 0;
    for (let n = this.byId.get(id); n !== undefined && n.id !== container; n = n.parentId === null ? undefined : this.byId.get(n.parentId)) {
      const p = layout.get(n.id);
      x += p?.x ?? 0;
      y += p?.y ?? 0;
    }
    return { x, y };
  }

  handleY(id: string, handle: string): number {
    const n = this.byId.get(id);
    if (n === undefined || n.kind === 'frame') return 0;
    return [...n.inputs, ...n.outputs].find((p) => p.handle === handle)?.y ?? n.height / 2;
  }
}

/**
 * The ELK graph of one level: the items of `container` (cards, boxes, frames already laid out as
 * fixed-size blocks) and the wires between them. A wire into or out of a frame ends on a port of
 * the block where the inner handle is (west / east; north / south when the level runs top → down).
 */
export function levelGraph(levels: Levels, layout: Layout, container: string | null, direction: Direction, options: Record<string, string> = {}): ElkNode {
  const items = levels.children.get(container) ?? [];
  const vertical = direction === 'DOWN';
  const nodes = new Map<string, ElkNode>();
  for (const item of items) {
    if (item.kind === 'frame') {
      const size = layout.get(item.id) ?? { width: 200, height: 60 };
      nodes.set(item.id, { id: item.id, width: size.width, height: size.height, ports: [], layoutOptions: { 'elk.portConstraints': 'FIXED_POS' } });
    } else nodes.set(item.id, { id: item.id, width: item.width, height: item.height, ports: ports(item), layoutOptions: nodeOptions(item) });
  }
  const blockPort = (block: string, inner: string, handle: string, out: boolean): string => {
    const id = `${block}>${portKey(inner, handle)}`;
    const node = nodes.get(block)!;
    if (node.ports!.some((p) => p.id === id)) return id;
    const at = levels.offsetIn(layout, inner, block);
    if (vertical) {
      const w = levels.byId.get(inner)?.width ?? 0;
      node.ports!.push({ id, x: Math.min(node.width! - 8, Math.max(0, at.x + (out ? w : 0) - 4)), y: out ? node.height! - 4 : -4, width: 8, height: 8, layoutOptions: { 'elk.port.side': out ? 'SOUTH' : 'NORTH' } });
    } else {
      const y = at.y + levels.handleY(inner, handle);
      node.ports!.push({ id, x: out ? node.width! - 4 : -4, y: y - 4, width: 8, height: 8, layoutOptions: { 'elk.port.side': out ? 'EAST' : 'WEST' } });
    }
    return id;
  };
  const edges: ElkExtendedEdge[] = [];
  for (const e of levels.model.edges) {
    const s = levels.lift(e.source, container);
    const t = levels.lift(e.target, container);
    if (s === null || t === null || s === t) continue;
    const source = s === e.source ? portKey(e.source, e.sourceHandle) : blockPort(s, e.source, e.sourceHandle, true);
    const target = t === e.target ? portKey(e.target, e.targetHandle) : blockPort(t, e.target, e.targetHandle, false);
    edges.push({ id: e.id, sources: [source], targets: [target] });
  }
  if (options['elk.layered.crossingMinimization.strategy'] === 'INTERACTIVE') {
    let i = 0;
    for (const node of nodes.values()) {
      const along = 1000 * i++;
      node.x = vertical ? along : 0;
      node.y = vertical ? 0 : along;
    }
  }
  const placement: Record<string, string> = items.length > BIG_GRAPH ? { 'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF' } : {};
  return {
    id: container ?? 'root',
    layoutOptions: { ...LAYERED_OPTIONS, ...(container === null ? {} : FRAME_OPTIONS), ...placement, 'elk.direction': direction, ...options },
    children: [...nodes.values()],
    edges,
  };
}

/**
 * The graph with its ids replaced by their place in the level: two instances of one template with
 * the same sizes give the same text, so the second reuses the first's layout.
 */
function shapeKey(graph: ElkNode): { key: string; ids: string[] } {
  const ids = (graph.children ?? []).map((c) => c.id);
  const index = new Map(ids.map((id, i) => [id, i]));
  const local = (portId: string): string => {
    for (const [id, i] of index) if (portId.startsWith(`${id}::`) || portId.startsWith(`${id}>`)) return `${i}${portId.slice(id.length).replace(/[^:>]*\//g, '')}`;
    return portId;
  };
  const key = JSON.stringify({
    o: graph.layoutOptions,
    c: (graph.children ?? []).map((c) => [c.width, c.height, c.layoutOptions, (c.ports ?? []).map((p) => [local(p.id), p.x, p.y, p.layoutOptions?.['elk.port.side']])]),
    e: (graph.edges ?? []).map((e) => [local(e.sources[0]!), local(e.targets[0]!)]),
  });
  return { key, ids };
}

/** Top-left corner and size of the level's items, as ELK placed them. */
function read(laidOut: ElkNode): { width: number; height: number; items: Placement[] } {
  return { width: laidOut.width ?? 0, height: laidOut.height ?? 0, items: (laidOut.children ?? []).map((c) => ({ x: c.x ?? 0, y: c.y ?? 0, width: c.width ?? 0, height: c.height ?? 0 })) };
}

/** How far a box of this size must be zoomed out to fit a view of the target aspect (bigger: worse). */
export const fitCost = (width: number, height: number, aspect = TARGET_ASPECT): number => Math.max(width / aspect, height);

export interface LayoutReport {
  direction: Direction;
  width: number;
  height: number;
  /** ELK runs (identical instance interiors share one) */
  runs: number;
}

/**
 * What a layout depends on, hashed: the nodes with their parents and sizes, the handles' places and
 * the wires. Params, labels and values are not in it: a saved param that leaves every card its size
 * keeps the layout (the cards still show the new values: the cache holds positions only, never a
 * node's contents).
 */
export function layoutKey(model: GraphModel): string {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  const mix = (text: string) => {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995);
    }
  };
  for (const n of model.nodes) {
    mix(`${n.id}<${n.parentId ?? ''}:${n.kind}:${n.width}x${n.height}`);
    if (n.kind !== 'frame') for (const p of [...n.inputs, ...n.outputs]) mix(`${p.handle}@${p.y}`);
  }
  for (const e of model.edges) mix(`|${e.id}`);
  return `${model.nodes.length}.${model.edges.length}.${(a >>> 0).toString(36)}${(b >>> 0).toString(36)}`;
}

/** Positions for every node, relative to its parent (as React Flow wants them); frames get their size. */
export async function layoutGraph(model: GraphModel, run: RunElk, report?: (r: LayoutReport) => void): Promise<Map<string, Placement>> {
  const levels = new Levels(model);
  const shapes = new Map<string, Promise<ReturnType<typeof read>>>();
  let runs = 0;
  const place = async (layout: Layout, container: string | null, direction: Direction, options: Record<string, string> = {}) => {
    const graph = levelGraph(levels, layout, container, direction, options);
    const { key, ids } = shapeKey(graph);
    let result = shapes.get(key);
    if (result === undefined) {
      runs++;
      result = run(graph).then(read);
      shapes.set(key, result);
    }
    const { width, height, items } = await result;
    ids.forEach((id, i) => layout.set(id, items[i]!));
    // frames take the size of their laid-out interior (the level above places them with it)
    if (container !== null) layout.set(container, { x: 0, y: 0, width: Math.max(width, 160), height: Math.max(height, GROUP_PADDING.top + GROUP_PADDING.bottom) });
    return { width, height };
  };

  const layout: Layout = new Map();
  const frames = model.nodes.filter((n) => n.kind === 'frame').sort((a, b) => levels.depth(b) - levels.depth(a));
  // interiors, deepest first; one depth at a time (the ones of a depth in parallel)
  const depths = [...new Set(frames.map((f) => levels.depth(f)))];
  for (const d of depths) await Promise.all(frames.filter((f) => levels.depth(f) === d).map((f) => place(layout, f.id, 'RIGHT')));
  // a frame's own position is set by its parent's level: keep the sizes, positions come below
  const right = new Map(layout);
  const rightSize = await place(right, null, 'RIGHT');
  let best = { direction: 'RIGHT' as Direction, layout: right, size: rightSize };

  const topFrames = (levels.children.get(null) ?? []).filter((n) => n.kind === 'frame');
  if (topFrames.length >= 2) {
    // top → down: parallel instances side by side; tall, narrow instances (a column of gates into
    // one node) turn top → down as well, so they lie under the row instead of below it all
    const down = new Map(layout);
    await Promise.all(
      topFrames.map(async (f) => {
        const size = layout.get(f.id)!;
        if (size.height > TALL_FRAME * size.width && !(levels.children.get(f.id) ?? []).some((c) => c.kind === 'frame')) await place(down, f.id, 'DOWN');
      }),
    );
    const downSize = await place(down, null, 'DOWN', TOP_DOWN);
    if (fitCost(downSize.width, downSize.height) < fitCost(rightSize.width, rightSize.height)) best = { direction: 'DOWN', layout: down, size: downSize };
  }
  report?.({ direction: best.direction, width: best.size.width, height: best.size.height, runs });
  return best.layout;
}

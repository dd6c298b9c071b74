import type { ElkExtendedEdge, ElkNode, ElkPort } from 'elkjs/lib/elk-api.js';
import { GROUP_PADDING, type GraphModel, type ModelNode, type PortView } from './model.ts';

/**
 * The graph model as an ELK graph: layered, left → right, instances as compound nodes (so each
 * expanded instance is laid out as one box), ports at the exact handle positions in declaration
 * order, every edge in the root (hierarchy handling INCLUDE_CHILDREN lays out edges that cross
 * instance boundaries together with the rest).
 */

export const ROOT_OPTIONS: Record<string, string> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
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

export const BIG_GRAPH = 80;

export const portKey = (nodeId: string, handle: string): string => `${nodeId}::${handle}`;

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

export function elkGraph(model: GraphModel): ElkNode {
  // network-simplex placement straightens wires but grows fast with size; Brandes–Köpf for big graphs
  const placement: Record<string, string> = model.nodes.length > BIG_GRAPH ? { 'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF' } : {};
  const root: ElkNode = { id: 'root', layoutOptions: { ...ROOT_OPTIONS, ...placement }, children: [], edges: [] };
  const elk = new Map<string, ElkNode>();
  for (const node of model.nodes) {
    const item: ElkNode =
      node.kind === 'frame'
        ? { id: node.id, layoutOptions: FRAME_OPTIONS, children: [] }
        : { id: node.id, width: node.width, height: node.height, ports: ports(node), layoutOptions: nodeOptions(node) };
    elk.set(node.id, item);
    const parent = node.parentId === null ? root : elk.get(node.parentId);
    if (parent === undefined) throw new Error(`layout: ${node.id} comes before its parent ${node.parentId}`);
    parent.children!.push(item);
  }
  root.edges = model.edges.map((e): ElkExtendedEdge => ({ id: e.id, sources: [portKey(e.source, e.sourceHandle)], targets: [portKey(e.target, e.targetHandle)] }));
  return root;
}

export interface Placement {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Positions from a laid-out ELK graph, relative to each node's parent (as React Flow wants them). */
export function placements(laidOut: ElkNode): Map<string, Placement> {
  const out = new Map<string, Placement>();
  const walk = (node: ElkNode) => {
    for (const child of node.children ?? []) {
      out.set(child.id, { x: child.x ?? 0, y: child.y ?? 0, width: child.width ?? 0, height: child.height ?? 0 });
      walk(child);
    }
  };
  walk(laidOut);
  return out;
}

import type { GraphGroup, GraphNode, PipelineDetail } from '../../../engine/server/protocol/rest.ts';
import type { NodeTypeInfo } from '../api/client.ts';
import { categoryColor, portColor } from './colors.ts';
import { isGateNode } from '../inspector/gates.ts';
import { formatParam } from '../app/format.ts';

/**
 * The compiled graph → what the graph view draws: cards for nodes, frames for expanded sub-graph
 * instances, boxes for collapsed ones (their external wiring aggregated onto the box), and typed
 * edges. Pure: no React, no layout engine; sizes and handle positions are decided here so the
 * layout (elkjs) and the rendered cards agree to the pixel.
 */

export const CARD = { width: 236, header: 26, sub: 16, param: 15, row: 18, spark: 28, reason: 20, bottom: 8, paramLines: 2 } as const;
export const BOX = { width: 300, header: 46, gateRow: 22, gatesPerRow: 3, row: 18, bottom: 10 } as const;
export const GROUP_PADDING = { top: 44, side: 18, bottom: 18 } as const;

export interface PortView {
  /** handle id, unique within its node: `in:<port>` / `out:<port>` (boxes: `in:<node>.<port>`) */
  handle: string;
  port: string;
  label: string;
  type: string;
  many: boolean;
  optional: boolean;
  /** centre of the handle from the top of the node, px */
  y: number;
  /** boxes: the inner (outputs) or outer (inputs) node and port the handle stands for */
  node?: string;
  nodePort?: string;
}

interface Base {
  /** React Flow id: the node id for cards, `group:<id>` for frames and boxes */
  id: string;
  /** React Flow id of the enclosing expanded frame */
  parentId: string | null;
  width: number;
  height: number;
}

export interface CardModel extends Base {
  kind: 'card';
  node: GraphNode;
  /** the id without its instance prefix (`rsi` for `tf_30m/rsi`) */
  localId: string;
  color: string;
  /** the first few params, packed into at most CARD.paramLines lines */
  paramLines: { name: string; value: unknown }[][];
  moreParams: number;
  inputs: PortView[];
  outputs: PortView[];
  /** the series output drawn as a sparkline */
  mainSeries: string | null;
  gate: boolean;
  paramsTop: number;
  rowsTop: number;
  sparkTop: number;
  reasonTop: number;
}

export interface FrameModel extends Base {
  kind: 'frame';
  groupId: string;
  group: GraphGroup;
  nodeCount: number;
}

export interface BoxModel extends Base {
  kind: 'box';
  groupId: string;
  group: GraphGroup;
  /** every node inside (nested instances included) */
  nodeIds: string[];
  /** the gate nodes inside, in declaration order */
  gates: string[];
  inputs: PortView[];
  outputs: PortView[];
  gatesTop: number;
  rowsTop: number;
}

export type ModelNode = CardModel | FrameModel | BoxModel;

export interface ModelEdge {
  id: string;
  source: string;
  sourceHandle: string;
  target: string;
  targetHandle: string;
  /** port type of the wire (the source output's type) */
  type: string;
  color: string;
  /** wires merged into this edge (more than one when it ends on a collapsed box) */
  count: number;
}

export interface GraphModel {
  /** parents before children, in declaration order */
  nodes: ModelNode[];
  edges: ModelEdge[];
  /** node id → the React Flow node that shows it (itself, or the box of a collapsed instance) */
  shownAs: Record<string, string>;
}

export const groupNodeId = (groupId: string): string => `group:${groupId}`;

/** Instance ids from the innermost (the node's own) outwards. */
export function groupChain(groups: ReadonlyMap<string, GraphGroup>, groupId: string | null): string[] {
  const chain: string[] = [];
  const seen = new Set<string>();
  let current = groupId;
  while (current !== null && !seen.has(current)) {
    seen.add(current);
    chain.push(current);
    current = groups.get(current)?.parent ?? null;
  }
  return chain;
}

/** The series output a sparkline should draw, or null when the node has none. */
export function mainSeriesPort(node: GraphNode): string | null {
  const series = node.outputs.filter((o) => o.type === 'series').map((o) => o.port);
  if (series.length === 0) return null;
  for (const preferred of ['close', 'total', 'value', 'score', 'points', 'equity', 'vote', 'stop']) if (series.includes(preferred)) return preferred;
  return series.find((p) => p !== 'time') ?? null;
}

function paramEntries(node: GraphNode): { name: string; value: unknown }[] {
  const params = node.params;
  if (params === null || typeof params !== 'object' || Array.isArray(params)) return [];
  return Object.entries(params as Record<string, unknown>).map(([name, value]) => ({ name, value }));
}

/** Estimated width of a param chip (`name value`) in px: 10.5 px sans names, 11 px mono values. */
export function paramChipWidth(name: string, value: string): number {
  return Math.ceil(name.length * 5.9 + value.length * 6.7 + 14);
}

/** Packs params into lines of the card's width, in order, at most `lines` lines; the rest are counted. */
export function packParams(params: { name: string; value: unknown; text: string }[], width: number, lines: number): { lines: { name: string; value: unknown }[][]; rest: number } {
  const out: { name: string; value: unknown }[][] = [];
  let line: { name: string; value: unknown }[] = [];
  let used = 0;
  let placed = 0;
  for (const p of params) {
    const w = paramChipWidth(p.name, p.text);
    if (line.length > 0 && used + w > width) {
      out.push(line);
      line = [];
      used = 0;
      if (out.length === lines) break;
    }
    line.push({ name: p.name, value: p.value });
    used += w;
    placed++;
  }
  if (line.length > 0 && out.length < lines) out.push(line);
  else if (line.length > 0) placed -= line.length;
  return { lines: out, rest: params.length - placed };
}

/** The card of one node, with every size and handle position. */
export function cardModel(node: GraphNode, parentId: string | null): CardModel {
  const all = paramEntries(node);
  const packed = packParams(
    all.map((p) => ({ ...p, text: formatParam(p.value) })),
    CARD.width - 40,
    CARD.paramLines,
  );
  const paramsTop = CARD.header + CARD.sub + 4;
  const paramsHeight = packed.lines.length === 0 ? 0 : packed.lines.length * CARD.param + 4;
  const rowsTop = paramsTop + paramsHeight;
  const rowY = (i: number) => rowsTop + i * CARD.row + CARD.row / 2;
  const inputs: PortView[] = node.inputs.map((p, i) => ({ handle: `in:${p.port}`, port: p.port, label: p.port, type: p.type, many: p.many, optional: p.optional, y: rowY(i) }));
  const outputs: PortView[] = node.outputs.map((p, i) => ({ handle: `out:${p.port}`, port: p.port, label: p.port, type: p.type, many: false, optional: false, y: rowY(i) }));
  const rows = Math.max(inputs.length, outputs.length, 1);
  const mainSeries = mainSeriesPort(node);
  const gate = isGateNode(node);
  const sparkTop = rowsTop + rows * CARD.row + 4;
  const reasonTop = sparkTop + (mainSeries !== null ? CARD.spark : 0);
  const height = reasonTop + (gate ? CARD.reason : 0) + CARD.bottom;
  const slash = node.id.lastIndexOf('/');
  return {
    kind: 'card',
    id: node.id,
    parentId,
    width: CARD.width,
    height,
    node,
    localId: slash >= 0 ? node.id.slice(slash + 1) : node.id,
    color: categoryColor(node.category),
    paramLines: packed.lines,
    moreParams: packed.rest,
    inputs,
    outputs,
    mainSeries,
    gate,
    paramsTop,
    rowsTop,
    sparkTop,
    reasonTop,
  };
}

/** Which instances a pipeline opens with collapsed: big graphs start as an overview of their instances. */
export function defaultCollapsed(detail: Pick<PipelineDetail, 'nodes' | 'groups'>, maxOpenNodes = 60): string[] {
  if (detail.nodes.length <= maxOpenNodes) return [];
  return detail.groups.filter((g) => g.parent === null).map((g) => g.id);
}

/** The instances that must be expanded for `nodeId` to be visible (outermost first). */
export function instancesToExpand(detail: Pick<PipelineDetail, 'nodes' | 'groups'>, nodeId: string): string[] {
  const groups = new Map(detail.groups.map((g) => [g.id, g]));
  const node = detail.nodes.find((n) => n.id === nodeId);
  const start = node !== undefined ? node.group : groups.has(nodeId) ? (groups.get(nodeId)!.parent ?? null) : null;
  return groupChain(groups, start).reverse();
}

/** Maps a compiled pipeline to the nodes and edges the graph view draws. */
export function buildGraphModel(detail: Pick<PipelineDetail, 'nodes' | 'groups'>, collapsed: ReadonlySet<string>, _types?: ReadonlyMap<string, NodeTypeInfo>): GraphModel {
  const groups = new Map(detail.groups.map((g) => [g.id, g]));
  const nodeIndex = new Map(detail.nodes.map((n, i) => [n.id, i]));
  const byId = new Map(detail.nodes.map((n) => [n.id, n]));

  /** For an instance: its box when it or an outer one is collapsed (the outermost wins), else null. */
  const collapsedRoot = (groupId: string | null): string | null => {
    let root: string | null = null;
    for (const g of groupChain(groups, groupId)) if (collapsed.has(g)) root = g;
    return root;
  };
  const shownAs: Record<string, string> = {};
  for (const n of detail.nodes) {
    const root = collapsedRoot(n.group);
    shownAs[n.id] = root === null ? n.id : groupNodeId(root);
  }

  // members of each instance, nested ones included
  const members = new Map<string, string[]>();
  for (const n of detail.nodes) for (const g of groupChain(groups, n.group)) (members.get(g) ?? members.set(g, []).get(g)!).push(n.id);

  const nodes: ModelNode[] = [];
  const emitted = new Set<string>();
  const boxes = new Map<string, BoxModel>();

  const parentFrame = (parent: string | null): string | null => (parent === null ? null : groupNodeId(parent));

  // frames and boxes in declaration order of their first node, so parents come before children
  const emitGroup = (groupId: string) => {
    const rfId = groupNodeId(groupId);
    if (emitted.has(rfId)) return;
    const group = groups.get(groupId)!;
    if (group.parent !== null) emitGroup(group.parent);
    const root = collapsedRoot(groupId);
    if (root !== null && root !== groupId) return; // inside a collapsed box
    emitted.add(rfId);
    const ids = members.get(groupId) ?? [];
    if (root === groupId) {
      const box: BoxModel = {
        kind: 'box',
        id: rfId,
        parentId: parentFrame(group.parent),
        width: BOX.width,
        height: 0,
        groupId,
        group,
        nodeIds: ids,
        gates: ids.filter((id) => isGateNode(byId.get(id)!)),
        inputs: [],
        outputs: [],
        gatesTop: BOX.header,
        rowsTop: 0,
      };
      boxes.set(rfId, box);
      nodes.push(box);
    } else {
      nodes.push({ kind: 'frame', id: rfId, parentId: parentFrame(group.parent), width: 0, height: 0, groupId, group, nodeCount: ids.length });
    }
  };

  for (const n of detail.nodes) {
    if (n.group !== null) emitGroup(n.group);
    if (shownAs[n.id] === n.id) nodes.push(cardModel(n, parentFrame(n.group)));
  }
  for (const g of detail.groups) emitGroup(g.id); // instances without nodes

  // edges, aggregated where an end is a box
  const edges = new Map<string, ModelEdge>();
  const boxIn = new Map<string, Map<string, PortView & { keys: Set<string> }>>();
  const boxOut = new Map<string, Map<string, PortView & { order: number }>>();
  for (const target of detail.nodes) {
    const to = shownAs[target.id]!;
    for (const input of target.inputs) {
      for (const source of input.sources) {
        const from = shownAs[source.node];
        if (from === undefined || from === to) continue;
        const key = `${source.node}.${source.port}`;
        const sourceNode = byId.get(source.node);
        const type = sourceNode?.outputs.find((o) => o.port === source.port)?.type ?? input.type;
        let sourceHandle = `out:${source.port}`;
        let targetHandle = `in:${input.port}`;
        if (boxes.has(from)) {
          sourceHandle = `out:${key}`;
          const outs = boxOut.get(from) ?? boxOut.set(from, new Map()).get(from)!;
          if (!outs.has(key)) {
            const outputIndex = sourceNode?.outputs.findIndex((o) => o.port === source.port) ?? 0;
            const prefix = `${boxes.get(from)!.groupId}/`;
            outs.set(key, { handle: sourceHandle, port: key, label: key.startsWith(prefix) ? key.slice(prefix.length) : key, type, many: false, optional: false, y: 0, node: source.node, nodePort: source.port, order: (nodeIndex.get(source.node) ?? 0) * 1000 + outputIndex });
          }
        }
        if (boxes.has(to)) {
          // one input handle per place the wires come from (a node, or another collapsed instance)
          targetHandle = `in:${from}`;
          const ins = boxIn.get(to) ?? boxIn.set(to, new Map()).get(to)!;
          const entry = ins.get(from);
          if (entry === undefined) ins.set(from, { handle: targetHandle, port: key, label: key, type, many: false, optional: false, y: 0, node: source.node, nodePort: source.port, keys: new Set([key]) });
          else if (!entry.keys.has(key)) {
            entry.keys.add(key);
            if (entry.type !== type) entry.type = 'mixed';
          }
        }
        const id = `${from}|${sourceHandle}->${to}|${targetHandle}`;
        const existing = edges.get(id);
        if (existing !== undefined) existing.count++;
        else edges.set(id, { id, source: from, sourceHandle, target: to, targetHandle, type, color: portColor(type), count: 1 });
      }
    }
  }

  for (const box of boxes.values()) {
    const gateRows = Math.ceil(box.gates.length / BOX.gatesPerRow);
    box.rowsTop = BOX.header + (gateRows > 0 ? gateRows * BOX.gateRow + 8 : 0) + 4;
    const rowY = (i: number) => box.rowsTop + i * BOX.row + BOX.row / 2;
    box.inputs = [...(boxIn.get(box.id)?.values() ?? [])].map(({ keys, ...p }, i) => {
      const from = p.handle.slice(3);
      const name = from.startsWith('group:') ? from.slice(6) : from;
      const label = keys.size === 1 ? p.label : `${name} ×${keys.size}`;
      const many = keys.size > 1;
      return { ...p, label, many, port: [...keys].join(', '), ...(many ? { node: undefined, nodePort: undefined } : {}), y: rowY(i) };
    });
    box.outputs = [...(boxOut.get(box.id)?.values() ?? [])]
      .sort((a, b) => a.order - b.order)
      .map(({ order: _order, ...p }, i) => ({ ...p, y: rowY(i) }));
    box.height = box.rowsTop + Math.max(box.inputs.length, box.outputs.length, 1) * BOX.row + BOX.bottom;
  }

  return { nodes, edges: [...edges.values()], shownAs };
}

import ELK from 'elkjs/lib/elk.bundled.js';
import { describe, expect, it } from 'vitest';
import type { GraphNode, PipelineDetail } from '../../../engine/server/protocol/rest.ts';
import { fixture } from './fixture.ts';
import { fitCost, layoutGraph, layoutKey, LAYERED_OPTIONS, levelGraph, Levels, portKey, type LayoutReport, type Placement } from './layout-input.ts';
import { buildGraphModel, type CardModel, type GraphModel } from './model.ts';

const elk = new ELK();
const run = (graph: Parameters<typeof elk.layout>[0]) => elk.layout(graph);

async function laidOut(model: GraphModel): Promise<{ placed: Map<string, Placement>; report: LayoutReport }> {
  let report: LayoutReport | null = null;
  const placed = await layoutGraph(model, run, (r) => (report = r));
  return { placed, report: report! };
}

/** Absolute rectangle of a node (positions are relative to the parent frame). */
function absolute(model: GraphModel, placed: Map<string, Placement>, id: string): Placement {
  const node = model.nodes.find((n) => n.id === id)!;
  const p = placed.get(id)!;
  const parent = node.parentId === null ? { x: 0, y: 0 } : absolute(model, placed, node.parentId);
  return { x: parent.x + p.x, y: parent.y + p.y, width: node.kind === 'frame' ? p.width : node.width, height: node.kind === 'frame' ? p.height : node.height };
}

const overlap = (a: Placement, b: Placement): boolean => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** A feed, `n` instances of a 12-node sub-graph (a fan of indicators into a score), a decision, an executor. */
function parallel(n: number): PipelineDetail {
  const port = (p: string, type: string) => ({ port: p, type, many: false, optional: false });
  const input = (p: string, type: string, sources: { node: string; port: string }[]) => ({ ...port(p, type), many: sources.length > 1, sources });
  const node = (id: string, group: string | null, inputs: GraphNode['inputs'], outputs: GraphNode['outputs']): GraphNode => ({ id, type: 't', title: id, category: 'indicator', group, params: { period: 14 }, clock: 'base', inputs, outputs, historyDependent: [] });
  const nodes: GraphNode[] = [node('feed', null, [], [port('bar', 'bar')])];
  const groups: PipelineDetail['groups'] = [];
  for (let g = 0; g < n; g++) {
    const id = `tf_${g}`;
    groups.push({ id, subgraph: 'tf', parent: null, params: {} });
    nodes.push(node(`${id}/bars`, id, [input('bar', 'bar', [{ node: 'feed', port: 'bar' }])], [port('close', 'series')]));
    for (let i = 0; i < 10; i++) nodes.push(node(`${id}/ind${i}`, id, [input('source', 'series', [{ node: `${id}/bars`, port: 'close' }])], [port('value', 'series')]));
    nodes.push(node(`${id}/score`, id, [input('parts', 'series', Array.from({ length: 10 }, (_, i) => ({ node: `${id}/ind${i}`, port: 'value' })))], [port('total', 'series')]));
  }
  nodes.push(node('decision', null, [input('scores', 'series', groups.map((g) => ({ node: `${g.id}/score`, port: 'total' })))], [port('intent', 'intent')]));
  nodes.push(node('executor', null, [input('intent', 'intent', [{ node: 'decision', port: 'intent' }])], [port('done', 'bool')]));
  return { ...fixture, name: 'parallel', nodes, groups };
}

describe('levelGraph', () => {
  it('lays out one level: its items, the wires between them, frames as blocks', () => {
    const model = buildGraphModel(fixture, new Set(['tf_b']));
    const levels = new Levels(model);
    const layout = new Map<string, Placement>([['group:tf_a', { x: 0, y: 0, width: 900, height: 300 }]]);
    const graph = levelGraph(levels, layout, null, 'RIGHT');
    expect(graph.layoutOptions!['elk.direction']).toBe('RIGHT');
    expect(graph.layoutOptions!['elk.hierarchyHandling']).toBeUndefined();
    expect(graph.children!.map((c) => c.id)).toEqual(['candles', 'group:tf_a', 'group:tf_b', 'threshold', 'entry']);
    const block = graph.children!.find((c) => c.id === 'group:tf_a')!;
    expect(block.children).toBeUndefined();
    expect([block.width, block.height]).toEqual([900, 300]);
    // candles → tf_a/bars ends on the block, at the inner handle's height
    const into = graph.edges!.find((e) => e.targets[0] === `group:tf_a>${portKey('tf_a/bars', 'in:bar')}`)!;
    expect(into.sources).toEqual([portKey('candles', 'out:bar')]);
    const allPorts = new Set(graph.children!.flatMap((c) => (c.ports ?? []).map((p) => p.id)));
    for (const e of graph.edges!) {
      expect(allPorts.has(e.sources[0]!)).toBe(true);
      expect(allPorts.has(e.targets[0]!)).toBe(true);
    }
    // the wires inside tf_a belong to its own level
    const inner = levelGraph(levels, layout, 'group:tf_a', 'RIGHT');
    expect(inner.children!.map((c) => c.id)).toEqual(['tf_a/bars', 'tf_a/rsi', 'tf_a/score']);
    expect(inner.edges).toHaveLength(2);
  });

  it('puts ports where the handles are, inputs west in declared order', () => {
    const model = buildGraphModel(fixture, new Set());
    const graph = levelGraph(new Levels(model), new Map(), null, 'RIGHT');
    const entry = graph.children!.find((c) => c.id === 'entry')!;
    const card = model.nodes.find((n) => n.id === 'entry') as CardModel;
    expect(entry.width).toBe(card.width);
    expect(entry.height).toBe(card.height);
    const score = entry.ports!.find((p) => p.id === portKey('entry', 'in:score'))!;
    expect(score.layoutOptions!['elk.port.side']).toBe('WEST');
    expect(score.layoutOptions!['elk.port.index']).toBe('0');
    expect(score.y! + 4).toBe(card.inputs[0]!.y);
    const intent = entry.ports!.find((p) => p.id === portKey('entry', 'out:intent'))!;
    expect(intent.layoutOptions!['elk.port.side']).toBe('EAST');
    expect(LAYERED_OPTIONS['elk.algorithm']).toBe('layered');
  });
});

describe('layoutGraph', () => {
  it('places every node inside its frame, frames apart from everything else', async () => {
    const model = buildGraphModel(fixture, new Set());
    const { placed } = await laidOut(model);
    for (const n of model.nodes) expect(placed.has(n.id)).toBe(true);
    for (const n of model.nodes) {
      if (n.parentId === null) continue;
      const p = placed.get(n.id)!;
      const frame = placed.get(n.parentId)!;
      expect(p.x).toBeGreaterThanOrEqual(0);
      expect(p.y).toBeGreaterThanOrEqual(0);
      expect(p.x + n.width).toBeLessThanOrEqual(frame.width);
      expect(p.y + n.height).toBeLessThanOrEqual(frame.height);
    }
    const top = model.nodes.filter((n) => n.parentId === null).map((n) => ({ id: n.id, box: absolute(model, placed, n.id) }));
    for (const a of top) for (const b of top) if (a.id < b.id) expect(overlap(a.box, b.box), `${a.id} overlaps ${b.id}`).toBe(false);
  });

  it('keeps a graph without instances left to right, as before', async () => {
    const model = buildGraphModel({ ...fixture, nodes: fixture.nodes.filter((n) => n.group === null).map((n) => ({ ...n, inputs: n.inputs.map((i) => ({ ...i, sources: i.sources.filter((s) => !s.node.includes('/')) })) })), groups: [] }, new Set());
    const { report } = await laidOut(model);
    expect(report.direction).toBe('RIGHT');
    expect(report.runs).toBe(1);
  });

  it('sets parallel instances side by side, in declared order, fitting a 16:9 view', async () => {
    const detail = parallel(5);
    const model = buildGraphModel(detail, new Set());
    const { placed, report } = await laidOut(model);
    expect(report.direction).toBe('DOWN');
    const frames = detail.groups.map((g) => absolute(model, placed, `group:${g.id}`));
    // one row, left to right as declared, none overlapping
    for (let i = 1; i < frames.length; i++) {
      expect(frames[i]!.y).toBe(frames[0]!.y);
      expect(frames[i]!.x).toBeGreaterThanOrEqual(frames[i - 1]!.x + frames[i - 1]!.width);
    }
    // identical interiors: laid out once, the same inside every instance
    const inner = (g: string, id: string) => placed.get(`${g}/${id}`)!;
    for (const g of detail.groups.slice(1)) expect(inner(g.id, 'ind3')).toEqual(inner('tf_0', 'ind3'));
    expect(report.runs).toBeLessThanOrEqual(3);
    // far flatter than the column of instances a one-pass layout gives
    expect(report.width / report.height).toBeGreaterThan(1);
    expect(fitCost(report.width, report.height)).toBeLessThan(fitCost(frames[0]!.width, frames[0]!.height * 5));
  });

  it('lays out collapsed instances as boxes in one pass', async () => {
    const detail = parallel(5);
    const model = buildGraphModel(detail, new Set(detail.groups.map((g) => g.id)));
    const { placed, report } = await laidOut(model);
    expect(report.direction).toBe('RIGHT');
    expect(report.runs).toBe(1);
    expect(placed.size).toBe(model.nodes.length);
  });
});

describe('layoutKey', () => {
  const withParam = (id: string, params: Record<string, unknown>): PipelineDetail => ({ ...fixture, nodes: fixture.nodes.map((n) => (n.id === id ? { ...n, params } : n)) });

  it('ignores what does not move anything: a param saved with a new value', () => {
    const before = buildGraphModel(fixture, new Set());
    const after = buildGraphModel(withParam('tf_a/rsi', { period: 26 }), new Set());
    expect(layoutKey(after)).toBe(layoutKey(before));
    // the cards themselves do carry the new value (the layout cache holds positions only)
    expect((after.nodes.find((n) => n.id === 'tf_a/rsi') as CardModel).paramLines[0]![0]!.value).toBe(26);
  });

  it('changes with the sizes, the wiring and what is collapsed', () => {
    const base = layoutKey(buildGraphModel(fixture, new Set()));
    const many = { a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8, i: 9, j: 10, k: 11, l: 12 };
    expect(layoutKey(buildGraphModel(withParam('tf_a/rsi', many), new Set()))).not.toBe(base);
    expect(layoutKey(buildGraphModel(fixture, new Set(['tf_a'])))).not.toBe(base);
    const rewired = { ...fixture, nodes: fixture.nodes.map((n) => (n.id === 'threshold' ? { ...n, inputs: [{ ...n.inputs[0]!, sources: [{ node: 'tf_b/score', port: 'value' }] }] } : n)) };
    expect(layoutKey(buildGraphModel(rewired, new Set()))).not.toBe(base);
  });
});

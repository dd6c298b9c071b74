import { describe, expect, it } from 'vitest';
import { fixture } from './fixture.ts';
import { elkGraph, placements, portKey } from './layout-input.ts';
import { buildGraphModel, type CardModel } from './model.ts';

describe('elkGraph', () => {
  it('nests cards in their instance and wires ports', () => {
    const model = buildGraphModel(fixture, new Set(['tf_b']));
    const graph = elkGraph(model);
    expect(graph.layoutOptions!['elk.direction']).toBe('RIGHT');
    expect(graph.layoutOptions!['elk.hierarchyHandling']).toBe('INCLUDE_CHILDREN');
    const top = graph.children!.map((c) => c.id);
    expect(top).toEqual(['candles', 'group:tf_a', 'group:tf_b', 'threshold', 'entry']);
    const frame = graph.children!.find((c) => c.id === 'group:tf_a')!;
    expect(frame.children!.map((c) => c.id)).toEqual(['tf_a/bars', 'tf_a/rsi', 'tf_a/score']);
    expect(graph.edges).toHaveLength(model.edges.length);
    const allPorts = new Set<string>();
    const walk = (n: typeof graph) => {
      for (const p of n.ports ?? []) allPorts.add(p.id);
      for (const c of n.children ?? []) walk(c);
    };
    walk(graph);
    for (const e of graph.edges!) {
      expect(allPorts.has(e.sources[0]!)).toBe(true);
      expect(allPorts.has(e.targets[0]!)).toBe(true);
    }
  });

  it('puts ports where the handles are, inputs west in declared order', () => {
    const model = buildGraphModel(fixture, new Set());
    const graph = elkGraph(model);
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
  });
});

describe('placements', () => {
  it('reads positions relative to the parent', () => {
    const out = placements({ id: 'root', children: [{ id: 'a', x: 10, y: 20, width: 100, height: 50, children: [{ id: 'b', x: 5, y: 6, width: 7, height: 8 }] }] });
    expect(out.get('a')).toEqual({ x: 10, y: 20, width: 100, height: 50 });
    expect(out.get('b')).toEqual({ x: 5, y: 6, width: 7, height: 8 });
  });
});

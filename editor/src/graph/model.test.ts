import { describe, expect, it } from 'vitest';
import { PORT_TYPE_COLORS, categoryColor, portColor } from './colors.ts';
import { fixture } from './fixture.ts';
import { BOX, CARD, buildGraphModel, cardModel, defaultCollapsed, groupChain, instancesToExpand, mainSeriesPort, packParams, type BoxModel, type CardModel } from './model.ts';

const expanded = buildGraphModel(fixture, new Set());

describe('buildGraphModel, every instance expanded', () => {
  it('has one card per node and one frame per instance', () => {
    expect(expanded.nodes.filter((n) => n.kind === 'card')).toHaveLength(fixture.nodes.length);
    expect(expanded.nodes.filter((n) => n.kind === 'frame').map((n) => n.id)).toEqual(['group:tf_a', 'group:tf_b']);
    expect(expanded.nodes.filter((n) => n.kind === 'box')).toHaveLength(0);
  });

  it('has one edge per wire', () => {
    const wires = fixture.nodes.reduce((sum, n) => sum + n.inputs.reduce((s, i) => s + i.sources.length, 0), 0);
    expect(wires).toBe(10);
    expect(expanded.edges).toHaveLength(wires);
    expect(expanded.edges.every((e) => e.count === 1)).toBe(true);
  });

  it('parents cards to their instance frame, and lists parents first', () => {
    const rsi = expanded.nodes.find((n) => n.id === 'tf_a/rsi')!;
    expect(rsi.parentId).toBe('group:tf_a');
    expect(expanded.nodes.find((n) => n.id === 'candles')!.parentId).toBeNull();
    const order = expanded.nodes.map((n) => n.id);
    for (const n of expanded.nodes) if (n.parentId !== null) expect(order.indexOf(n.parentId)).toBeLessThan(order.indexOf(n.id));
  });

  it('colours edges by the type of the wire', () => {
    const bar = expanded.edges.find((e) => e.source === 'candles' && e.target === 'tf_a/bars')!;
    expect(bar.type).toBe('bar');
    expect(bar.color).toBe(PORT_TYPE_COLORS.bar);
    expect(bar.sourceHandle).toBe('out:bar');
    expect(bar.targetHandle).toBe('in:bar');
    const gate = expanded.edges.find((e) => e.source === 'threshold')!;
    expect(gate.type).toBe('bool');
    expect(gate.color).toBe(portColor('bool'));
  });

  it('maps every node to itself', () => {
    for (const n of fixture.nodes) expect(expanded.shownAs[n.id]).toBe(n.id);
  });
});

describe('buildGraphModel, an instance collapsed', () => {
  const model = buildGraphModel(fixture, new Set(['tf_a']));
  const box = model.nodes.find((n) => n.id === 'group:tf_a') as BoxModel;

  it('replaces the instance by one box holding its nodes', () => {
    expect(box.kind).toBe('box');
    expect(box.nodeIds).toEqual(['tf_a/bars', 'tf_a/rsi', 'tf_a/score']);
    expect(model.nodes.filter((n) => n.kind === 'card')).toHaveLength(fixture.nodes.length - 3);
    expect(model.nodes.some((n) => n.id === 'tf_a/rsi')).toBe(false);
    expect(model.shownAs['tf_a/rsi']).toBe('group:tf_a');
    expect(model.nodes.find((n) => n.id === 'group:tf_b')!.kind).toBe('frame');
  });

  it('aggregates the edges to the box: inside edges disappear, outside ones end on box handles', () => {
    // inside tf_a: bars→rsi, rsi→score vanish; candles→box, box→threshold, box→entry remain
    expect(model.edges).toHaveLength(expanded.edges.length - 2);
    const into = model.edges.filter((e) => e.target === box.id);
    expect(into.map((e) => [e.source, e.targetHandle])).toEqual([['candles', 'in:candles']]);
    const out = model.edges.filter((e) => e.source === box.id);
    expect(out.map((e) => `${e.sourceHandle}->${e.target}`).sort()).toEqual(['out:tf_a/score.value->entry', 'out:tf_a/score.value->threshold']);
    expect(box.inputs.map((p) => p.label)).toEqual(['candles.bar']);
    expect(box.outputs.map((p) => p.label)).toEqual(['score.value']);
    expect(box.outputs[0]!.node).toBe('tf_a/score');
    expect(box.outputs[0]!.nodePort).toBe('value');
  });

  it('merges parallel wires into one edge with a count', () => {
    const both = buildGraphModel(fixture, new Set(['tf_a', 'tf_b']));
    // both boxes read candles.bar once each; the entry reads tf_b through its gates list
    expect(both.edges.filter((e) => e.source === 'candles')).toHaveLength(2);
    const merged = buildGraphModel(
      { ...fixture, nodes: fixture.nodes.map((n) => (n.id === 'tf_a/rsi' ? { ...n, inputs: [{ ...n.inputs[0]!, sources: [{ node: 'candles', port: 'bar' }] }] } : n)) },
      new Set(['tf_a']),
    );
    const candlesToBox = merged.edges.filter((e) => e.source === 'candles' && e.target === 'group:tf_a');
    expect(candlesToBox).toHaveLength(1);
    expect(candlesToBox[0]!.count).toBe(2);
  });

  it('gives a box one input handle per place its wires come from', () => {
    const both = buildGraphModel(
      { ...fixture, nodes: fixture.nodes.map((n) => (n.id === 'tf_a/rsi' ? { ...n, inputs: [{ ...n.inputs[0]!, sources: [{ node: 'candles', port: 'close' }] }] } : n)) },
      new Set(['tf_a']),
    );
    const box = both.nodes.find((n) => n.id === 'group:tf_a') as BoxModel;
    expect(box.inputs).toHaveLength(1);
    expect(box.inputs[0]!.label).toBe('candles ×2');
    expect(box.inputs[0]!.type).toBe('mixed');
    // two wires of different ports stay two edges (each coloured by its type) into the one handle
    const into = both.edges.filter((e) => e.target === box.id);
    expect(into.map((e) => e.type).sort()).toEqual(['bar', 'series']);
    expect(new Set(into.map((e) => e.targetHandle))).toEqual(new Set(['in:candles']));
  });

  it('sizes the box from its handles', () => {
    expect(box.width).toBe(BOX.width);
    expect(box.height).toBe(box.rowsTop + 1 * BOX.row + BOX.bottom);
    expect(box.inputs[0]!.y).toBe(box.rowsTop + BOX.row / 2);
  });

  it('counts the gates inside a box', () => {
    const nested = { ...fixture, groups: [...fixture.groups, { id: 'dec', subgraph: 'd', parent: null, params: {} }], nodes: fixture.nodes.map((n) => (n.id === 'threshold' ? { ...n, group: 'dec' } : n)) };
    const m = buildGraphModel(nested, new Set(['dec']));
    expect((m.nodes.find((n) => n.id === 'group:dec') as BoxModel).gates).toEqual(['threshold']);
  });
});

describe('nested instances', () => {
  const nested = {
    ...fixture,
    groups: [{ id: 'outer', subgraph: 'o', parent: null, params: {} }, { ...fixture.groups[0]!, parent: 'outer' }, fixture.groups[1]!],
  };

  it('nests frames, and a collapsed outer instance swallows the inner one', () => {
    const open = buildGraphModel(nested, new Set());
    expect(open.nodes.find((n) => n.id === 'group:tf_a')!.parentId).toBe('group:outer');
    const closed = buildGraphModel(nested, new Set(['outer']));
    expect(closed.nodes.some((n) => n.id === 'group:tf_a')).toBe(false);
    expect(closed.shownAs['tf_a/rsi']).toBe('group:outer');
    expect(instancesToExpand(nested, 'tf_a/rsi')).toEqual(['outer', 'tf_a']);
    expect(groupChain(new Map(nested.groups.map((g) => [g.id, g])), 'tf_a')).toEqual(['tf_a', 'outer']);
  });
});

describe('cards', () => {
  const card = expanded.nodes.find((n) => n.id === 'tf_a/score') as CardModel;

  it('show the first few params, packed into two lines, and count the rest', () => {
    expect(card.paramLines.map((l) => l.map((p) => p.name))).toEqual([['a', 'b', 'c', 'd']]);
    expect(card.moreParams).toBe(0);
    expect(card.localId).toBe('score');
    const many = { name: '', text: '' };
    const params = ['stochRsiRsiPeriod', 'stochRsiStochPeriod', 'williamsOversold', 'williamsOverbought', 'macdEnabled'].map((name) => ({ ...many, name, value: 14, text: '14' }));
    const packed = packParams(params, 196, 2);
    expect(packed.lines).toHaveLength(2);
    expect(packed.lines.flat().map((p) => p.name)).toEqual(params.slice(0, packed.lines.flat().length).map((p) => p.name));
    expect(packed.rest).toBe(params.length - packed.lines.flat().length);
    expect(packed.rest).toBeGreaterThan(0);
    const tall = cardModel({ ...fixture.nodes[2]!, params: Object.fromEntries(params.map((p) => [p.name, 14])) }, null);
    expect(tall.rowsTop - tall.paramsTop).toBe(2 * CARD.param + 4);
  });

  it('put handles on rows in declared order, and size the card to fit', () => {
    const feed = cardModel(fixture.nodes[0]!, null);
    expect(feed.outputs.map((o) => o.handle)).toEqual(['out:close', 'out:bar', 'out:gap']);
    expect(feed.outputs[1]!.y - feed.outputs[0]!.y).toBe(CARD.row);
    expect(feed.height).toBe(feed.sparkTop + CARD.spark + CARD.bottom);
    const gate = expanded.nodes.find((n) => n.id === 'threshold') as CardModel;
    expect(gate.gate).toBe(true);
    expect(gate.mainSeries).toBeNull();
    expect(gate.height).toBe(gate.reasonTop + CARD.reason + CARD.bottom);
  });

  it('colour by category', () => {
    expect(card.color).toBe(categoryColor('signal'));
    expect(categoryColor('nope')).toMatch(/^#/);
  });

  it('pick the main series', () => {
    expect(mainSeriesPort(fixture.nodes[0]!)).toBe('close');
    expect(mainSeriesPort(fixture.nodes.find((n) => n.id === 'entry')!)).toBeNull();
  });
});

describe('defaultCollapsed', () => {
  it('keeps small pipelines open and collapses the instances of big ones', () => {
    expect(defaultCollapsed(fixture)).toEqual([]);
    expect(defaultCollapsed(fixture, 5)).toEqual(['tf_a', 'tf_b']);
  });
});

import type { GraphNode, PipelineDetail } from '../../../engine/server/protocol/rest.ts';

/** A small compiled pipeline for tests: a feed, two instances of a 3-node sub-graph, a gate, an entry. */
type Input = GraphNode['inputs'][number];
type Output = GraphNode['outputs'][number];
function port(p: string, type: string): Output;
function port(p: string, type: string, sources: { node: string; port: string }[], many?: boolean): Input;
function port(p: string, type: string, sources?: { node: string; port: string }[], many = false): Input | Output {
  return sources === undefined ? { port: p, type, many: false, optional: false } : { port: p, type, many, optional: false, sources };
}

function node(id: string, type: string, category: string, group: string | null, inputs: GraphNode['inputs'], outputs: GraphNode['outputs'], params: Record<string, unknown> = {}): GraphNode {
  return { id, type, title: type, category, group, params, clock: 'base', inputs, outputs, historyDependent: [] };
}

function instance(g: string): GraphNode[] {
  return [
    node(`${g}/bars`, 'transform.resample', 'transform', g, [port('bar', 'bar', [{ node: 'candles', port: 'bar' }])], [port('close', 'series'), port('bar', 'bar')], { timeframe: '1h' }),
    node(`${g}/rsi`, 'indicator.rsi', 'indicator', g, [port('source', 'series', [{ node: `${g}/bars`, port: 'close' }])], [port('value', 'series')], { period: 14 }),
    node(`${g}/score`, 'signal.scale', 'signal', g, [port('source', 'series', [{ node: `${g}/rsi`, port: 'value' }])], [port('value', 'series')], { a: 1, b: 2, c: 3, d: 4 }),
  ];
}

export const fixture: PipelineDetail = {
  name: 'fixture',
  kind: 'example',
  locked: false,
  hash: 'abc',
  problems: [],
  yaml: 'pipeline: fixture\n',
  lock: { locked: false, ok: true, problems: [], lockHash: null },
  groups: [
    { id: 'tf_a', subgraph: 'tf', parent: null, params: { timeframe: '1h' } },
    { id: 'tf_b', subgraph: 'tf', parent: null, params: { timeframe: '4h' } },
  ],
  nodes: [
    node('candles', 'feed.replay', 'feed', null, [], [port('close', 'series'), port('bar', 'bar'), port('gap', 'bool')], { file: '../../data/x.csv.gz', symbol: 'ETHUSDTM' }),
    ...instance('tf_a'),
    ...instance('tf_b'),
    node('threshold', 'enygma.threshold-gate', 'gate', null, [port('total', 'series', [{ node: 'tf_a/score', port: 'value' }])], [port('pass', 'bool'), port('reason', 'text')]),
    node(
      'entry',
      'signal.entry',
      'signal',
      null,
      [
        port('score', 'series', [{ node: 'tf_a/score', port: 'value' }]),
        port('gates', 'bool', [{ node: 'threshold', port: 'pass' }, { node: 'tf_b/rsi', port: 'value' }], true),
      ],
      [port('intent', 'intent'), port('blockedBy', 'text')],
    ),
  ],
};

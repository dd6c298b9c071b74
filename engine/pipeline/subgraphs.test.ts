import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BarflowError, BarflowErrors } from '../core/errors.ts';
import { createRegistry, defineNode } from '../core/node-definition.ts';
import { replayFeed } from '../../nodes/feeds/replay/replay.node.ts';
import { sma } from '../../nodes/indicators/sma/sma.node.ts';
import { resample } from '../../nodes/transforms/resample/resample.node.ts';
import { compilePipelineText } from './compile.ts';
import type { CompiledPipeline } from './plan.ts';

/** two synchronous series inputs (stands in for a spread / score node) */
const add = defineNode({
  type: 'test.add',
  version: 1,
  title: 'Add',
  category: 'transform',
  summary: 'a + b',
  params: z.object({ weight: z.number().default(1) }),
  inputs: { a: { type: 'series' }, b: { type: 'series' } },
  outputs: { value: { type: 'series' } },
  syncInputs: true,
  warmup: () => 0,
  init: () => ({}),
  step(_s: object, i: { a: number; b: number }, o: { value: number }, p) {
    o.value = (i.a + i.b) * p.weight;
    return true;
  },
});

/** a `many` input, to combine one output per instance */
const sum = defineNode({
  type: 'test.sum',
  version: 1,
  title: 'Sum',
  category: 'scorer',
  summary: 'sum of xs',
  params: z.object({}),
  inputs: { xs: { type: 'series', many: true } },
  outputs: { value: { type: 'series' } },
  warmup: () => 0,
  init: () => ({}),
  step(_s: object, i: { xs: number[] }, o: { value: number }) {
    o.value = i.xs.reduce((acc, x) => acc + x, 0);
    return true;
  },
});

const registry = createRegistry([replayFeed, resample, sma, add, sum]);
const FILE = 'strategies/enygma.yaml';
const doc = (...lines: string[]) => lines.join('\n') + '\n';

/** `file:line:column` of the first occurrence of `needle` in `text` (after `after`, when given) */
function where(text: string, needle: string, after = ''): string {
  const offset = text.indexOf(needle, after ? text.indexOf(after) : 0);
  if (offset < 0) throw new Error(`${needle} not in the document`);
  const before = text.slice(0, offset).split('\n');
  return `${FILE}:${before.length}:${before[before.length - 1]!.length + 1}`;
}

function rejection(text: string): string[] {
  try {
    compilePipelineText(text, FILE, registry);
  } catch (error) {
    if (error instanceof BarflowErrors) return error.errors.map((e) => e.format());
    if (error instanceof BarflowError) return [error.format()];
    throw error;
  }
  throw new Error('expected the pipeline to be rejected, it compiled');
}

const wiring = (plan: CompiledPipeline, id: string) =>
  Object.fromEntries(plan.byId.get(id)!.inputs.map((input) => [input.port, input.sources.map((s) => `${plan.nodes[s.node]!.id}.${s.port}`)]));

/** ENYGMA's shape: one indicator set per timeframe, instantiated five times. */
const TEMPLATE = [
  'pipeline: enygma', //                                                          1
  'subgraphs:', //                                                                2
  '  tf_set:', //                                                                 3
  '    description: one indicator set on one timeframe', //                       4
  '    params: { timeframe: null, fast: 5, slow: 20 }', //                        5
  '    inputs: { bar: bar }', //                                                  6
  '    outputs: { fast: rsi.value, spread: spread.value }', //                    7
  '    nodes:', //                                                                8
  '      bars: { type: transform.resample, params: { timeframe: $timeframe }, in: { bar: $in.bar } }', // 9
  '      rsi: { type: indicator.sma, params: { period: $fast }, in: { source: bars.close } }', //         10
  '      slow: { type: indicator.sma, params: { period: $slow }, in: { source: bars.close } }', //        11
  '      spread: { type: test.add, in: { a: rsi.value, b: slow.value } }', //     12
  'nodes:', //                                                                    13
  '  feed: { type: feed.replay, params: { file: candles.csv } }', //              14
];
const INSTANCES = [
  '  tf_15m: { use: tf_set, params: { timeframe: 15m }, in: { bar: feed.bar } }', //                  15
  '  tf_30m: { use: tf_set, params: { timeframe: 30min, fast: 7 }, in: { bar: feed.bar } }', //        16
  '  tf_1h: { use: tf_set, params: { timeframe: 1h, fast: 9 }, in: { bar: feed.bar } }', //            17
  '  tf_2h: { use: tf_set, params: { timeframe: 2h, slow: 30 }, in: { bar: feed.bar } }', //           18
  '  tf_4h: { use: tf_set, params: { timeframe: 4h, fast: 3, slow: 50 }, in: { bar: feed.bar } }', //  19
];
const COMBINE = '  score: { type: test.sum, in: { xs: [tf_15m.spread, tf_30m.spread, tf_1h.spread, tf_2h.spread, tf_4h.spread] } }'; // 20
const ENYGMA = doc(...TEMPLATE, ...INSTANCES, COMBINE);

describe('sub-graph expansion', () => {
  const plan = compilePipelineText(ENYGMA, FILE, registry);

  it('expands a template instantiated five times into prefixed node ids', () => {
    expect(plan.nodes.map((n) => n.id)).toEqual([
      'feed',
      ...['tf_15m', 'tf_30m', 'tf_1h', 'tf_2h', 'tf_4h'].flatMap((tf) => [`${tf}/bars`, `${tf}/rsi`, `${tf}/slow`, `${tf}/spread`]),
      'score',
    ]);
  });

  it('substitutes each instance\'s $params and falls back to the template defaults', () => {
    const params = (id: string) => plan.byId.get(id)!.params;
    expect(['tf_15m', 'tf_30m', 'tf_1h', 'tf_2h', 'tf_4h'].map((tf) => [params(`${tf}/bars`), params(`${tf}/rsi`), params(`${tf}/slow`)])).toEqual([
      [{ timeframe: '15m' }, { period: 5 }, { period: 20 }],
      [{ timeframe: '30min' }, { period: 7 }, { period: 20 }],
      [{ timeframe: '1h' }, { period: 9 }, { period: 20 }],
      [{ timeframe: '2h' }, { period: 5 }, { period: 30 }],
      [{ timeframe: '4h' }, { period: 3 }, { period: 50 }],
    ]);
  });

  it('puts each instance on its own clock', () => {
    expect(['tf_15m', 'tf_30m', 'tf_1h', 'tf_2h', 'tf_4h'].map((tf) => plan.byId.get(`${tf}/spread`)!.clock.label)).toEqual(['15m', '30m', '1h', '2h', '4h']);
  });

  it('wires $in.bar to what the instance was given and keeps inner references inside the instance', () => {
    expect(wiring(plan, 'tf_30m/bars')).toEqual({ bar: ['feed.bar'] });
    expect(wiring(plan, 'tf_30m/rsi')).toEqual({ source: ['tf_30m/bars.close'] });
    expect(wiring(plan, 'tf_30m/spread')).toEqual({ a: ['tf_30m/rsi.value'], b: ['tf_30m/slow.value'] });
  });

  it('exposes declared outputs as instance.output', () => {
    expect(wiring(plan, 'score')).toEqual({
      xs: ['tf_15m/spread.value', 'tf_30m/spread.value', 'tf_1h/spread.value', 'tf_2h/spread.value', 'tf_4h/spread.value'],
    });
  });

  it('records each instance as a group with its resolved params, and tags its nodes', () => {
    expect(plan.groups).toEqual([
      { id: 'tf_15m', subgraph: 'tf_set', parent: null, params: { timeframe: '15m', fast: 5, slow: 20 }, label: undefined },
      { id: 'tf_30m', subgraph: 'tf_set', parent: null, params: { timeframe: '30min', fast: 7, slow: 20 }, label: undefined },
      { id: 'tf_1h', subgraph: 'tf_set', parent: null, params: { timeframe: '1h', fast: 9, slow: 20 }, label: undefined },
      { id: 'tf_2h', subgraph: 'tf_set', parent: null, params: { timeframe: '2h', fast: 5, slow: 30 }, label: undefined },
      { id: 'tf_4h', subgraph: 'tf_set', parent: null, params: { timeframe: '4h', fast: 3, slow: 50 }, label: undefined },
    ]);
    expect(plan.byId.get('tf_2h/slow')!.group).toBe('tf_2h');
    expect(plan.byId.get('score')!.group).toBeNull();
  });

  it('nests sub-graphs: ids get one prefix per level and params and outputs pass through both', () => {
    const text = doc(
      'pipeline: nested',
      'subgraphs:',
      '  smooth:',
      '    params: { period: null }',
      '    inputs: { x: series }',
      '    outputs: { avg: s.value }',
      '    nodes:',
      '      s: { type: indicator.sma, params: { period: $period }, in: { source: $in.x } }',
      '  double:',
      '    params: { first: 3 }',
      '    inputs: { src: series }',
      '    outputs: { out: second.avg }',
      '    nodes:',
      '      first: { use: smooth, params: { period: $first }, in: { x: $in.src } }',
      '      second: { use: smooth, params: { period: 2 }, in: { x: first.avg } }',
      'nodes:',
      '  feed: { type: feed.replay, params: { file: candles.csv } }',
      '  d: { use: double, params: { first: 4 }, in: { src: feed.close } }',
      '  after: { type: indicator.sma, params: { period: 6 }, in: { source: d.out } }',
    );
    const nested = compilePipelineText(text, FILE, registry);
    expect(nested.nodes.map((n) => [n.id, n.params])).toEqual([
      ['feed', { file: 'candles.csv', symbol: 'ETHUSDTM' }],
      ['d/first/s', { period: 4 }],
      ['d/second/s', { period: 2 }],
      ['after', { period: 6 }],
    ]);
    expect(wiring(nested, 'd/first/s')).toEqual({ source: ['feed.close'] });
    expect(wiring(nested, 'd/second/s')).toEqual({ source: ['d/first/s.value'] });
    expect(wiring(nested, 'after')).toEqual({ source: ['d/second/s.value'] });
    expect(nested.groups.map((g) => [g.id, g.parent])).toEqual([
      ['d', null],
      ['d/first', 'd'],
      ['d/second', 'd'],
    ]);
    expect(nested.byId.get('d/second/s')!.group).toBe('d/second');
  });

  it('passes a list given to a sub-graph input on to a many port inside it', () => {
    const text = doc(
      'pipeline: lists',
      'subgraphs:',
      '  total:',
      '    inputs: { parts: series }',
      '    outputs: { value: s.value }',
      '    nodes:',
      '      s: { type: test.sum, in: { xs: $in.parts } }',
      'nodes:',
      '  feed: { type: feed.replay, params: { file: candles.csv } }',
      '  t: { use: total, in: { parts: [feed.open, feed.close] } }',
    );
    expect(wiring(compilePipelineText(text, FILE, registry), 't/s')).toEqual({ xs: ['feed.open', 'feed.close'] });
  });

  it('reads $$ as a literal dollar rather than a param', () => {
    const text = doc('pipeline: dollars', 'nodes:', '  feed: { type: feed.replay, params: { file: $$HOME.csv } }');
    expect(compilePipelineText(text, FILE, registry).byId.get('feed')!.params).toMatchObject({ file: '$HOME.csv' });
  });
});

describe('sub-graph errors', () => {
  const withInstance = (instance: string, ...extra: string[]) => doc(...TEMPLATE, instance, ...extra);

  it('rejects an unknown subgraph with a "did you mean" hint', () => {
    const text = withInstance('  tf_15m: { use: tf_sets, params: { timeframe: 15m }, in: { bar: feed.bar } }');
    expect(rejection(text)).toEqual([
      `${where(text, 'tf_sets')}: node "tf_15m": unknown subgraph "tf_sets" (did you mean "tf_set"?) [subgraph.unknown]`,
    ]);
  });

  it('rejects an unknown subgraph param at its key, with a hint', () => {
    const text = withInstance('  tf_15m: { use: tf_set, params: { timeframe: 15m, fsat: 3 }, in: { bar: feed.bar } }');
    expect(rejection(text)).toEqual([
      `${where(text, 'fsat')}: node "tf_15m" param "fsat": subgraph "tf_set" has no param "fsat" (did you mean "fast"?) [subgraph.unknown-param]`,
    ]);
  });

  it('does not mistake an Object.prototype member for a subgraph param', () => {
    const text = withInstance('  tf_15m: { use: tf_set, params: { timeframe: 15m, constructor: 3 }, in: { bar: feed.bar } }');
    expect(rejection(text)).toEqual([
      `${where(text, 'constructor')}: node "tf_15m" param "constructor": subgraph "tf_set" has no param "constructor" [subgraph.unknown-param]`,
    ]);
  });

  it('rejects an instance missing a required subgraph param, naming the instance and the param', () => {
    const text = withInstance('  tf_15m: { use: tf_set, in: { bar: feed.bar } }');
    expect(rejection(text)[0]).toBe(`${where(text, '{ use: tf_set')}: node "tf_15m" param "timeframe": subgraph "tf_set" needs param "timeframe" [subgraph.missing-param]`);
  });

  it('rejects an unwired subgraph input, naming the instance and the input', () => {
    const text = withInstance('  tf_15m: { use: tf_set, params: { timeframe: 15m } }');
    expect(rejection(text)[0]).toBe(`${where(text, '{ use: tf_set')}: node "tf_15m" port "bar": subgraph input "bar" is not wired [subgraph.unwired-input]`);
  });

  it('rejects wiring an input the subgraph does not declare, with a hint', () => {
    const text = withInstance('  tf_15m: { use: tf_set, params: { timeframe: 15m }, in: { bar: feed.bar, bars: feed.bar } }');
    expect(rejection(text)).toEqual([
      `${where(text, 'bars:', 'tf_15m')}: node "tf_15m" port "bars": subgraph "tf_set" has no input "bars" (did you mean "bar"?) [subgraph.unknown-input]`,
    ]);
  });

  it('rejects a reference to an output the instance does not declare, listing the declared ones', () => {
    const text = doc(...TEMPLATE, INSTANCES[0]!, '  after: { type: indicator.sma, in: { source: tf_15m.slow } }');
    expect(rejection(text)).toEqual([
      `${where(text, 'tf_15m.slow')}: node "after" port "source": "tf_15m.slow": subgraph instance "tf_15m" has no output "slow"; outputs: fast, spread [input.unknown-port]`,
    ]);
  });

  it('hints the closest declared output of an instance', () => {
    const text = doc(...TEMPLATE, INSTANCES[0]!, '  after: { type: indicator.sma, in: { source: tf_15m.spred } }');
    expect(rejection(text)).toEqual([
      `${where(text, 'tf_15m.spred')}: node "after" port "source": "tf_15m.spred": subgraph instance "tf_15m" has no output "spred" (did you mean "spread"?); outputs: fast, spread [input.unknown-port]`,
    ]);
  });

  it('rejects an unknown $param inside a template, once per instance, with a hint', () => {
    const text = doc(...TEMPLATE.map((l) => l.replace('period: $fast', 'period: $fats')), ...INSTANCES.slice(0, 2));
    const errors = rejection(text).filter((m) => m.includes('[subgraph.unknown-param-ref]'));
    expect(errors).toEqual([
      `${where(text, '$fats')}: node "tf_15m/rsi" param "period": "$fats" names no param of subgraph "tf_set" (did you mean "$fast"?) [subgraph.unknown-param-ref]`,
      `${where(text, '$fats')}: node "tf_30m/rsi" param "period": "$fats" names no param of subgraph "tf_set" (did you mean "$fast"?) [subgraph.unknown-param-ref]`,
    ]);
  });

  it('rejects a $param that names an Object.prototype member', () => {
    const text = doc(...TEMPLATE.map((l) => l.replace('period: $fast', 'period: $toString')), INSTANCES[0]!);
    expect(rejection(text)).toContain(`${where(text, '$toString')}: node "tf_15m/rsi" param "period": "$toString" names no param of subgraph "tf_set" [subgraph.unknown-param-ref]`);
  });

  it('rejects a $param outside any subgraph', () => {
    const text = doc('pipeline: top', 'nodes:', '  feed: { type: feed.replay, params: { file: $file } }');
    expect(rejection(text)[0]).toBe(
      `${where(text, '$file')}: node "feed" param "file": "$file" names no param of the top level (no subgraph params here) [subgraph.unknown-param-ref]`,
    );
  });

  it('rejects a $in reference to an input the subgraph does not declare', () => {
    const text = doc(...TEMPLATE.map((l) => l.replace('bar: $in.bar', 'bar: $in.candles')), INSTANCES[0]!);
    expect(rejection(text)).toContain(`${where(text, '$in.candles')}: node "tf_15m/bars" port "bar": "$in.candles" names no input of the enclosing subgraph [subgraph.unknown-input-ref]`);
  });

  it('rejects $in.constructor as an unknown input instead of crashing', () => {
    const text = doc('pipeline: top', 'nodes:', '  feed: { type: feed.replay, params: { file: a.csv } }', '  s: { type: indicator.sma, in: { source: $in.constructor } }');
    expect(rejection(text)).toEqual([
      `${where(text, '$in.constructor')}: node "s" port "source": "$in.constructor" names no input of the enclosing subgraph [subgraph.unknown-input-ref]`,
      `${where(text, 's: { type: indicator.sma')}: node "s" port "source": input "source" (series) is not wired [input.missing]`,
    ]);
  });

  it('rejects a subgraph that instantiates itself', () => {
    const text = doc(
      'pipeline: loop',
      'subgraphs:',
      '  again:',
      '    inputs: { x: series }',
      '    outputs: { y: inner.y }',
      '    nodes:',
      '      inner: { use: again, in: { x: $in.x } }',
      'nodes:',
      '  feed: { type: feed.replay, params: { file: candles.csv } }',
      '  top: { use: again, in: { x: feed.close } }',
    );
    expect(rejection(text)).toEqual([`${where(text, 'again,')}: node "top/inner": subgraph "again" instantiates itself: again → again [subgraph.recursive]`]);
  });

  it('rejects mutually recursive subgraphs, naming the chain', () => {
    const text = doc(
      'pipeline: loop',
      'subgraphs:',
      '  ping:',
      '    inputs: { x: series }',
      '    nodes:',
      '      p: { use: pong, in: { x: $in.x } }',
      '  pong:',
      '    inputs: { x: series }',
      '    nodes:',
      '      q: { use: ping, in: { x: $in.x } }',
      'nodes:',
      '  feed: { type: feed.replay, params: { file: candles.csv } }',
      '  top: { use: ping, in: { x: feed.close } }',
    );
    expect(rejection(text)).toEqual([`${where(text, 'ping,')}: node "top/p/q": subgraph "ping" instantiates itself: ping → pong → ping [subgraph.recursive]`]);
  });

  it('rejects a subgraph output name that no reference could name', () => {
    const text = doc(...TEMPLATE.map((l) => l.replace('outputs: { fast: rsi.value', 'outputs: { fast_line: rsi.value')), INSTANCES[0]!);
    expect(rejection(text)).toEqual([
      `${where(text, 'fast_line')}: port "fast_line": subgraph output name "fast_line" must be camelCase (it is referenced as instance.fast_line) [subgraph.output-name]`,
    ]);
  });
});

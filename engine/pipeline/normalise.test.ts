import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createRegistry, defineNode } from '../core/node-definition.ts';
import { replayFeed } from '../../nodes/feeds/replay/replay.node.ts';
import { sma } from '../../nodes/indicators/sma/sma.node.ts';
import { resample } from '../../nodes/transforms/resample/resample.node.ts';
import { compilePipelineText } from './compile.ts';
import { canonicalJson, normalise, pipelineHash } from './normalise.ts';

const sum = defineNode({
  type: 'test.sum',
  version: 1,
  title: 'Sum',
  category: 'scorer',
  summary: 'sum of xs',
  params: z.object({ scale: z.number().default(1) }),
  inputs: { xs: { type: 'series', many: true } },
  outputs: { value: { type: 'series' } },
  warmup: () => 0,
  init: () => ({}),
  step(_s: object, i: { xs: number[] }, o: { value: number }, p) {
    o.value = i.xs.reduce((acc, x) => acc + x, 0) * p.scale;
    return true;
  },
});

const registry = createRegistry([replayFeed, resample, sma, sum]);
const doc = (...lines: string[]) => lines.join('\n') + '\n';
const hashOf = (text: string, file = 'p.yaml') => pipelineHash(compilePipelineText(text, file, registry));

/** The reference: block style, defaults omitted. */
const REFERENCE = doc(
  'pipeline: trend',
  'description: a fast and a slow average of the 1h close',
  'nodes:',
  '  feed:',
  '    type: feed.replay',
  '    params:',
  '      file: btc.csv.gz',
  '  h1:',
  '    type: transform.resample',
  '    params:',
  '      timeframe: 1h',
  '    in:',
  '      bar: feed.bar',
  '  fast:',
  '    type: indicator.sma',
  '    params:',
  '      period: 9',
  '    in:',
  '      source: h1.close',
  '  slow:',
  '    type: indicator.sma',
  '    in:',
  '      source: h1.close',
  '  total:',
  '    type: test.sum',
  '    in:',
  '      xs: [fast.value, slow.value]',
);

describe('normalisation and the pipeline hash', () => {
  const reference = hashOf(REFERENCE);

  it('is a 64-digit hex sha256', () => {
    expect(reference).toMatch(/^[0-9a-f]{64}$/);
  });

  it('ignores comments, blank lines and layout (flow vs block)', () => {
    const text = doc(
      '# the same strategy, written differently',
      'pipeline: trend',
      '',
      'description: a fast and a slow average of the 1h close',
      'nodes:',
      '  feed: { type: feed.replay, params: { file: btc.csv.gz } }   # the data',
      '  h1: {type: transform.resample, params: {timeframe: 1h}, in: {bar: feed.bar}}',
      '  fast:   { type: indicator.sma, params: { period: 9 }, in: { source: h1.close } }',
      '  slow: { type: indicator.sma, in: { source: h1.close } }',
      '  total:',
      '    type: test.sum',
      '    in:',
      '      xs:',
      '        - fast.value   # first',
      '        - slow.value',
    );
    expect(hashOf(text)).toBe(reference);
  });

  it('ignores the order of nodes, of node keys and of params', () => {
    const text = doc(
      'nodes:',
      '  total: { in: { xs: [fast.value, slow.value] }, type: test.sum }',
      '  slow: { in: { source: h1.close }, type: indicator.sma }',
      '  fast: { in: { source: h1.close }, params: { period: 9 }, type: indicator.sma }',
      '  h1: { in: { bar: feed.bar }, params: { timeframe: 1h }, type: transform.resample }',
      '  feed: { params: { file: btc.csv.gz }, type: feed.replay }',
      'description: a fast and a slow average of the 1h close',
      'pipeline: trend',
    );
    expect(hashOf(text)).toBe(reference);
  });

  it('treats an omitted default and the same default written out alike', () => {
    const explicit = REFERENCE.replace('      file: btc.csv.gz', '      file: btc.csv.gz\n      symbol: ETHUSDTM')
      .replace('    type: indicator.sma\n    in:', '    type: indicator.sma\n    params: { period: 20 }\n    in:')
      .replace('    type: test.sum\n', '    type: test.sum\n    params: { scale: 1 }\n');
    expect(explicit).not.toBe(REFERENCE);
    expect(explicit).toContain('period: 20');
    expect(explicit).toContain('scale: 1');
    expect(hashOf(explicit)).toBe(reference);
  });

  it('treats an explicit version equal to the engine\'s like an omitted one', () => {
    expect(hashOf(REFERENCE.replace('    type: indicator.sma\n    params:\n      period: 9', '    type: indicator.sma\n    version: 1\n    params:\n      period: 9'))).toBe(reference);
  });

  it('does not include the pipeline name, description, lock flag, labels or file name', () => {
    const renamed = REFERENCE.replace('pipeline: trend', 'pipeline: trend-fork-2')
      .replace('description: a fast and a slow average of the 1h close', 'description: something else\nlocked: true')
      .replace('    type: test.sum\n', '    type: test.sum\n    label: Total score\n');
    expect(hashOf(renamed, 'elsewhere/other.yaml')).toBe(reference);
  });

  it('changes when one param changes', () => {
    expect(hashOf(REFERENCE.replace('period: 9', 'period: 10'))).not.toBe(reference);
    expect(hashOf(REFERENCE.replace('timeframe: 1h', 'timeframe: 2h'))).not.toBe(reference);
    expect(hashOf(REFERENCE.replace('file: btc.csv.gz', 'file: eth.csv.gz'))).not.toBe(reference);
  });

  it('changes when wiring changes, including the order of a many input', () => {
    expect(hashOf(REFERENCE.replace('source: h1.close\n  total', 'source: h1.open\n  total'))).not.toBe(reference);
    expect(hashOf(REFERENCE.replace('xs: [fast.value, slow.value]', 'xs: [slow.value, fast.value]'))).not.toBe(reference);
  });

  it('changes when a node is renamed (ids are part of what a strategy means)', () => {
    expect(hashOf(REFERENCE.replace('  slow:', '  slower:').replace('slow.value', 'slower.value'))).not.toBe(reference);
  });

  it('gives the normalised form: nodes keyed and sorted by id, defaults filled, wiring as references', () => {
    const normal = normalise(compilePipelineText(REFERENCE, 'p.yaml', registry));
    expect(Object.keys(normal.nodes)).toEqual(['fast', 'feed', 'h1', 'slow', 'total']);
    expect(normal.nodes['slow']).toEqual({ type: 'indicator.sma', version: 1, params: { period: 20 }, in: { source: 'h1.close' } });
    expect(normal.nodes['total']).toEqual({ type: 'test.sum', version: 1, params: { scale: 1 }, in: { xs: ['fast.value', 'slow.value'] } });
    expect(normal.nodes['feed']!.in).toEqual({});
  });

  it('normalises a sub-graph instance to plain prefixed nodes with its params substituted', () => {
    const viaSubgraph = (period: number) =>
      doc(
        'pipeline: trend',
        'subgraphs:',
        '  avg:',
        '    params: { period: 20 }',
        '    inputs: { x: series }',
        '    outputs: { value: s.value }',
        '    nodes:',
        '      s: { type: indicator.sma, params: { period: $period }, in: { source: $in.x } }',
        'nodes:',
        '  feed: { type: feed.replay, params: { file: btc.csv.gz } }',
        `  a: { use: avg, params: { period: ${period} }, in: { x: feed.close } }`,
      );
    const normal = normalise(compilePipelineText(viaSubgraph(9), 'p.yaml', registry));
    expect(Object.keys(normal.nodes)).toEqual(['a/s', 'feed']);
    expect(normal.nodes['a/s']).toEqual({ type: 'indicator.sma', version: 1, params: { period: 9 }, in: { source: 'feed.close' } });
    // the instance param is part of the hash; the template default written out is not a change
    expect(hashOf(viaSubgraph(9))).not.toBe(hashOf(viaSubgraph(10)));
    const omitted = viaSubgraph(20).replace('params: { period: 20 }, in: { x: feed.close }', 'in: { x: feed.close }');
    expect(omitted).toContain('a: { use: avg, in: { x: feed.close } }');
    expect(hashOf(viaSubgraph(20))).toBe(hashOf(omitted));
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every level and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[{"y":2,"z":1}]},"b":1}');
  });
});

import { describe, expect, it } from 'vitest';
import type { NodeTypeInfo } from '../api/client.ts';
import { cursorContext, hoverAt, outline, suggest } from './yaml-context.ts';

function type(t: string, extra: Partial<NodeTypeInfo>): NodeTypeInfo {
  return { type: t, version: 1, title: t, category: t.split('.')[0]!, summary: `${t} summary`, inputs: {}, outputs: {}, params: [], paramsSchema: { type: 'object', properties: {} }, help: '', ...extra };
}

const TYPES: NodeTypeInfo[] = [
  type('feed.replay', { outputs: { close: { type: 'series' }, bar: { type: 'bar' }, gap: { type: 'bool' } }, params: [{ name: 'file', type: 'string', optional: false, description: 'candle file' }] }),
  type('indicator.rsi', {
    title: 'RSI',
    inputs: { source: { type: 'series', help: 'prices' } },
    outputs: { value: { type: 'series' } },
    params: [{ name: 'period', type: 'integer', default: 14, minimum: 2, maximum: 10000, optional: false, description: "number of moves in Wilder's averages" }],
    paramsSchema: { type: 'object', properties: { period: { type: 'integer', default: 14, minimum: 2, maximum: 10000 } } },
  }),
  type('signal.compare', {
    inputs: { a: { type: 'series' }, b: { type: 'series', optional: true } },
    outputs: { value: { type: 'bool' } },
    params: [
      { name: 'op', type: '">" | "<"', default: '>', enum: ['>', '<'], optional: false, description: 'comparison' },
      { name: 'threshold', type: 'number', default: 0, optional: false, description: 'what a is compared with' },
      { name: 'strict', type: 'boolean', default: false, optional: false },
    ],
    paramsSchema: { type: 'object', properties: { op: { type: 'string', enum: ['>', '<'] }, threshold: { type: 'number', exclusiveMinimum: -1 }, strict: { type: 'boolean' } } },
  }),
  type('signal.all', { inputs: { inputs: { type: 'bool', many: true } }, outputs: { value: { type: 'bool' } } }),
];

/** The text with `|` removed, and the 1-based line/column where it was. */
function at(marked: string): { text: string; line: number; column: number } {
  const index = marked.indexOf('|');
  const before = marked.slice(0, index);
  const line = before.split('\n').length;
  const column = index - before.lastIndexOf('\n');
  return { text: marked.slice(0, index) + marked.slice(index + 1), line, column };
}

function ctx(marked: string) {
  const { text, line, column } = at(marked);
  return cursorContext(text, line, column);
}

function labels(marked: string): string[] {
  const { text, line, column } = at(marked);
  return suggest(text, line, column, TYPES)?.items.map((i) => i.label) ?? [];
}

const DOC = `pipeline: p
subgraphs:
  tf:
    params: { period: 14, level: ~ }
    inputs: { bar: bar, src: series }
    outputs: { value: rsi.value }
    nodes:
      rsi: { type: indicator.rsi, params: { period: $period }, in: { source: $in.src } }
nodes:
  candles:
    type: feed.replay
    params: { file: x.csv }
  rsi:
    type: indicator.rsi
    params:
      period: 14
    in: { source: candles.close }
  t1: { use: tf, params: { level: 3 }, in: { bar: candles.bar, src: candles.close } }
`;

describe('cursorContext', () => {
  it('block keys and values', () => {
    expect(ctx('nodes:\n  rsi:\n    ty|')).toMatchObject({ path: ['nodes', 'rsi'], position: 'key', prefix: 'ty' });
    expect(ctx('nodes:\n  rsi:\n    type: indicator.r|')).toMatchObject({ path: ['nodes', 'rsi', 'type'], position: 'value', prefix: 'indicator.r', start: 11 });
    expect(ctx('nodes:\n  rsi:\n    params:\n      period: 14\n      |')).toMatchObject({ path: ['nodes', 'rsi', 'params'], position: 'key', prefix: '' });
    expect(ctx('nodes:\n  rsi:\n    type:|')).toMatchObject({ path: ['nodes', 'rsi', 'type'], position: 'value', needsSpace: true });
  });

  it('flow mappings and lists on one line', () => {
    expect(ctx('nodes:\n  rsi: { type: indicator.rsi, params: { per| } }')).toMatchObject({ path: ['nodes', 'rsi', 'params'], position: 'key', prefix: 'per' });
    expect(ctx('nodes:\n  rsi: { type: indicator.rsi, params: { period: 3 }, in: { source: bars.c| } }')).toMatchObject({ path: ['nodes', 'rsi', 'in', 'source'], position: 'value', prefix: 'bars.c' });
    expect(ctx('nodes:\n  all:\n    in: { inputs: [a.value, b.v|] }')).toMatchObject({ path: ['nodes', 'all', 'in', 'inputs'], position: 'value', inList: true, prefix: 'b.v' });
    expect(ctx('nodes:\n  all:\n    in:\n      inputs:\n        - a.va|')).toMatchObject({ path: ['nodes', 'all', 'in', 'inputs'], position: 'value', inList: true, prefix: 'a.va' });
    expect(ctx(`nodes:\n  c:\n    params: { op: '<|' }`)).toMatchObject({ path: ['nodes', 'c', 'params', 'op'], position: 'value', prefix: '<'.replace('<', '') });
  });

  it('a key line with a value is no parent', () => {
    expect(ctx('nodes:\n  a:\n    type: x\nforkedFrom: { name: a, hash: b }\n  x:\n    type: ind|')).toMatchObject({ path: ['nodes', 'x', 'type'], position: 'value' });
  });

  it('skips comments and reaches the word after the cursor', () => {
    expect(ctx('nodes:\n  rsi:   # a comment |')).toBeNull();
    expect(ctx('nodes:\n  rsi:\n    type: indic|ator.rsi  # x')).toMatchObject({ prefix: 'indic', start: 11, end: 24 });
  });
});

describe('suggest', () => {
  it('node types after type:', () => {
    expect(labels('nodes:\n  x:\n    type: |')).toEqual(['feed.replay', 'indicator.rsi', 'signal.compare', 'signal.all']);
    const { text, line, column } = at('nodes:\n  x:\n    type:|');
    expect(suggest(text, line, column, TYPES)!.items[0]!.insert).toBe(' feed.replay');
  });

  it('param names with defaults under params:, minus those written', () => {
    const { text, line, column } = at(DOC.replace('      period: 14\n', '      period: 14\n      |\n').replace("  rsi:\n    type: indicator.rsi\n    params:\n      period: 14\n      |", "  cmp:\n    type: signal.compare\n    params:\n      op: '<'\n      |"));
    const s = suggest(text, line, column, TYPES)!;
    expect(s.items.map((i) => i.label)).toEqual(['threshold', 'strict']);
    expect(s.items[0]).toMatchObject({ insert: 'threshold: ${1:0}', snippet: true });
    expect(s.items[0]!.detail).toContain('default 0');
    expect(s.items[0]!.detail).toContain('> -1');
    expect(labels('nodes:\n  r: { type: indicator.rsi, params: { | } }')).toEqual(['period']);
  });

  it('sub-graph params for an instance, $params inside its template, sub-graph names after use:', () => {
    expect(labels(DOC.replace('params: { level: 3 }', 'params: { level: 3, | }'))).toEqual(['period']);
    expect(labels(DOC.replace('params: { period: $period }', 'params: { period: $| }'))).toEqual(['14', '$period', '$level']);
    expect(labels(DOC.replace('t1: { use: tf', 't1: { use: |'))).toEqual(['tf']);
  });

  it('node.port references for an input, matching port types first; $in inside a template', () => {
    const { text, line, column } = at(DOC.replace('in: { source: candles.close }', 'in: { source: | }'));
    const items = suggest(text, line, column, TYPES)!.items;
    expect(items.map((i) => i.label)).toEqual(['candles.close', 'candles.bar', 'candles.gap', 't1.value']);
    const best = [...items].sort((a, b) => (a.sort ?? '').localeCompare(b.sort ?? ''))[0]!;
    expect(best.label).toBe('candles.close');
    expect(labels(DOC.replace('in: { source: candles.close }', 'in: { source: candles.| }'))).toEqual(['candles.close', 'candles.bar', 'candles.gap']);
    expect(labels(DOC.replace('in: { source: $in.src }', 'in: { source: | }'))).toEqual(['$in.bar', '$in.src']);
  });

  it('input ports under in:, node fields, enum and boolean values', () => {
    expect(labels('nodes:\n  c:\n    type: signal.compare\n    in:\n      a: x.value\n      |')).toEqual(['b']);
    expect(labels('nodes:\n  c:\n    type: signal.compare\n    |')).toEqual(['version', 'params', 'in', 'label']);
    expect(labels('nodes:\n  c: { type: signal.compare, params: { op: | } }')).toEqual(["'>'", "'<'"]);
    expect(labels('nodes:\n  c: { type: signal.compare, params: { strict: | } }')).toEqual(['true', 'false']);
    expect(labels('|')).toEqual(['pipeline', 'description', 'locked', 'subgraphs', 'nodes']);
  });
});

describe('hoverAt', () => {
  it('explains node types, params, ports, references and $params', () => {
    const lines = DOC.split('\n');
    const find = (needle: string, offset = 1) => {
      const line = lines.findIndex((l) => l.includes(needle));
      return hoverAt(DOC, line + 1, lines[line]!.indexOf(needle) + offset, TYPES)?.markdown ?? null;
    };
    expect(find('indicator.rsi', 3)).toContain('RSI');
    expect(find('      period: 14', 8)).toContain("number of moves in Wilder's averages");
    expect(find('      period: 14', 16)).toContain('default 14');
    expect(find('period: 14, level', 2)).toBeNull();
    expect(find('source: candles')).toContain('input of `indicator.rsi`');
    expect(find('candles.close', 9)).toContain('series');
    expect(find('$period', 2)).toContain('param of sub-graph `tf`');
    expect(find('use: tf', 6)).toContain('sub-graph');
  });

  it('outline tolerates an unfinished line', () => {
    expect(Object.keys(outline(DOC + '  broken: { type: \n')?.nodes ?? {})).toContain('rsi');
  });
});

import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { editParam, editParams, locateParam, ParamEditError, setValueAt, templateRefUsers, valueSource } from './param-edit.ts';

const FLAT = `# Mean reversion (a comment at the top)
pipeline: my-mr
nodes:
  candles:
    type: feed.replay
    params: { file: ../../data/ethusdt-binance-spot-5m.csv.gz, symbol: ETHUSDTM, timeframe: 5m }

  # the bands
  bands:
    type: indicator.bollinger
    params: { period: 20, stdDev: 2 }   # keep me
    in: { source: candles.close }
  oversold:
    type: signal.compare
    params:
      op: '<'          # quoted on purpose
      threshold: 20
    in: { a: bands.lower }
  both:
    type: signal.all
    in: { inputs: [oversold.value] }
  weighted: { type: signal.weighted, params: { weights: [0.5, 0.5] }, in: { scores: [a.value, b.value] } }
`;

const SUB = `pipeline: sub
subgraphs:
  tf_set:
    params: { timeframe: ~, fast: 5, slow: 20 }   # name → default
    inputs: { bar: bar }
    outputs: { score: score.value }
    nodes:
      bars: { type: transform.resample, params: { timeframe: $timeframe }, in: { bar: $in.bar } }
      fast: { type: indicator.sma, params: { period: $fast }, in: { source: bars.close } }
      slow:
        type: indicator.sma
        params:
          period: $slow   # the slow one
        in: { source: bars.close }
      rsi: { type: indicator.rsi, params: { period: 14 }, in: { source: bars.close } }
      score: { type: signal.scale, in: { source: fast.value } }
  outer:
    params: { s: 30 }
    inputs: { bar: bar }
    nodes:
      inner: { use: tf_set, params: { timeframe: 1h, slow: $s }, in: { bar: $in.bar } }
nodes:
  candles: { type: feed.replay, params: { file: x.csv } }
  tf_1h: { use: tf_set, params: { timeframe: 1h }, in: { bar: candles.bar } }
  tf_4h:
    use: tf_set
    params:
      timeframe: 4h
      fast: 3
    in: { bar: candles.bar }
  nested: { use: outer, in: { bar: candles.bar } }
`;

/** Every line but the ones expected to change stays byte for byte. */
function changedLines(before: string, after: string): string[] {
  const a = before.split('\n');
  const b = after.split('\n');
  const out: string[] = [];
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) out.push(`${a[i] ?? '∅'} → ${b[i] ?? '∅'}`);
  return out;
}

describe('locateParam', () => {
  it('a top-level node writes its own params', () => {
    const t = locateParam(FLAT, 'bands', 'period');
    expect(t).toMatchObject({ kind: 'node', path: ['nodes', 'bands', 'params', 'period'], param: 'period', owner: 'bands', present: true, current: 20, via: [] });
  });

  it('a $param in the template sends the edit to the instance', () => {
    const t = locateParam(SUB, 'tf_4h/fast', 'period');
    expect(t).toMatchObject({ kind: 'instance', path: ['nodes', 'tf_4h', 'params', 'fast'], param: 'fast', owner: 'tf_4h', subgraph: 'tf_set', present: true, current: 3, via: ['$fast'] });
    // tf_1h does not set `fast`: the default applies and the edit adds it to the instance.
    expect(locateParam(SUB, 'tf_1h/fast', 'period')).toMatchObject({ kind: 'instance', path: ['nodes', 'tf_1h', 'params', 'fast'], present: false, current: undefined });
  });

  it('a literal in the template is a template edit', () => {
    expect(locateParam(SUB, 'tf_1h/rsi', 'period')).toMatchObject({ kind: 'template', path: ['subgraphs', 'tf_set', 'nodes', 'rsi', 'params', 'period'], subgraph: 'tf_set', owner: 'tf_1h/rsi', current: 14 });
    // a param the template does not write (the type's default applies) is added to the template
    expect(locateParam(SUB, 'tf_1h/score', 'clamp')).toMatchObject({ kind: 'template', path: ['subgraphs', 'tf_set', 'nodes', 'score', 'params', 'clamp'], present: false });
  });

  it('follows $param references through nested instances', () => {
    // nested/inner/slow: period: $slow → inner's `slow: $s` (in template outer) → nested's `s` (absent → default)
    expect(locateParam(SUB, 'nested/inner/slow', 'period')).toMatchObject({ kind: 'instance', path: ['nodes', 'nested', 'params', 's'], owner: 'nested', subgraph: 'outer', via: ['$slow', '$s'], present: false });
    // nested/inner/fast: period: $fast → inner does not set fast → written on inner, inside template outer
    expect(locateParam(SUB, 'nested/inner/fast', 'period')).toMatchObject({ kind: 'template', path: ['subgraphs', 'outer', 'nodes', 'inner', 'params', 'fast'], subgraph: 'outer', owner: 'nested/inner' });
  });

  it('names what is missing', () => {
    expect(() => locateParam(FLAT, 'nope', 'period')).toThrow(ParamEditError);
    expect(() => locateParam(FLAT, 'bands/x', 'period')).toThrow(/not a sub-graph instance/);
    expect(() => locateParam('nodes: [', 'a', 'b')).toThrow(/does not parse/);
  });
});

describe('editParam', () => {
  it('top-level node: changes one value in a flow mapping and nothing else', () => {
    const { text, target } = editParam(FLAT, 'bands', 'period', 30);
    expect(target.kind).toBe('node');
    expect(changedLines(FLAT, text)).toEqual(['    params: { period: 20, stdDev: 2 }   # keep me →     params: { period: 30, stdDev: 2 }   # keep me']);
    expect(parse(text).nodes.bands.params.period).toBe(30);
  });

  it('keeps comments, blank lines and quoting of a block mapping', () => {
    const { text } = editParam(FLAT, 'oversold', 'op', '>');
    expect(changedLines(FLAT, text)).toEqual([`      op: '<'          # quoted on purpose →       op: '>'          # quoted on purpose`]);
    expect(text).toContain('# Mean reversion (a comment at the top)');
    expect(text).toContain('  # the bands');
  });

  it('numbers stay numbers, booleans booleans, strings that look like numbers are quoted', () => {
    const a = editParam(FLAT, 'oversold', 'threshold', 25.5).text;
    expect(a).toContain('      threshold: 25.5\n');
    expect(typeof parse(a).nodes.oversold.params.threshold).toBe('number');
    const b = editParam(FLAT, 'bands', 'stdDev', 2.5).text;
    expect(parse(b).nodes.bands.params.stdDev).toBe(2.5);
    const c = editParam(FLAT, 'candles', 'symbol', '123').text;
    expect(parse(c).nodes.candles.params.symbol).toBe('123');
    expect(c).toContain(`symbol: "123"`);
    const d = editParam(FLAT, 'candles', 'symbol', 'XBTUSDTM').text;
    expect(d).toContain('symbol: XBTUSDTM, timeframe: 5m }');
  });

  it('adds a param not yet present to a flow mapping, a block mapping, and creates params', () => {
    const flow = editParam(FLAT, 'bands', 'source', 'close').text;
    expect(changedLines(FLAT, flow)).toEqual(['    params: { period: 20, stdDev: 2 }   # keep me →     params: { period: 20, stdDev: 2, source: close }   # keep me']);
    const block = editParam(FLAT, 'oversold', 'level', 3).text;
    expect(block).toContain('      threshold: 20\n      level: 3\n    in: { a: bands.lower }');
    const created = editParam(FLAT, 'both', 'strict', true).text;
    expect(created).toContain('  both:\n    type: signal.all\n    params: { strict: true }\n    in: { inputs: [oversold.value] }');
    expect(parse(created).nodes.both.params).toEqual({ strict: true });
  });

  it('a one-line node: edits, adds to it and creates params before `in`', () => {
    const text = editParam(SUB, 'candles', 'symbol', 'ETHUSDTM').text;
    expect(text).toContain('  candles: { type: feed.replay, params: { file: x.csv, symbol: ETHUSDTM } }');
    const created = editParam(SUB, 'tf_1h/score', 'clamp', false).text;
    expect(created).toContain('      score: { type: signal.scale, params: { clamp: false }, in: { source: fast.value } }');
  });

  it('instance param via $ref: edits the instance, not the template', () => {
    const { text, target } = editParam(SUB, 'tf_4h/fast', 'period', 8);
    expect(target.kind).toBe('instance');
    expect(changedLines(SUB, text)).toEqual(['      fast: 3 →       fast: 8']);
    const added = editParam(SUB, 'tf_1h/slow', 'period', 50).text;
    expect(changedLines(SUB, added)).toEqual(['  tf_1h: { use: tf_set, params: { timeframe: 1h }, in: { bar: candles.bar } } →   tf_1h: { use: tf_set, params: { timeframe: 1h, slow: 50 }, in: { bar: candles.bar } }']);
    const created = editParam(SUB, 'nested/inner/slow', 'period', 40).text;
    expect(created).toContain('  nested: { use: outer, params: { s: 40 }, in: { bar: candles.bar } }');
    expect(parse(created).subgraphs.tf_set.nodes.slow.params.period).toBe('$slow');
  });

  it('template param: edits the template', () => {
    const { text, target } = editParam(SUB, 'tf_4h/rsi', 'period', 21);
    expect(target).toMatchObject({ kind: 'template', subgraph: 'tf_set' });
    expect(changedLines(SUB, text)).toEqual(['      rsi: { type: indicator.rsi, params: { period: 14 }, in: { source: bars.close } } →       rsi: { type: indicator.rsi, params: { period: 21 }, in: { source: bars.close } }']);
  });

  it('lists and objects are written in flow style', () => {
    const text = editParam(FLAT, 'weighted', 'weights', [0.25, 0.75]).text;
    expect(text).toContain('params: { weights: [0.25, 0.75] }');
    const obj = editParam(FLAT, 'bands', 'extra', { low: 1, high: [2, 3] }).text;
    expect(parse(obj).nodes.bands.params.extra).toEqual({ low: 1, high: [2, 3] });
    expect(obj).toContain('params: { period: 20, stdDev: 2, extra: { low: 1, high: [ 2, 3 ] } }   # keep me');
  });

  it('undefined removes a param (the default applies again)', () => {
    const flow = editParam(FLAT, 'bands', 'stdDev', undefined).text;
    expect(changedLines(FLAT, flow)).toEqual(['    params: { period: 20, stdDev: 2 }   # keep me →     params: { period: 20 }   # keep me']);
    const first = editParam(FLAT, 'bands', 'period', undefined).text;
    expect(first).toContain('    params: { stdDev: 2 }   # keep me');
    const block = editParam(FLAT, 'oversold', 'op', undefined).text;
    expect(block).toContain('    params:\n      threshold: 20\n    in:');
    const absent = editParam(FLAT, 'both', 'strict', undefined).text;
    expect(absent).toBe(FLAT);
  });

  it('several params at once', () => {
    const { text, targets } = editParams(SUB, 'tf_4h/slow', { period: 30 });
    expect(targets[0]!.path).toEqual(['nodes', 'tf_4h', 'params', 'slow']);
    expect(text).toContain('      fast: 3\n      slow: 30\n    in: { bar: candles.bar }');
    const two = editParams(FLAT, 'oversold', { op: '>=', threshold: 80 }).text;
    expect(parse(two).nodes.oversold.params).toEqual({ op: '>=', threshold: 80 });
    expect(two).toContain(`op: '>='          # quoted on purpose`);
  });

  it('the canonical pipeline: an instance param and a template param, one line each', () => {
    const source = readFileSync(new URL('../../pipelines/canonical/enygma.yaml', import.meta.url), 'utf8');
    const instance = editParam(source, 'tf_30m/rsi', 'period', 21);
    expect(instance.target).toMatchObject({ kind: 'instance', path: ['nodes', 'tf_30m', 'params', 'rsiPeriod'] });
    expect(changedLines(source, instance.text)).toEqual(['      rsiPeriod: 14 →       rsiPeriod: 21']);
    const template = editParam(source, 'tf_30m/macd', 'fast', 10);
    expect(template.target).toMatchObject({ kind: 'template', subgraph: 'timeframe' });
    expect(changedLines(source, template.text)).toEqual([
      '      macd: { type: indicator.macd, params: { fast: 12, slow: 26, signal: 9 }, in: { source: bars.close } } →       macd: { type: indicator.macd, params: { fast: 10, slow: 26, signal: 9 }, in: { source: bars.close } }',
    ]);
    const strict = editParam(source, 'decision/threshold', 'strict', false);
    expect(strict.target).toMatchObject({ kind: 'instance', path: ['nodes', 'decision', 'params', 'strict'] });
    expect(parse(strict.text).nodes.decision.params.strict).toBe(false);
    expect(changedLines(source, strict.text)).toHaveLength(1);
  });
});

describe('setValueAt and valueSource', () => {
  it('replaces a block collection with a flow one', () => {
    const text = 'nodes:\n  a:\n    params:\n      list:\n        - 1\n        - 2\n      other: 3   # c\n';
    const out = setValueAt(text, ['nodes', 'a', 'params', 'list'], [4]);
    expect(out).toBe('nodes:\n  a:\n    params:\n      list: [4]\n      other: 3   # c\n');
  });

  it('fills an empty params', () => {
    expect(setValueAt('nodes:\n  a:\n    type: x\n    params:\n', ['nodes', 'a', 'params', 'p'], 1)).toBe('nodes:\n  a:\n    type: x\n    params: { p: 1 }\n');
    expect(setValueAt('nodes:\n  a:\n    params: ~   # none\n    in: {}\n', ['nodes', 'a', 'params', 'p'], 1)).toBe('nodes:\n  a:\n    params: { p: 1 }   # none\n    in: {}\n');
  });

  it('quotes what a flow mapping would misread', () => {
    expect(valueSource('a, b')).toBe(`'a, b'`);
    expect(valueSource('$rsiPeriod')).toBe('$rsiPeriod');
    expect(valueSource(true)).toBe('true');
    expect(valueSource('true')).toBe('"true"');
    const text = setValueAt('nodes:\n  a: { params: { reason: x } }\n', ['nodes', 'a', 'params', 'reason'], 'one, two: {three}');
    expect(parse(text).nodes.a.params.reason).toBe('one, two: {three}');
  });
});

describe('templateRefUsers', () => {
  it('lists the template params an instance param feeds', () => {
    const source = readFileSync(new URL('../../pipelines/canonical/enygma.yaml', import.meta.url), 'utf8');
    expect(templateRefUsers(source, 'entry_decision', 'strict')).toEqual(['threshold.strict', 'cross.strict', 'volatility.strict', 'confidence.strict']);
    expect(templateRefUsers(SUB, 'tf_set', 'fast')).toEqual(['fast.period']);
    expect(templateRefUsers(SUB, 'nope', 'fast')).toEqual([]);
  });
});

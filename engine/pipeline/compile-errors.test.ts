import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BarflowError, BarflowErrors } from '../core/errors.ts';
import { createRegistry, defineNode } from '../core/node-definition.ts';
import { replayFeed } from '../../nodes/feeds/replay/replay.node.ts';
import { sma } from '../../nodes/indicators/sma/sma.node.ts';
import { resample } from '../../nodes/transforms/resample/resample.node.ts';
import { compilePipelineText } from './compile.ts';
import { MAX_ALIAS_COUNT, MAX_PIPELINE_BYTES } from './yaml-source.ts';

/* ---------- test-only node types ---------- */

/** two synchronous series inputs */
const add = defineNode({
  type: 'test.add',
  version: 1,
  title: 'Add',
  category: 'transform',
  summary: 'a + b',
  params: z.object({}),
  inputs: { a: { type: 'series' }, b: { type: 'series' } },
  outputs: { value: { type: 'series' } },
  syncInputs: true,
  warmup: () => 0,
  init: () => ({}),
  step(_s: object, i: { a: number; b: number }, o: { value: number }) {
    o.value = i.a + i.b;
    return true;
  },
});

/** a bool output, for type-mismatch tests */
const positive = defineNode({
  type: 'test.positive',
  version: 1,
  title: 'Positive',
  category: 'signal',
  summary: 'source > 0',
  params: z.object({}),
  inputs: { source: { type: 'series' } },
  outputs: { value: { type: 'bool' } },
  warmup: () => 0,
  init: () => ({}),
  step(_s: object, i: { source: number }, o: { value: boolean }) {
    o.value = i.source > 0;
    return true;
  },
});

/** a `many` input */
const sum = defineNode({
  type: 'test.sum',
  version: 1,
  title: 'Sum',
  category: 'transform',
  summary: 'sum of xs',
  params: z.object({ scale: z.number().min(0).max(10).default(1) }),
  inputs: { xs: { type: 'series', many: true } },
  outputs: { value: { type: 'series' } },
  warmup: () => 0,
  init: () => ({}),
  step(_s: object, i: { xs: number[] }, o: { value: number }, p) {
    o.value = i.xs.reduce((acc, x) => acc + x, 0) * p.scale;
    return true;
  },
});

const registry = createRegistry([replayFeed, resample, sma, add, positive, sum]);
const FILE = 'strategies/test.yaml';

/* ---------- helpers ---------- */

/** One YAML line per argument, so line k of the document is argument k. */
const doc = (...lines: string[]) => lines.join('\n') + '\n';

const HEAD = ['pipeline: test', 'nodes:', '  feed:', '    type: feed.replay', '    params: { file: candles.csv }'];
/** HEAD plus node lines starting at line 6 */
const withFeed = (...lines: string[]) => doc(...HEAD, ...lines);

function rejection(text: string, file = FILE): BarflowError[] {
  try {
    compilePipelineText(text, file, registry);
  } catch (error) {
    if (error instanceof BarflowErrors) return error.errors;
    if (error instanceof BarflowError) return [error];
    throw error;
  }
  throw new Error('expected the pipeline to be rejected, it compiled');
}

/** every formatted message */
const messages = (text: string, file = FILE) => rejection(text, file).map((e) => e.format());

/** the formatted message of the one error with `code` */
function theError(text: string, code: string): string {
  const errors = rejection(text);
  const matching = errors.filter((e) => e.code === code);
  expect(matching, errors.map((e) => e.format()).join('\n')).toHaveLength(1);
  return matching[0]!.format();
}

describe('YAML layer', () => {
  it('reports a YAML syntax error with the file and the line it is on', () => {
    const text = doc('pipeline: test', 'nodes:', '  feed:', '    type: feed.replay', '   params: { file: candles.csv }');
    expect(messages(text)).toEqual([`${FILE}:5:1: YAML: All mapping items must start at the same column [yaml.syntax]`]);
  });

  it('reports an unclosed flow mapping at its line', () => {
    const text = doc('pipeline: test', 'nodes:', '  feed: { type: feed.replay', '  other: 1');
    const [first] = messages(text);
    expect(first).toMatch(new RegExp(`^${FILE}:4:\\d+: YAML: .* \\[yaml\\.syntax\\]$`));
  });

  it('rejects a duplicate key, naming the line of the second occurrence', () => {
    const text = withFeed('  s:', '    type: indicator.sma', '    in: { source: feed.close }', '    type: indicator.sma');
    expect(messages(text)).toEqual([`${FILE}:9:5: YAML: Map keys must be unique [yaml.syntax]`]);
  });

  it('rejects a document over MAX_PIPELINE_BYTES before parsing it, quoting its size', () => {
    const text = withFeed('# ' + 'x'.repeat(MAX_PIPELINE_BYTES));
    const size = Buffer.byteLength(text);
    expect(messages(text)).toEqual([`${FILE}: pipeline is ${size} bytes; the limit is ${MAX_PIPELINE_BYTES} [yaml.too-large]`]);
  });

  it('counts the size limit in bytes, not characters', () => {
    const text = withFeed('# ' + 'é'.repeat(MAX_PIPELINE_BYTES / 2));
    expect(text.length).toBeLessThan(MAX_PIPELINE_BYTES);
    expect(rejection(text)[0]!.code).toBe('yaml.too-large');
  });

  it('rejects a billion-laughs alias bomb in well under a second, naming the file', () => {
    const levels = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
    for (let k = 1; k < 10; k++) {
      const prev = String.fromCharCode(96 + k);
      const name = String.fromCharCode(97 + k);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(', ')}]`);
    }
    const text = doc('pipeline: test', ...levels, 'nodes:', '  feed:', '    type: feed.replay', '    params: { file: candles.csv }');
    const started = performance.now();
    const errors = rejection(text);
    const elapsed = performance.now() - started;
    expect(elapsed).toBeLessThan(1000);
    expect(errors.map((e) => e.format())).toEqual([
      `${FILE}: YAML aliases expand too far (more than ${MAX_ALIAS_COUNT} resolutions): Excessive alias count indicates a resource exhaustion attack [yaml.aliases]`,
    ]);
  });

  it('accepts a pipeline that uses a few aliases legitimately', () => {
    const text = doc(
      'pipeline: test',
      'nodes:',
      '  feed:',
      '    type: feed.replay',
      '    params: &feedParams { file: candles.csv }',
      '  s:',
      '    type: indicator.sma',
      '    in: &src { source: feed.close }',
      '  t:',
      '    type: indicator.sma',
      '    in: *src',
    );
    expect(compilePipelineText(text, FILE, registry).nodes.map((n) => n.id)).toEqual(['feed', 's', 't']);
  });

  it('rejects a mapping key that is itself a collection, with its line', () => {
    const text = withFeed('  ? [a, b]', '  : { type: indicator.sma }');
    expect(messages(text)).toEqual([`${FILE}:6:5: YAML: a mapping key must be plain text, not a list, a mapping or a tagged value [yaml.key]`]);
  });

  it('rejects a tagged key that YAML would turn into an object, with its line', () => {
    const text = withFeed('  s:', '    type: indicator.sma', '    params: { !!binary cGVyaW9k: 3 }', '    in: { source: feed.close }');
    expect(messages(text)).toEqual([`${FILE}:8:24: YAML: a mapping key must be plain text, not a list, a mapping or a tagged value [yaml.key]`]);
  });

  it('rejects a file holding several YAML documents', () => {
    expect(rejection(doc('pipeline: a', '---', 'pipeline: b'))[0]!.code).toBe('yaml.syntax');
  });
});

describe('document shape', () => {
  it('rejects an unknown top-level field, quoting it and listing the known ones', () => {
    const text = doc('pipeline: test', 'version: 2', 'nodes:', '  feed:', '    type: feed.replay', '    params: { file: candles.csv }');
    expect(messages(text)).toEqual([
      `${FILE}:2:1: field "version": unknown top-level field "version" (known: pipeline, description, locked, forkedFrom, subgraphs, nodes) [pipeline.unknown-field]`,
    ]);
  });

  it('rejects a bad node id, quoting it', () => {
    const text = withFeed('  Fast-SMA:', '    type: indicator.sma', '    in: { source: feed.close }');
    expect(messages(text)).toEqual([
      `${FILE}:6:3: node "Fast-SMA": node id "Fast-SMA" must be snake_case (a-z, 0-9, _; starting with a letter) [node.id]`,
    ]);
  });

  it('rejects an unknown field inside a node', () => {
    const text = withFeed('  s:', '    type: indicator.sma', '    input: { source: feed.close }');
    expect(theError(text, 'node.unknown-field')).toBe(
      `${FILE}:8:5: node "s" field "input": unknown field "input" (known: type, use, version, params, in, label) [node.unknown-field]`,
    );
  });

  it('rejects a missing or malformed pipeline name, quoting it', () => {
    const text = doc('pipeline: Not A Name', 'nodes:', '  feed:', '    type: feed.replay', '    params: { file: candles.csv }');
    expect(messages(text)).toEqual([
      `${FILE}:1:11: field "pipeline": "pipeline" must be a name of lowercase letters, digits, "-" or "_" (got "Not A Name") [pipeline.name]`,
    ]);
  });

  it('rejects an input port name that is not camelCase (and never treats __proto__ as a port)', () => {
    const text = withFeed('  s:', '    type: indicator.sma', '    in: { source: feed.close, __proto__: feed.open }');
    expect(messages(text)).toEqual([`${FILE}:8:31: node "s" port "__proto__": input port name "__proto__" must be camelCase [input.name]`]);
  });
});

describe('node types and params', () => {
  it('rejects an unknown node type with a "did you mean" hint', () => {
    const text = withFeed('  s:', '    type: indicator.smma', '    in: { source: feed.close }');
    expect(messages(text)).toEqual([
      `${FILE}:7:11: node "s": unknown node type "indicator.smma" (did you mean "indicator.sma"?); \`barflow nodes\` lists them [node.unknown-type]`,
    ]);
  });

  it('gives no hint when nothing is close', () => {
    const text = withFeed('  s:', '    type: completely.different', '    in: { source: feed.close }');
    expect(theError(text, 'node.unknown-type')).toBe(
      `${FILE}:7:11: node "s": unknown node type "completely.different"; \`barflow nodes\` lists them [node.unknown-type]`,
    );
  });

  it('rejects an unknown param at the line of its key, with a hint and the known params', () => {
    const text = withFeed('  s:', '    type: indicator.sma', '    params:', '      perod: 14', '    in: { source: feed.close }');
    expect(messages(text)).toEqual([
      `${FILE}:9:7: node "s" param "perod": indicator.sma has no param "perod" (did you mean "period"?); known: period [param.unknown]`,
    ]);
  });

  it('rejects an out-of-range param, quoting the value and naming the minimum', () => {
    const text = withFeed('  s:', '    type: indicator.sma', '    params:', '      period: 0', '    in: { source: feed.close }');
    expect(messages(text)).toEqual([`${FILE}:9:15: node "s" param "period": value 0 is below the minimum 1 [param.invalid]`]);
  });

  it('rejects an out-of-range param, quoting the value and naming the maximum', () => {
    const text = withFeed('  s:', '    type: indicator.sma', '    params:', '      period: 20000', '    in: { source: feed.close }');
    expect(messages(text)).toEqual([`${FILE}:9:15: node "s" param "period": value 20000 is above the maximum 10000 [param.invalid]`]);
  });

  it('rejects a param of the wrong type, quoting the value', () => {
    const text = withFeed('  s:', '    type: indicator.sma', '    params:', '      period: "fourteen"', '    in: { source: feed.close }');
    expect(messages(text)).toEqual([`${FILE}:9:15: node "s" param "period": expected number, got "fourteen" [param.invalid]`]);
  });

  it('rejects a non-integer where an integer is needed, quoting the value', () => {
    const text = withFeed('  s:', '    type: indicator.sma', '    params: { period: 2.5 }', '    in: { source: feed.close }');
    expect(theError(text, 'param.invalid')).toMatch(new RegExp(`^${FILE}:8:\\d+: node "s" param "period": .*2\\.5.* \\[param\\.invalid\\]$`));
  });

  it('rejects a refined param (a timeframe that is not one), quoting the value', () => {
    const text = withFeed('  h:', '    type: transform.resample', '    params: { timeframe: 90s }', '    in: { bar: feed.bar }');
    expect(messages(text)).toEqual([
      `${FILE}:8:26: node "h" param "timeframe": not a timeframe like 15m, 30min, 1h, 4hour or 1d (got "90s") [param.invalid]`,
    ]);
  });

  it('rejects a version the engine does not have, quoting both versions', () => {
    const text = withFeed('  s:', '    type: indicator.sma', '    version: 3', '    in: { source: feed.close }');
    expect(messages(text)).toEqual([
      `${FILE}:8:14: node "s": pipeline asks for indicator.sma version 3, this engine has version 1 [node.version]`,
    ]);
  });

  it('reports every problem of a file in one pass', () => {
    const text = withFeed(
      '  a:',
      '    type: indicator.sma',
      '    params: { period: 0 }',
      '    in: { source: feed.close }',
      '  b:',
      '    type: indicator.smma',
      '    in: { source: feed.close }',
    );
    expect(rejection(text).map((e) => e.code)).toEqual(['param.invalid', 'node.unknown-type']);
  });
});

describe('wiring and port types', () => {
  it('rejects a missing required input, naming the node and the port', () => {
    const text = withFeed('  s:', '    type: indicator.sma', '    params: { period: 3 }');
    expect(messages(text)).toEqual([`${FILE}:6:3: node "s" port "source": input "source" (series) is not wired [input.missing]`]);
  });

  it('rejects an unknown input port, with a hint and the known inputs', () => {
    const text = withFeed('  s:', '    type: indicator.sma', '    in: { source: feed.close, sorce: feed.open }');
    expect(messages(text)).toEqual([
      `${FILE}:8:31: node "s" port "sorce": indicator.sma has no input "sorce" (did you mean "source"?); inputs: source [input.unknown]`,
    ]);
  });

  it('does not mistake an Object.prototype member for an input port', () => {
    const text = withFeed('  s:', '    type: indicator.sma', '    in: { source: feed.close, toString: feed.open }');
    expect(messages(text)).toEqual([
      `${FILE}:8:31: node "s" port "toString": indicator.sma has no input "toString"; inputs: source [input.unknown]`,
    ]);
  });

  it('rejects a reference to an unknown node, quoting the reference and hinting the closest id', () => {
    const text = withFeed('  s:', '    type: indicator.sma', '    in: { source: fed.close }');
    expect(messages(text)).toEqual([
      `${FILE}:8:19: node "s" port "source": "fed.close" refers to unknown node "fed" (did you mean "feed"?) [input.unknown-node]`,
    ]);
  });

  it('rejects a reference to an unknown output port, quoting it and listing the outputs', () => {
    const text = withFeed('  s:', '    type: indicator.sma', '    in: { source: feed.clsoe }');
    expect(messages(text)).toEqual([
      `${FILE}:8:19: node "s" port "source": "feed.clsoe": feed.replay has no output "clsoe" (did you mean "close"?); outputs: time, open, high, low, close, volume, bar, gap [input.unknown-port]`,
    ]);
  });

  it('does not mistake an Object.prototype member for an output port', () => {
    const text = withFeed('  s:', '    type: indicator.sma', '    in: { source: feed.constructor }');
    expect(theError(text, 'input.unknown-port')).toBe(
      `${FILE}:8:19: node "s" port "source": "feed.constructor": feed.replay has no output "constructor"; outputs: time, open, high, low, close, volume, bar, gap [input.unknown-port]`,
    );
  });

  it('rejects a reference that is not node.port syntax, quoting it', () => {
    const text = withFeed('  s:', '    type: indicator.sma', '    in: { source: close }');
    expect(messages(text)).toEqual([`${FILE}:8:19: node "s" port "source": "close" is not a reference like node_id.port [input.ref-syntax]`]);
  });

  it('rejects a single input wired with a list of two references, quoting both', () => {
    const text = withFeed('  s:', '    type: indicator.sma', '    in:', '      source: [feed.close, feed.open]');
    expect(messages(text)).toEqual([
      `${FILE}:9:15: node "s" port "source": input "source" takes one connection, got 2: feed.close, feed.open [input.doubly-wired]`,
    ]);
  });

  it('accepts a list of references on a many input', () => {
    const text = withFeed('  total:', '    type: test.sum', '    in: { xs: [feed.open, feed.close, feed.high] }');
    const plan = compilePipelineText(text, FILE, registry);
    expect(plan.byId.get('total')!.inputs[0]!.sources.map((s) => `${plan.nodes[s.node]!.id}.${s.port}`)).toEqual(['feed.open', 'feed.close', 'feed.high']);
  });

  it('rejects a port type mismatch (bool into series), quoting the reference and both types', () => {
    const text = withFeed('  up:', '    type: test.positive', '    in: { source: feed.close }', '  s:', '    type: indicator.sma', '    in: { source: up.value }');
    expect(messages(text)).toEqual([`${FILE}:11:19: node "s" port "source": "up.value" is bool but input "source" takes series [input.type-mismatch]`]);
  });

  it('rejects a bar into a series input', () => {
    const text = withFeed('  s:', '    type: indicator.sma', '    in: { source: feed.bar }');
    expect(theError(text, 'input.type-mismatch')).toBe(
      `${FILE}:8:19: node "s" port "source": "feed.bar" is bar but input "source" takes series [input.type-mismatch]`,
    );
  });

  it('rejects a param value on a many node below its minimum (checks apply to every node type)', () => {
    const text = withFeed('  total:', '    type: test.sum', '    params: { scale: -1 }', '    in: { xs: [feed.close] }');
    expect(theError(text, 'param.invalid')).toBe(`${FILE}:8:22: node "total" param "scale": value -1 is below the minimum 0 [param.invalid]`);
  });
});

describe('graph structure', () => {
  it('rejects a 3-node cycle and names every node on it, in edge order', () => {
    const text = withFeed(
      '  a:',
      '    type: test.add',
      '    in: { a: feed.close, b: c.value }',
      '  b:',
      '    type: test.add',
      '    in: { a: a.value, b: feed.close }',
      '  c:',
      '    type: test.add',
      '    in: { a: b.value, b: feed.close }',
    );
    const message = theError(text, 'graph.cycle');
    expect(message).toMatch(new RegExp(`^${FILE}:\\d+:3: node "[abc]": cycle: `));
    const walk = /cycle: (.*?);/.exec(message)![1]!.split(' → ');
    expect(walk[0]).toBe(walk[walk.length - 1]);
    expect(new Set(walk)).toEqual(new Set(['a', 'b', 'c']));
    // consecutive names follow edges a → b → c → a
    const next: Record<string, string> = { a: 'b', b: 'c', c: 'a' };
    for (let k = 0; k + 1 < walk.length; k++) expect(walk[k + 1]).toBe(next[walk[k]!]);
    expect(message).toBe(
      `${FILE}:9:3: node "b": cycle: b → c → a → b; a strategy graph must not feed a node's output back into itself [graph.cycle]`,
    );
  });

  it('rejects a self-loop, naming the node twice', () => {
    const text = withFeed('  a:', '    type: test.add', '    in: { a: feed.close, b: a.value }');
    expect(messages(text)).toEqual([
      `${FILE}:6:3: node "a": cycle: a → a; a strategy graph must not feed a node's output back into itself [graph.cycle]`,
    ]);
  });

  it('names only the nodes on the cycle, not those downstream of it', () => {
    const text = withFeed(
      '  a:',
      '    type: test.add',
      '    in: { a: feed.close, b: b.value }',
      '  b:',
      '    type: indicator.sma',
      '    in: { source: a.value }',
      '  after:',
      '    type: indicator.sma',
      '    in: { source: b.value }',
    );
    expect(theError(text, 'graph.cycle')).toBe(
      `${FILE}:9:3: node "b": cycle: b → a → b; a strategy graph must not feed a node's output back into itself [graph.cycle]`,
    );
  });

  it('rejects a pipeline without a candle feed', () => {
    const text = doc('pipeline: test', 'nodes:', '  total:', '    type: test.sum', '    in: { xs: [] }');
    expect(messages(text)).toContain(`${FILE}:3:3: a pipeline needs one candle feed (e.g. type: feed.replay) [pipeline.no-feed]`);
  });

  it('rejects a second candle feed, naming it and the first', () => {
    const text = withFeed('  feed2:', '    type: feed.replay', '    params: { file: other.csv }');
    expect(messages(text)).toEqual([
      `${FILE}:6:3: node "feed2": only one candle feed per pipeline (first is "feed"); resample it for other timeframes [pipeline.many-feeds]`,
    ]);
  });

  it('rejects mixed timeframes into a syncInputs node, naming each input and its clock', () => {
    const text = withFeed(
      '  h1:',
      '    type: transform.resample',
      '    params: { timeframe: 1h }',
      '    in: { bar: feed.bar }',
      '  both:',
      '    type: test.add',
      '    in: { a: feed.close, b: h1.close }',
    );
    expect(messages(text)).toEqual([`${FILE}:10: node "both": test.add needs all inputs on one timeframe, got a ← feed (base); b ← h1 (1h) [clock.mixed]`]);
  });

  it('accepts mixed timeframes into a node that does not need synchronous inputs', () => {
    const text = withFeed(
      '  h1:',
      '    type: transform.resample',
      '    params: { timeframe: 1h }',
      '    in: { bar: feed.bar }',
      '  total:',
      '    type: test.sum',
      '    in: { xs: [feed.close, h1.close] }',
    );
    expect(compilePipelineText(text, FILE, registry).byId.get('total')!.clock.label).toBe('base+1h');
  });

  it('rejects resampling 15m bars to 25m (not a whole multiple), naming the node', () => {
    const text = withFeed(
      '  m15:',
      '    type: transform.resample',
      '    params: { timeframe: 15m }',
      '    in: { bar: feed.bar }',
      '  m25:',
      '    type: transform.resample',
      '    params: { timeframe: 25m }',
      '    in: { bar: m15.bar }',
    );
    expect(messages(text)).toEqual([`${FILE}:10: node "m25": cannot resample 15m bars to 25m: the target must be a whole multiple [clock.resample]`]);
  });

  it('rejects resampling to a lower timeframe', () => {
    const text = withFeed(
      '  h1:',
      '    type: transform.resample',
      '    params: { timeframe: 1h }',
      '    in: { bar: feed.bar }',
      '  m30:',
      '    type: transform.resample',
      '    params: { timeframe: 30m }',
      '    in: { bar: h1.bar }',
    );
    expect(theError(text, 'clock.resample')).toBe(`${FILE}:10: node "m30": cannot resample 1h bars to 30m: the target must be a whole multiple [clock.resample]`);
  });

  it('rejects resampling the base bars to a non-multiple when the feed declares its timeframe', () => {
    const text = doc(
      'pipeline: test',
      'nodes:',
      '  feed:',
      '    type: feed.replay',
      '    params: { file: candles.csv, timeframe: 5m }',
      '  m7:',
      '    type: transform.resample',
      '    params: { timeframe: 7m }',
      '    in: { bar: feed.bar }',
    );
    expect(messages(text)).toEqual([`${FILE}:6: node "m7": cannot resample 5m (base) bars to 7m: the target must be a whole multiple [clock.resample]`]);
  });

  it('assigns each node the clock of its inputs', () => {
    const text = withFeed(
      '  m15:',
      '    type: transform.resample',
      '    params: { timeframe: 15m }',
      '    in: { bar: feed.bar }',
      '  h4:',
      '    type: transform.resample',
      '    params: { timeframe: 4hour }',
      '    in: { bar: m15.bar }',
      '  slow:',
      '    type: indicator.sma',
      '    in: { source: h4.close }',
    );
    const plan = compilePipelineText(text, FILE, registry);
    expect(plan.nodes.map((n) => [n.id, n.clock.label])).toEqual([
      ['feed', 'base'],
      ['m15', '15m'],
      ['h4', '4h'],
      ['slow', '4h'],
    ]);
  });
});

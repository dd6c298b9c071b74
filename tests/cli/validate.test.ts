/**
 * `barflow validate`: a good pipeline prints "ok" and its hash (exit 0); a broken one prints
 * `error: <file>:<line>:<col>: node "x" …` on stderr for every problem and exits 1; misuse prints
 * the usage and exits 2.
 */
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { pipelineHash } from '../../engine/pipeline/normalise.ts';
import { compilePipelineFile } from '../../engine/pipeline/compile.ts';
import { registry } from '../../nodes/index.ts';
import { barflow, escapeRegExp, workspace, writeFile } from '../support/cli.ts';

const dir = workspace('barflow-validate-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const FEED = ['pipeline: broken', 'nodes:', '  candles:', '    type: feed.replay', '    params: { file: small.csv }'];
const pipeline = (name: string, lines: string[]) => writeFile(dir, name, [...FEED, ...lines, ''].join('\n'));

describe('barflow validate', () => {
  it.concurrent('prints ok, the node count, the clocks and the hash of a good pipeline, and exits 0', async () => {
    const file = pipeline('good.yaml', [
      '  bars_1h:',
      '    type: transform.resample',
      '    params: { timeframe: 1h }',
      '    in: { bar: candles.bar }',
      '  rsi:',
      '    type: indicator.rsi',
      '    in: { source: bars_1h.close }',
    ]);
    const run = await barflow(['validate', file]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const hash = pipelineHash(compilePipelineFile(file, registry));
    expect(run.stdout).toBe(`ok: broken — 3 nodes, clocks base, 1h\nhash ${hash}\n`);
  });

  it.concurrent('names the file, line, column and node of an unknown node type, with a suggestion, and exits 1', async () => {
    const file = pipeline('unknown-type.yaml', ['  x:', '    type: indicator.rsy', '    in: { source: candles.close }']);
    const run = await barflow(['validate', file]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`error: ${file}:7:11: node "x": unknown node type "indicator.rsy" (did you mean "indicator.rsi"?); \`barflow nodes\` lists them [node.unknown-type]\n`);
  });

  it.concurrent('names the file, line, column, node and param of a param out of range, and exits 1', async () => {
    const file = pipeline('bad-param.yaml', ['  x:', '    type: indicator.rsi', '    params: { period: 1 }', '    in: { source: candles.close }']);
    const run = await barflow(['validate', file]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`^error: ${escapeRegExp(file)}:8:23: node "x" param "period": .*minimum 2.*\\[param\\.invalid\\]\\n$`));
  });

  it.concurrent('names the file, line, column and node of a cycle, with the nodes around it, and exits 1', async () => {
    const file = pipeline('cycle.yaml', ['  x:', '    type: signal.all', '    in: { inputs: [y.value] }', '  y:', '    type: signal.all', '    in: { inputs: [x.value] }']);
    const run = await barflow(['validate', file]);
    expect(run.code).toBe(1);
    const match = new RegExp(`^error: ${escapeRegExp(file)}:(\\d+):(\\d+): node "(x|y)": cycle: (x → y → x|y → x → y);.*\\[graph\\.cycle\\]\\n$`).exec(run.stderr);
    expect(match, run.stderr).not.toBeNull();
    // the position is that of the named node's key
    expect(`${match![1]}:${match![2]}`).toBe(match![3] === 'x' ? '6:3' : '9:3');
  });

  it.concurrent('names the file, line and column of malformed YAML, and exits 1', async () => {
    const file = writeFile(dir, 'malformed.yaml', [...FEED.slice(0, 4), '    params: { file: small.csv', '  x: [', ''].join('\n'));
    const run = await barflow(['validate', file]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`^error: ${escapeRegExp(file)}:6:3: YAML: .*\\[yaml\\.syntax\\]\\n`));
  });

  it.concurrent('names the node and port of a reference to a missing output, and exits 1', async () => {
    const file = pipeline('bad-ref.yaml', ['  x:', '    type: indicator.rsi', '    in: { source: candles.clos }']);
    const run = await barflow(['validate', file]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`error: ${file}:8:19: node "x" port "source": "candles.clos": feed.replay has no output "clos" (did you mean "close"?); outputs: time, open, high, low, close, volume, bar, gap [input.unknown-port]\n`);
  });

  it.concurrent('reports every problem of a pipeline, one line each', async () => {
    const file = pipeline('two-problems.yaml', ['  x:', '    type: indicator.rsy', '    in: { source: candles.close }', '  y:', '    type: indicator.sma', '    params: { period: 0 }', '    in: { source: candles.close }']);
    const run = await barflow(['validate', file]);
    expect(run.code).toBe(1);
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(new RegExp(`^error: ${escapeRegExp(file)}:7:11: node "x": unknown node type`));
    expect(lines[1]).toMatch(new RegExp(`^error: ${escapeRegExp(file)}:11:23: node "y" param "period": `));
  });

  it.concurrent('prints the usage and exits 2 without a pipeline, with two, or with an unknown option', async () => {
    const good = pipeline('usage.yaml', []);
    for (const args of [['validate'], ['validate', good, good], ['validate', good, '--bogus']]) {
      const run = await barflow(args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr).toContain('barflow validate <pipeline.yaml>');
      expect(run.stdout).toBe('');
    }
  });
});

/**
 * `barflow diff` (and diffPipelines) on the canonical pipeline, forks and copies of it
 * (tests/support/canonical.ts) and a small pipeline, in a temp folder, through the real command:
 * nothing in the repository is written.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { compilePipelineFile, compilePipelineText } from '../../engine/pipeline/compile.ts';
import { diffPipelines, formatChange, type PipelineChange } from '../../engine/pipeline/diff.ts';
import { forkPipeline } from '../../engine/pipeline/fork.ts';
import { pipelineHash } from '../../engine/pipeline/normalise.ts';
import { registry } from '../../nodes/index.ts';
import { CANONICAL, COSMETIC_TEXT, LOCK, canonicalCopyIn, edit, hashOf, sizePct3 } from '../support/canonical.ts';
import { barflow, rsiPipelineText, workspace, writeFile } from '../support/cli.ts';

const root = workspace('barflow-diff-');
afterAll(() => rmSync(root, { recursive: true, force: true }));
const canonicalCopy = (label: string, options?: Parameters<typeof canonicalCopyIn>[2]) => canonicalCopyIn(root, label, options);

describe('barflow diff', () => {
  /** A small pipeline (compiled only, never run) and the variants the structural cases need. */
  const SMALL = rsiPipelineText('small-a', [
    '  spare:',
    '    type: indicator.sma',
    '    params: { period: 20 }',
    '    in: { source: candles.close }',
    '  extra:',
    '    type: indicator.sma',
    '    params: { period: 50 }',
    '    in: { source: candles.close }',
  ]);
  const dir = join(root, 'diff');
  mkdirSync(dir);
  const A = writeFile(dir, 'a.yaml', SMALL);
  let b = edit(SMALL, 'pipeline: small-a', 'pipeline: small-b');
  b = edit(b, '  extra:\n    type: indicator.sma\n    params: { period: 50 }\n    in: { source: candles.close }\n', '');
  b = edit(b, '  spare:\n    type: indicator.sma\n', '  spare:\n    type: indicator.ema\n');
  b = edit(b, "    params: { op: '<', threshold: 30 }\n    in: { a: rsi.value }", "    params: { op: '<', threshold: 30 }\n    in: { a: spare.value }");
  b = edit(b, "threshold: 70 }", 'threshold: 75 }');
  b = edit(b, '  account:\n', '  fast:\n    type: indicator.ema\n    params: { period: 9 }\n    in: { source: candles.close }\n  account:\n');
  const B = writeFile(dir, 'b.yaml', b);
  const EXPECTED: PipelineChange[] = [
    { kind: 'removed', node: 'extra', type: 'indicator.sma' },
    { kind: 'added', node: 'fast', type: 'indicator.ema' },
    { kind: 'param', node: 'high', param: 'threshold', from: 70, to: 75 },
    { kind: 'wire', node: 'low', port: 'a', from: 'rsi.value', to: 'spare.value' },
    { kind: 'type', node: 'spare', from: 'indicator.sma@1', to: 'indicator.ema@1' },
  ];

  /** A default-location fork (pipelines/forks, same depth) of a fresh canonical copy, with `change` applied to its text. */
  function editedFork(label: string, name: string, change: (text: string) => string): string {
    const source = canonicalCopy(label);
    const { file } = forkPipeline(source, name, registry);
    writeFileSync(file, change(readFileSync(file, 'utf8')));
    return file;
  }

  it.concurrent('says two identical pipelines are the same strategy and exits 0', async () => {
    const r = await barflow(['diff', CANONICAL, CANONICAL]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`enygma and enygma are the same strategy (hash ${LOCK.hash.slice(0, 16)}…)\n`);
  });

  it.concurrent('lists the one changed param of a fork as `~ node.param: a → b` and exits 1', async () => {
    const fork = editedFork('diff-param', 'sized', sizePct3);
    const r = await barflow(['diff', CANONICAL, fork]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('enygma → sized: 1 difference\n~ risk.sizePct: 2 → 3\n');
  });

  it.concurrent('names the expanded node for a sub-graph instance param, and every instance for a sub-graph template change', async () => {
    const fork = editedFork('diff-subgraph', 'retuned', (text) =>
      edit(edit(text, 'timeframe: 15min\n      rsiPeriod: 21\n', 'timeframe: 15min\n      rsiPeriod: 20\n'), 'params: { fast: 12, slow: 26, signal: 9 }', 'params: { fast: 10, slow: 26, signal: 9 }'),
    );
    const r = await barflow(['diff', CANONICAL, fork]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      [
        'enygma → retuned: 6 differences',
        '~ tf_15m/macd.fast: 12 → 10',
        '~ tf_15m/rsi.period: 21 → 20',
        '~ tf_1h/macd.fast: 12 → 10',
        '~ tf_2h/macd.fast: 12 → 10',
        '~ tf_30m/macd.fast: 12 → 10',
        '~ tf_4h/macd.fast: 12 → 10',
        '',
      ].join('\n'),
    );
  });

  it.concurrent('reports an added node, a removed node, a changed type, a rewired input and a changed param', async () => {
    const r = await barflow(['diff', A, B]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      [
        'small-a → small-b: 5 differences',
        '- extra (indicator.sma)',
        '+ fast (indicator.ema)',
        '~ high.threshold: 70 → 75',
        '~ low in.a: "rsi.value" → "spare.value"',
        '~ spare: type indicator.sma@1 → indicator.ema@1',
        '',
      ].join('\n'),
    );
    // the other way round, added and removed swap and every change reverses
    expect(diffPipelines(compilePipelineFile(B, registry), compilePipelineFile(A, registry)).map(formatChange)).toEqual([
      '+ extra (indicator.sma)',
      '- fast (indicator.ema)',
      '~ high.threshold: 75 → 70',
      '~ low in.a: "spare.value" → "rsi.value"',
      '~ spare: type indicator.ema@1 → indicator.sma@1',
    ]);
  });

  it.concurrent('prints the change list as valid JSON with --json, with both names and hashes', async () => {
    const r = await barflow(['diff', A, B, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(json).toEqual({ a: { name: 'small-a', hash: hashOf(A) }, b: { name: 'small-b', hash: hashOf(B) }, changes: EXPECTED });
    expect(diffPipelines(compilePipelineFile(A, registry), compilePipelineFile(B, registry))).toEqual(EXPECTED);
    const same = await barflow(['diff', A, A, '--json']);
    expect(same.code).toBe(0);
    expect(JSON.parse(same.stdout)).toEqual({ a: { name: 'small-a', hash: hashOf(A) }, b: { name: 'small-a', hash: hashOf(A) }, changes: [] });
  });

  it.concurrent('never reports comments, layout, number spelling or written-out defaults as differences', async () => {
    const cosmetic = canonicalCopy('diff-cosmetic', { text: COSMETIC_TEXT });
    const r = await barflow(['diff', CANONICAL, cosmetic]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`enygma and enygma are the same strategy (hash ${LOCK.hash.slice(0, 16)}…)\n`);
  });

  it('gives no differences and the same hash for any rewriting of a pipeline that keeps its meaning (property)', () => {
    type Param = { key: string; value: string | number; isDefault: boolean };
    type Node = { id: string; type: string; params: Param[]; in: [string, string | string[]][] };
    const nodes: Node[] = [
      { id: 'candles', type: 'feed.replay', params: [{ key: 'file', value: 'small.csv', isDefault: false }, { key: 'timeframe', value: '5m', isDefault: false }, { key: 'symbol', value: 'ETHUSDTM', isDefault: true }], in: [] },
      { id: 'rsi', type: 'indicator.rsi', params: [{ key: 'period', value: 14, isDefault: true }], in: [['source', 'candles.close']] },
      { id: 'low', type: 'signal.compare', params: [{ key: 'op', value: '<', isDefault: false }, { key: 'threshold', value: 30, isDefault: false }], in: [['a', 'rsi.value']] },
      { id: 'high', type: 'signal.compare', params: [{ key: 'op', value: '>', isDefault: true }, { key: 'threshold', value: 70, isDefault: false }], in: [['a', 'rsi.value']] },
      { id: 'entry', type: 'signal.entry', params: [{ key: 'reason', value: 'rsi-extreme', isDefault: false }], in: [['long', 'low.value'], ['short', 'high.value']] },
      { id: 'account', type: 'account.state', params: [], in: [] },
      {
        id: 'risk',
        type: 'risk.bracket',
        params: [{ key: 'leverage', value: 5, isDefault: true }, { key: 'marginPct', value: 0.05, isDefault: false }, { key: 'stopLoss', value: 6, isDefault: true }, { key: 'takeProfit', value: 10, isDefault: false }],
        in: [['intent', 'entry.intent'], ['account', 'account.account'], ['price', 'candles.close']],
      },
      { id: 'executor', type: 'executor.paper', params: [{ key: 'initialEquity', value: 10000, isDefault: true }, { key: 'takerFee', value: 0.0006, isDefault: true }], in: [['orders', ['risk.order']]] },
    ];
    const scalar = (v: string | number, style: number): string => {
      if (typeof v === 'number') return [String(v), v.toExponential(), Number.isInteger(v) ? `${v}.0` : `${v}0`, `+${v}`][style % 4]!;
      return [JSON.stringify(v), `'${v}'`, /^[a-z0-9.-]+$/i.test(v) ? v : JSON.stringify(v)][style % 3]!;
    };
    const render = (name: string, order: number[], styles: { block: boolean; comment: boolean; writeDefaults: boolean; spelling: number }[]): string => {
      const out = [`pipeline: ${name}`, `description: a rewriting (${name})`, 'nodes:'];
      order.forEach((k, i) => {
        const node = nodes[k]!;
        const s = styles[i % styles.length]!;
        const params = node.params.filter((p) => !p.isDefault || s.writeDefaults);
        if (s.comment) out.push(`  # ${node.id}: a note`);
        out.push(`  ${node.id}:`, `    type: ${node.type}`);
        if (params.length > 0) {
          if (s.block) out.push('    params:', ...[...params].reverse().map((p) => `      ${p.key}: ${scalar(p.value, s.spelling)}${s.comment ? ' # why' : ''}`));
          else out.push(`    params: { ${params.map((p) => `${p.key}: ${scalar(p.value, s.spelling)}`).join(', ')} }`);
        }
        if (node.in.length > 0) {
          if (s.block) out.push('    in:', ...node.in.flatMap(([port, ref]) => (Array.isArray(ref) ? [`      ${port}:`, ...ref.map((r) => `        - ${r}`)] : [`      ${port}: ${ref}`])));
          else out.push(`    in: { ${node.in.map(([port, ref]) => `${port}: ${Array.isArray(ref) ? `[${ref.join(', ')}]` : ref}`).join(', ')} }`);
        }
        if (s.comment) out.push('');
      });
      return out.join('\n') + '\n';
    };
    const identity = nodes.map((_, k) => k);
    const base = compilePipelineText(render('base', identity, [{ block: false, comment: false, writeDefaults: true, spelling: 0 }]), join(dir, 'base.yaml'), registry);
    const style = fc.record({ block: fc.boolean(), comment: fc.boolean(), writeDefaults: fc.boolean(), spelling: fc.nat(11) });
    fc.assert(
      fc.property(fc.shuffledSubarray(identity, { minLength: nodes.length }), fc.array(style, { minLength: 1, maxLength: nodes.length }), fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/), (order, styles, name) => {
        const plan = compilePipelineText(render(name, order, styles), join(dir, `${name}.yaml`), registry);
        expect(diffPipelines(base, plan)).toEqual([]);
        expect(pipelineHash(plan)).toBe(pipelineHash(base));
      }),
      { numRuns: 60 },
    );
  });

  it.concurrent('prints the usage and exits 2 without two pipelines', async () => {
    const r = await barflow(['diff', CANONICAL]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('usage: barflow diff <a.yaml> <b.yaml> [--json]\n');
  });
});

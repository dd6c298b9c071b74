/**
 * `barflow lock`, `fork` and `diff` on the canonical pipeline, through the real command. Every
 * case works on copies in a temp folder (the canonical folder copied at the same depth beside a
 * link to data/, so the relative feed path and the lock's hash stay valid): nothing in the
 * repository is written. Runs are cut short with --to; golden backtests run on 3000 bars.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, type Dirent } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import fc from 'fast-check';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { BarflowError } from '../../engine/core/errors.ts';
import { compilePipelineFile, compilePipelineText } from '../../engine/pipeline/compile.ts';
import { diffPipelines, formatChange, type PipelineChange } from '../../engine/pipeline/diff.ts';
import { forkPipeline, forksDirFor } from '../../engine/pipeline/fork.ts';
import { readLock, type PipelineLock } from '../../engine/pipeline/lock.ts';
import { pipelineHash } from '../../engine/pipeline/normalise.ts';
import { loadPipelineData, resolveFromPipeline } from '../../engine/run/backtest.ts';
import { registry } from '../../nodes/index.ts';
import { barflow, ethCsvHead, workspace, writeFile } from '../support/cli.ts';
import { ETH_5M, ROOT } from '../support/shipped.ts';

const root = workspace('barflow-lock-fork-diff-');
afterAll(() => rmSync(root, { recursive: true, force: true }));

const CANONICAL = join(ROOT, 'pipelines', 'canonical', 'enygma.yaml');
const CANONICAL_TEXT = readFileSync(CANONICAL, 'utf8');
const LOCK_TEXT = readFileSync(join(ROOT, 'pipelines', 'canonical', 'enygma.lock.json'), 'utf8');
const LOCK = JSON.parse(LOCK_TEXT) as PipelineLock;
const SHORT = ['--to', '2020-12-05'];
const FEED_LINE = '    params: { file: ../../data/ethusdt-binance-spot-5m.csv.gz, symbol: ETHUSDTM, timeframe: 5m }\n';

/** `text` with the one occurrence of `from` replaced (fails loudly if it is not there exactly once). */
function edit(text: string, from: string, to: string): string {
  const at = text.indexOf(from);
  if (at < 0 || text.indexOf(from, at + 1) >= 0) throw new Error(`expected exactly one ${JSON.stringify(from)}`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}

const sizePct3 = (text: string) => edit(text, '      sizePct: 2\n', '      sizePct: 3\n');

/**
 * The canonical pipeline with only comments, layout, number spelling and written-out defaults
 * changed: it means the same strategy, so its normalised hash is the locked one.
 */
const COSMETIC_TEXT = (() => {
  let text = '# a reviewed copy: comments, layout and defaults only\n\n' + CANONICAL_TEXT;
  text = edit(text, '      sizePct: 2\n', '      sizePct: 2.0 # percent of equity per trade\n');
  // block style, keys reordered, quoted, and the default symbol left out
  text = edit(text, FEED_LINE, '    params:\n      timeframe: "5m"\n      # the embedded data\n      file: \'../../data/ethusdt-binance-spot-5m.csv.gz\'\n');
  // every executor param equals its default: leave them all out
  text = text.slice(0, text.indexOf('  executor:\n')) + '  executor:\n    type: executor.paper\n    in:\n      orders:\n        - risk.order\n';
  // a sub-graph instance param equal to the sub-graph's default
  text = edit(text, '      timeframe: 4hour\n      rsiPeriod: 14\n', '      timeframe: 4hour\n');
  return text;
})();

/**
 * `<root>/<label>/pipelines/canonical/enygma.yaml` (and its lock unless `lock` is false) beside
 * `<root>/<label>/data`, a link to the repository's data: the same depth as the shipped folder.
 */
function canonicalCopy(label: string, options: { text?: string; lock?: string | false } = {}): string {
  const base = join(root, label);
  const folder = join(base, 'pipelines', 'canonical');
  mkdirSync(folder, { recursive: true });
  symlinkSync(join(ROOT, 'data'), join(base, 'data'), 'dir');
  const file = writeFile(folder, 'enygma.yaml', options.text ?? CANONICAL_TEXT);
  if (options.lock !== false) writeFile(folder, 'enygma.lock.json', options.lock ?? LOCK_TEXT);
  return file;
}

const hashOf = (file: string) => pipelineHash(compilePipelineFile(file, registry));
const summaryIn = (out: string) => JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as Record<string, unknown>;
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Every file under `dir`, relative to it. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as Dirent[])
    .filter((e) => e.isFile() || e.isSymbolicLink())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

describe('running a locked pipeline', () => {
  it.concurrent('runs an unchanged copy of the canonical pipeline, reporting the locked hash', async () => {
    const file = canonicalCopy('unchanged');
    const out = join(root, 'out-unchanged');
    const r = await barflow(['run', file, ...SHORT, '--out', out, '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const s = summaryIn(out);
    expect(s['pipelineHash']).toBe(LOCK.hash);
    expect(s['dataSha256']).toBe(LOCK.golden.dataSha256);
    expect(s['to']).toBe('2020-12-05T00:00:00Z');
  });

  it.concurrent('refuses a copy with one param changed, naming the lock file, both hashes and the fork command', async () => {
    const file = canonicalCopy('changed', { text: sizePct3(CANONICAL_TEXT) });
    const out = join(root, 'out-changed');
    const r = await barflow(['run', file, ...SHORT, '--out', out, '--quiet']);
    expect(r.code).toBe(1);
    const hash = hashOf(file);
    expect(hash).not.toBe(LOCK.hash);
    expect(r.stderr).toBe(
      `error: ${file}: enygma is locked and no longer matches enygma.lock.json: ` +
        `graph hash ${hash.slice(0, 12)}… differs from the locked ${LOCK.hash.slice(0, 12)}… (a node, param or wire changed). ` +
        `Locked pipelines are not edited: fork it (barflow fork ${file} <name>) and change the fork, or restore the original file. [pipeline.locked]\n`,
    );
    expect(existsSync(out)).toBe(false);
  });

  it.concurrent('runs a copy whose comments, layout, number spelling and written-out defaults changed: its normalised hash is the locked one', async () => {
    const file = canonicalCopy('cosmetic', { text: COSMETIC_TEXT });
    expect(readFileSync(file, 'utf8')).not.toBe(CANONICAL_TEXT);
    expect(hashOf(file)).toBe(LOCK.hash);
    const out = join(root, 'out-cosmetic');
    const r = await barflow(['run', file, ...SHORT, '--out', out, '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(summaryIn(out)['pipelineHash']).toBe(LOCK.hash);
  });

  it.concurrent('refuses --set on a locked pipeline and points at fork', async () => {
    const file = canonicalCopy('set');
    const out = join(root, 'out-set');
    const r = await barflow(['run', file, ...SHORT, '--out', out, '--quiet', '--set', 'risk.sizePct=3']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`error: ${file}: enygma is locked: --set cannot change it. Fork it first: barflow fork ${file} <name> [run.locked]\n`);
    expect(existsSync(out)).toBe(false);
  });

  it.concurrent('refuses a locked pipeline whose lock file is missing', async () => {
    const file = canonicalCopy('no-lock', { lock: false });
    const out = join(root, 'out-no-lock');
    const r = await barflow(['run', file, ...SHORT, '--out', out, '--quiet']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^error: ${escape(file)}: enygma is locked and no longer matches enygma\\.lock\\.json: no lock file\\. .*\\(barflow fork ${escape(file)} <name>\\).*\\[pipeline\\.locked\\]\\n$`));
    expect(existsSync(out)).toBe(false);
  });

  it.concurrent('refuses a lock file that is JSON but not a lock with a message, not a stack trace', async () => {
    const file = canonicalCopy('not-a-lock', { lock: JSON.stringify({ pipeline: 'enygma', golden: {} }) });
    const lockFile = join(dirname(file), 'enygma.lock.json');
    const run = await barflow(['run', file, ...SHORT, '--out', join(root, 'out-not-a-lock'), '--quiet']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`error: ${lockFile}: not a pipeline lock: "hash" must be text [lock.read]\n`);
    // `lock --verify` reads it the same way
    const lock = { ...LOCK, golden: { ...LOCK.golden } } as Record<string, unknown>;
    writeFileSync(lockFile, JSON.stringify({ ...lock, nodeVersions: { 'feed.replay': '1' } }));
    expect(() => readLock(lockFile)).toThrow('not a pipeline lock: "nodeVersions" must map node types to version numbers');
    writeFileSync(lockFile, JSON.stringify({ ...lock, golden: { ...LOCK.golden, fills: '284' } }));
    expect(() => readLock(lockFile)).toThrow('not a pipeline lock: "golden.fills" must be a number');
    writeFileSync(lockFile, '[]');
    expect(() => readLock(lockFile)).toThrow('not a pipeline lock: expected a JSON object');
    writeFileSync(lockFile, LOCK_TEXT);
    expect(readLock(lockFile)).toEqual(LOCK);
  });
});

describe('barflow lock', () => {
  it.concurrent('--verify exits 1 on a changed copy and prints what differs; node and engine version drift and a missing lock are named too', async () => {
    const changed = canonicalCopy('verify-changed', { text: sizePct3(CANONICAL_TEXT) });
    const drifted = canonicalCopy('verify-drifted', { lock: JSON.stringify({ ...LOCK, engineVersion: '0.9.0', nodeVersions: { ...LOCK.nodeVersions, 'enygma.risk': 2 } }) });
    const missing = canonicalCopy('verify-missing', { lock: false });
    const r = await barflow(['lock', '--verify', changed, drifted, missing], { cwd: root });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      [
        'FAILED: verify-changed/pipelines/canonical/enygma.yaml',
        `  - graph hash ${hashOf(changed).slice(0, 12)}… differs from the locked ${LOCK.hash.slice(0, 12)}… (a node, param or wire changed)`,
        'FAILED: verify-drifted/pipelines/canonical/enygma.yaml',
        '  - engine version 1.0.0 differs from the locked 0.9.0',
        '  - node type enygma.risk: version 1 differs from the locked 2',
        'FAILED: verify-missing/pipelines/canonical/enygma.yaml',
        '  - no lock file',
        '',
      ].join('\n'),
    );
  });

  it.concurrent('--write records a lock that --verify accepts, and --verify names the golden backtest when its fills hash or its data was tampered with', async () => {
    // the canonical pipeline on the first 3000 ETH 5m bars: a golden run of a second, with trades
    const dir = join(root, 'golden');
    mkdirSync(dir);
    writeFile(dir, 'golden.csv', ethCsvHead(3000));
    const file = writeFile(dir, 'enygma.yaml', edit(CANONICAL_TEXT, FEED_LINE, '    params: { file: golden.csv, symbol: ETHUSDTM, timeframe: 5m }\n'));
    const lockFile = join(dir, 'enygma.lock.json');

    const write = await barflow(['lock', '--write', file], { cwd: root });
    expect(write.stderr).toBe('');
    expect(write.code).toBe(0);
    const lock = JSON.parse(readFileSync(lockFile, 'utf8')) as PipelineLock;
    expect(write.stdout).toBe(`wrote ${lockFile}: hash ${lock.hash}, golden ${lock.golden.trades} trades, fills ${lock.golden.fillsSha256.slice(0, 16)}…\n`);
    expect(lock.pipeline).toBe('enygma');
    expect(lock.hash).toBe(hashOf(file));
    expect(lock.engineVersion).toBe(LOCK.engineVersion);
    expect(lock.nodeVersions).toEqual(LOCK.nodeVersions);
    expect(lock.golden.data).toBe('golden.csv');
    expect(lock.golden.trades).toBeGreaterThan(0);
    expect(lock.golden.fills).toBeGreaterThanOrEqual(lock.golden.trades * 2);

    // an unchanged pipeline and a changed one in one call: one ok line, one FAILED, exit 1
    const changed = canonicalCopy('verify-pair', { text: sizePct3(CANONICAL_TEXT) });
    const both = await barflow(['lock', '--verify', file, changed], { cwd: root });
    expect(both.code).toBe(1);
    expect(both.stderr).toBe('');
    expect(both.stdout).toMatch(new RegExp(`^ok: golden/enygma\\.yaml matches its lock \\(hash ${lock.hash.slice(0, 16)}…, golden ${lock.golden.trades} trades\\)\\nFAILED: verify-pair/pipelines/canonical/enygma\\.yaml\\n  - graph hash `));
    const ok = await barflow(['lock', '--verify', file], { cwd: root });
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toBe(`ok: golden/enygma.yaml matches its lock (hash ${lock.hash.slice(0, 16)}…, golden ${lock.golden.trades} trades)\n`);

    // a tampered fills hash: the graph still matches, so the golden backtest runs and disagrees
    writeFileSync(lockFile, JSON.stringify({ ...lock, golden: { ...lock.golden, fillsSha256: '0'.repeat(64) } }, null, 2));
    const tampered = await barflow(['lock', '--verify', file], { cwd: root });
    expect(tampered.code).toBe(1);
    expect(tampered.stdout).toBe(
      `FAILED: golden/enygma.yaml\n  - golden backtest changed: fills sha256 ${lock.golden.fillsSha256.slice(0, 12)}… (${lock.golden.fills} fills, ${lock.golden.trades} trades, net ${lock.golden.netPnl}) ` +
        `vs locked 000000000000… (${lock.golden.fills} fills, ${lock.golden.trades} trades, net ${lock.golden.netPnl})\n`,
    );

    // the golden data changed under the lock (its last bar dropped)
    writeFileSync(lockFile, JSON.stringify(lock, null, 2));
    writeFile(dir, 'golden.csv', ethCsvHead(2999));
    const data = await barflow(['lock', '--verify', file], { cwd: root });
    expect(data.code).toBe(1);
    expect(data.stdout).toMatch(new RegExp(`^FAILED: golden/enygma\\.yaml\\n  - golden data golden\\.csv changed \\(sha256 [0-9a-f]{12}…, locked ${lock.golden.dataSha256.slice(0, 12)}…\\)\\n`));
  });

  it.concurrent('prints the usage and exits 2 without exactly one of --verify and --write', async () => {
    const r = await barflow(['lock', '--verify', '--write']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('usage: barflow lock --verify [<pipeline.yaml> ...] | barflow lock --write <pipeline.yaml>\n');
  });
});

describe('barflow fork', () => {
  it.concurrent('writes an editable copy named <name>.yaml into --dir: new name, no `locked`, forkedFrom the lock, comments kept, data path rewritten', async () => {
    const dir = join(root, 'forks');
    const r = await barflow(['fork', 'pipelines/canonical/enygma.yaml', 'wide', '--dir', dir]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const file = join(dir, 'wide.yaml');
    expect(r.stdout).toBe(`forked enygma (${LOCK.hash.slice(0, 16)}…) to ${relative(ROOT, file)}; it is editable and runnable\n`);
    expect(readdirSync(dir)).toEqual(['wide.yaml']);
    const text = readFileSync(file, 'utf8');
    const yaml = parse(text) as Record<string, unknown>;
    expect(yaml['pipeline']).toBe('wide');
    expect(yaml).not.toHaveProperty('locked');
    expect(yaml['forkedFrom']).toEqual({ name: 'enygma', hash: LOCK.hash });
    expect(text).toContain('forkedFrom: { name: enygma, hash: ' + LOCK.hash + ' }');
    for (const comment of ['# ENYGMA v5.2.6 — the canonical locked pipeline', '      # §2.2 — the per-timeframe parameters', '      # §2.1 — which indicators are enabled on this timeframe']) {
      expect(text).toContain(comment);
    }
    const plan = compilePipelineFile(file, registry);
    expect(plan.locked).toBe(false);
    expect(plan.forkedFrom).toEqual({ name: 'enygma', hash: LOCK.hash });
    const feedFile = (plan.nodes[plan.candleSource]!.params as { file: string }).file;
    expect(feedFile).toBe(relative(dir, ETH_5M));
    expect(resolveFromPipeline(plan, feedFile)).toBe(ETH_5M);
    // nothing in the repository moved
    expect(readFileSync(CANONICAL, 'utf8')).toBe(CANONICAL_TEXT);
  });

  it.concurrent('rewrites the data path for a relative --dir at another depth, so the fork runs from its own folder', async () => {
    const r = await barflow(['fork', CANONICAL, 'deep', '--dir', join('a', 'b', 'c', 'd')], { cwd: root });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const file = join(root, 'a', 'b', 'c', 'd', 'deep.yaml');
    expect(r.stdout).toBe(`forked enygma (${LOCK.hash.slice(0, 16)}…) to a/b/c/d/deep.yaml; it is editable and runnable\n`);
    expect(readFileSync(file, 'utf8')).toContain(`file: ${relative(dirname(file), ETH_5M)},`);
    const out = join(root, 'out-deep');
    const run = await barflow(['run', file, ...SHORT, '--out', out, '--quiet'], { cwd: ROOT });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const s = summaryIn(out);
    expect(s['pipeline']).toBe('deep');
    expect(s['dataSha256']).toBe(LOCK.golden.dataSha256);
  });

  it.concurrent('refuses a fork name with a slash, dots, capitals or nothing at all, and writes nothing', async () => {
    const base = join(root, 'names');
    mkdirSync(base);
    const dir = join(base, 'forks');
    const message = (name: string) => `fork name ${JSON.stringify(name)} must be lowercase letters, digits, "-" or "_" (at most 64, no slashes or dots)`;
    const names = ['../x', ''];
    const runs = await Promise.all(names.map((name) => barflow(['fork', CANONICAL, name, '--dir', dir])));
    runs.forEach((r, k) => {
      expect(r.code, names[k]).toBe(1);
      expect(r.stderr, names[k]).toBe(`error: field "name": ${message(names[k]!)} [fork.name]\n`);
    });
    for (const name of ['../x', 'a/b', 'Upper', '', '.hidden', 'a.b', 'x'.repeat(65), 'x\ny', '-'.repeat(3)]) {
      let thrown: unknown;
      try {
        forkPipeline(CANONICAL, name, registry, { dir });
      } catch (error) {
        thrown = error;
      }
      expect(thrown, name).toBeInstanceOf(BarflowError);
      expect((thrown as BarflowError).code, name).toBe('fork.name');
      expect((thrown as BarflowError).message, name).toBe(message(name));
    }
    expect(filesUnder(base)).toEqual([]);
  });

  it.concurrent('refuses to replace an existing fork without --force, and replaces it with --force', async () => {
    const dir = join(root, 'twice');
    const { file } = forkPipeline(CANONICAL, 'again', registry, { dir });
    const forked = readFileSync(file, 'utf8');
    writeFileSync(file, '# my edits\n');
    const second = await barflow(['fork', CANONICAL, 'again', '--dir', dir]);
    expect(second.code).toBe(1);
    expect(second.stderr).toBe(`error: ${file}: ${file} already exists; choose another name or pass --force to replace it [fork.exists]\n`);
    expect(readFileSync(file, 'utf8')).toBe('# my edits\n');
    const forced = await barflow(['fork', CANONICAL, 'again', '--dir', dir, '--force']);
    expect(forced.stderr).toBe('');
    expect(forced.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(forked);
  });

  it.concurrent('forks into pipelines/forks beside the canonical folder by default; the fork is editable, runs, and reports its own hash', async () => {
    const source = canonicalCopy('editable');
    const r = await barflow(['fork', source, 'tuned'], { cwd: join(root, 'editable') });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const file = join(root, 'editable', 'pipelines', 'forks', 'tuned.yaml');
    expect(r.stdout).toBe(`forked enygma (${LOCK.hash.slice(0, 16)}…) to pipelines/forks/tuned.yaml; it is editable and runnable\n`);
    // same depth: the data path is unchanged and so is the hash
    expect(hashOf(file)).toBe(LOCK.hash);
    writeFileSync(file, sizePct3(readFileSync(file, 'utf8')));
    const hash = hashOf(file);
    expect(hash).not.toBe(LOCK.hash);

    const out = join(root, 'out-tuned');
    const run = await barflow(['run', file, ...SHORT, '--out', out, '--quiet']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(summaryIn(out)['pipelineHash']).toBe(hash);
    expect(summaryIn(out)['pipeline']).toBe('tuned');
  });

  it.concurrent('prints the usage and exits 2 without a pipeline and a name', async () => {
    const r = await barflow(['fork', CANONICAL]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('usage: barflow fork <pipeline.yaml> <name> [--dir <folder>] [--force]\n');
  });

  it('forkPipeline() writes to forksDirFor(): pipelines/forks next to the pipeline\'s folder, and an unchanged fork hashes like its origin', () => {
    const source = canonicalCopy('direct');
    const forks = join(root, 'direct', 'pipelines', 'forks');
    expect(forksDirFor(source)).toBe(forks);
    expect(forksDirFor(CANONICAL)).toBe(join(ROOT, 'pipelines', 'forks'));
    expect(existsSync(forks)).toBe(false);
    const result = forkPipeline(source, 'mine', registry);
    expect(result).toEqual({ file: join(forks, 'mine.yaml'), name: 'mine', forkedFrom: { name: 'enygma', hash: LOCK.hash } });
    expect(readdirSync(forks)).toEqual(['mine.yaml']);
    const text = readFileSync(result.file, 'utf8');
    expect(text).toContain(FEED_LINE);
    const plan = compilePipelineFile(result.file, registry);
    expect(plan.name).toBe('mine');
    expect(pipelineHash(plan)).toBe(LOCK.hash);
    expect(diffPipelines(compilePipelineFile(CANONICAL, registry), plan)).toEqual([]);
    // a fork of a fork names the fork it came from
    const again = forkPipeline(result.file, 'mine-2', registry);
    expect(again.file).toBe(join(forks, 'mine-2.yaml'));
    expect(again.forkedFrom).toEqual({ name: 'mine', hash: LOCK.hash });
  });

  it('rewrites a data path written on a sub-graph instance, in a sub-graph default or inside a sub-graph, so forks at another depth read the same file', () => {
    const dir = join(root, 'subgraph-paths');
    mkdirSync(dir);
    cpSync(join(root, 'small.csv'), join(dir, 'small.csv'));
    const sources = {
      instance: ['subgraphs:', '  source:', '    params: { file: ~ }', '    outputs: { close: feed.close }', '    nodes:', '      feed: { type: feed.replay, params: { file: $file, timeframe: 5m } }', 'nodes:', '  src: { use: source, params: { file: small.csv } }'],
      default: ['subgraphs:', '  source:', '    params: { file: small.csv }', '    outputs: { close: feed.close }', '    nodes:', '      feed: { type: feed.replay, params: { file: $file, timeframe: 5m } }', 'nodes:', '  src: { use: source }'],
      literal: ['subgraphs:', '  source:', '    outputs: { close: feed.close }', '    nodes:', '      feed: { type: feed.replay, params: { file: small.csv, timeframe: 5m } }', 'nodes:', '  src: { use: source }'],
    };
    for (const [kind, lines] of Object.entries(sources)) {
      const file = writeFile(dir, `${kind}.yaml`, [`pipeline: ${kind}`, ...lines, '  rsi: { type: indicator.rsi, in: { source: src.close } }', ''].join('\n'));
      const original = compilePipelineFile(file, registry);
      const feedOf = (plan: typeof original) => resolveFromPipeline(plan, (plan.nodes[plan.candleSource]!.params as { file: string }).file);
      expect(feedOf(original), kind).toBe(join(dir, 'small.csv'));
      const fork = forkPipeline(file, `${kind}-fork`, registry, { dir: join(dir, 'x', 'y') });
      const plan = compilePipelineFile(fork.file, registry);
      expect(feedOf(plan), kind).toBe(join(dir, 'small.csv'));
      expect(loadPipelineData(plan).length, kind).toBe(3000);
    }
  });
});

describe('barflow diff', () => {
  /** A small pipeline (compiled only, never run) and the variants the structural cases need. */
  const SMALL = [
    'pipeline: small-a',
    'nodes:',
    '  candles:',
    '    type: feed.replay',
    '    params: { file: small.csv, timeframe: 5m }',
    '  rsi:',
    '    type: indicator.rsi',
    '    params: { period: 14 }',
    '    in: { source: candles.close }',
    '  spare:',
    '    type: indicator.sma',
    '    params: { period: 20 }',
    '    in: { source: candles.close }',
    '  extra:',
    '    type: indicator.sma',
    '    params: { period: 50 }',
    '    in: { source: candles.close }',
    '  low:',
    '    type: signal.compare',
    "    params: { op: '<', threshold: 30 }",
    '    in: { a: rsi.value }',
    '  high:',
    '    type: signal.compare',
    "    params: { op: '>', threshold: 70 }",
    '    in: { a: rsi.value }',
    '  entry:',
    '    type: signal.entry',
    '    params: { reason: rsi-extreme }',
    '    in: { long: low.value, short: high.value }',
    '  account:',
    '    type: account.state',
    '  risk:',
    '    type: risk.bracket',
    '    params: { leverage: 5, marginPct: 0.05, stopLoss: 5, takeProfit: 10 }',
    '    in: { intent: entry.intent, account: account.account, price: candles.close }',
    '  executor:',
    '    type: executor.paper',
    '    in: { orders: [risk.order] }',
    '',
  ].join('\n');
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

/**
 * `barflow fork` (and forkPipeline) on the canonical pipeline and copies of it
 * (tests/support/canonical.ts) in a temp folder, through the real command: nothing in the
 * repository is written. Runs of the forks are cut short with --to.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, type Dirent } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { BarflowError } from '../../engine/core/errors.ts';
import { compilePipelineFile } from '../../engine/pipeline/compile.ts';
import { diffPipelines } from '../../engine/pipeline/diff.ts';
import { forkPipeline, forksDirFor } from '../../engine/pipeline/fork.ts';
import { pipelineHash } from '../../engine/pipeline/normalise.ts';
import { loadPipelineData, resolveFromPipeline } from '../../engine/run/backtest.ts';
import { registry } from '../../nodes/index.ts';
import { CANONICAL, CANONICAL_TEXT, FEED_LINE, LOCK, SHORT, canonicalCopyIn, hashOf, sizePct3 } from '../support/canonical.ts';
import { barflow, readSummary, workspace, writeFile } from '../support/cli.ts';
import { ETH_5M, ROOT } from '../support/shipped.ts';

const root = workspace('barflow-fork-');
afterAll(() => rmSync(root, { recursive: true, force: true }));
const canonicalCopy = (label: string, options?: Parameters<typeof canonicalCopyIn>[2]) => canonicalCopyIn(root, label, options);

/** Every file under `dir`, relative to it. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as Dirent[])
    .filter((e) => e.isFile() || e.isSymbolicLink())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

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
    const s = readSummary(out);
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
    expect(readSummary(out)['pipelineHash']).toBe(hash);
    expect(readSummary(out)['pipeline']).toBe('tuned');
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

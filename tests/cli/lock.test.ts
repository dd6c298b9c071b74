/**
 * `barflow run` on a locked pipeline, and `barflow lock`, on copies of the canonical pipeline
 * (tests/support/canonical.ts) in a temp folder, through the real command: nothing in the
 * repository is written. Runs are cut short with --to; the golden backtest runs on 3000 bars.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readLock, type PipelineLock } from '../../engine/pipeline/lock.ts';
import { CANONICAL_TEXT, COSMETIC_TEXT, FEED_LINE, LOCK, LOCK_TEXT, SHORT, canonicalCopyIn, edit, hashOf, sizePct3 } from '../support/canonical.ts';
import { barflow, escapeRegExp, ethCsvHead, readSummary, workspace, writeFile } from '../support/cli.ts';

const root = workspace('barflow-lock-');
afterAll(() => rmSync(root, { recursive: true, force: true }));
const canonicalCopy = (label: string, options?: Parameters<typeof canonicalCopyIn>[2]) => canonicalCopyIn(root, label, options);

describe('running a locked pipeline', () => {
  it.concurrent('runs an unchanged copy of the canonical pipeline, reporting the locked hash', async () => {
    const file = canonicalCopy('unchanged');
    const out = join(root, 'out-unchanged');
    const r = await barflow(['run', file, ...SHORT, '--out', out, '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const s = readSummary(out);
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
    expect(readSummary(out)['pipelineHash']).toBe(LOCK.hash);
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
    expect(r.stderr).toMatch(new RegExp(`^error: ${escapeRegExp(file)}: enygma is locked and no longer matches enygma\\.lock\\.json: no lock file\\. .*\\(barflow fork ${escapeRegExp(file)} <name>\\).*\\[pipeline\\.locked\\]\\n$`));
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

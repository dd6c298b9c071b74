/**
 * The shipped canonical pipeline against its lock: the normalised graph's hash, every node type's
 * version and the engine version match enygma.lock.json, and the golden backtest — re-run here on
 * all 65k bars of the embedded ETH 5m data — reproduces the locked fills hash, counts and money to
 * the last digit. A change that moves any of them fails here until someone writes a new lock.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildLock, goldenProblems, lockPathFor, readLock, staticLockProblems, type GoldenResult, type PipelineLock } from '../../engine/pipeline/lock.ts';
import { pipelineHash } from '../../engine/pipeline/normalise.ts';
import { pipelineDir, resolveFromPipeline } from '../../engine/run/backtest.ts';
import { runGolden } from '../../engine/run/golden.ts';
import { ENGINE_VERSION } from '../../engine/version.ts';
import { registry } from '../../nodes/index.ts';
import { barflow } from '../support/cli.ts';
import { compileShipped, ETH_5M, ROOT } from '../support/shipped.ts';

const FILE = join(ROOT, 'pipelines', 'canonical', 'enygma.yaml');
const LOCK_FILE = join(ROOT, 'pipelines', 'canonical', 'enygma.lock.json');
const plan = compileShipped(FILE);
const lock = readLock(LOCK_FILE) as PipelineLock;
const GOLDEN_FIELDS = ['data', 'dataSha256', 'fillsSha256', 'fills', 'trades', 'netPnl', 'finalEquity'] as const;

describe('the canonical pipeline and its lock', () => {
  it('is marked locked, has 177 nodes, and its lock sits beside it under its own name', () => {
    expect(plan.name).toBe('enygma');
    expect(plan.locked).toBe(true);
    expect(plan.nodes).toHaveLength(177);
    expect(lockPathFor(FILE)).toBe(LOCK_FILE);
    expect(lock).not.toBeNull();
    expect(lock.pipeline).toBe(plan.name);
  });

  it('matches its lock exactly: no graph, node-version or engine-version problems', () => {
    expect(staticLockProblems(plan, lock)).toEqual([]);
    expect(lock.hash).toBe(pipelineHash(plan));
  });

  it('lists in the lock every node type the pipeline uses, at its version, and nothing else', () => {
    const used = new Map(plan.nodes.map((n) => [n.def.type, n.def.version]));
    expect(Object.keys(lock.nodeVersions).sort()).toEqual([...used.keys()].sort());
    for (const [type, version] of Object.entries(lock.nodeVersions)) {
      expect(version, type).toBe(used.get(type));
      expect(version, type).toBe(registry.get(type)?.version);
    }
  });

  it('records the engine version this engine has', () => {
    expect(lock.engineVersion).toBe(ENGINE_VERSION);
  });

  it('locks the golden backtest on the embedded ETH 5m data, named relative to the pipeline file', () => {
    expect(lock.golden.data).toBe('../../data/ethusdt-binance-spot-5m.csv.gz');
    expect(resolve(pipelineDir(plan), lock.golden.data)).toBe(ETH_5M);
    expect(resolveFromPipeline(plan, (plan.nodes[plan.candleSource]!.params as { file: string }).file)).toBe(ETH_5M);
    expect(lock.golden.fillsSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(lock.golden.trades).toBeGreaterThan(0);
  });

  describe('fails on any drift', () => {
    it('names an engine version that differs from the locked one', () => {
      expect(staticLockProblems(plan, { ...lock, engineVersion: '0.0.1' })).toEqual([`engine version ${ENGINE_VERSION} differs from the locked 0.0.1`]);
    });

    it('names a node type whose version differs, one the lock lacks, and one the pipeline no longer uses', () => {
      const { ['enygma.scorer']: _scorer, ...withoutScorer } = lock.nodeVersions;
      const drifted = { ...withoutScorer, 'enygma.risk': 2, 'indicator.vwap': 1 };
      expect(staticLockProblems(plan, { ...lock, nodeVersions: drifted }).sort()).toEqual(
        [
          'node type enygma.risk: version 1 differs from the locked 2',
          'node type enygma.scorer: version 1 differs from the locked absent',
          'node type indicator.vwap: version absent differs from the locked 1',
        ].sort(),
      );
    });

    it('names a graph hash that differs, and a missing lock', () => {
      const problems = staticLockProblems(plan, { ...lock, hash: '0'.repeat(64) });
      expect(problems).toEqual([`graph hash ${lock.hash.slice(0, 12)}… differs from the locked 000000000000… (a node, param or wire changed)`]);
      expect(staticLockProblems(plan, null)).toEqual(['no lock file']);
    });

    it('names golden fills or golden data that differ from the locked ones', () => {
      expect(goldenProblems(lock.golden, lock.golden)).toEqual([]);
      const fills = goldenProblems(lock.golden, { ...lock.golden, fillsSha256: 'f'.repeat(64), trades: 117 });
      expect(fills).toHaveLength(2);
      expect(fills[0]).toBe('golden trades 117 differs from the locked 118');
      expect(fills[1]).toMatch(/^golden backtest changed: fills sha256 ffffffffffff… \(284 fills, 117 trades, net -243\.04688594\) vs locked be2ba18fcacb… \(284 fills, 118 trades/);
      const data = goldenProblems(lock.golden, { ...lock.golden, dataSha256: 'd'.repeat(64) });
      expect(data).toEqual([`golden data ${lock.golden.data} changed (sha256 dddddddddddd…, locked ${lock.golden.dataSha256.slice(0, 12)}…)`]);
    });
  });

  describe('golden stability (re-runs the full golden backtest)', () => {
    let golden: GoldenResult;
    beforeAll(() => {
      golden = runGolden(plan);
    });

    it('reproduces the locked golden result field by field', () => {
      for (const field of GOLDEN_FIELDS) expect(golden[field], `golden.${field}`).toBe(lock.golden[field]);
      expect(golden).toEqual(lock.golden);
      expect(goldenProblems(lock.golden, golden)).toEqual([]);
    });

    it('is byte for byte the lock file that `barflow lock --write` would write now', () => {
      expect(JSON.stringify(buildLock(plan, golden), null, 2) + '\n').toBe(readFileSync(LOCK_FILE, 'utf8'));
    });
  });

  it('passes `barflow lock --verify` with no file, as CI runs it, and exits 0', async () => {
    const r = await barflow(['lock', '--verify']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`ok: pipelines/canonical/enygma.yaml matches its lock (hash ${lock.hash.slice(0, 16)}…, golden ${lock.golden.trades} trades)\n`);
  });
});

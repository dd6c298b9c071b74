/**
 * `barflow sweep` end to end, through the real CLI (node bin/barflow.js), on the weighted-signals
 * example and the first 8000 ETH 5m bars: results.csv rows reproduce exactly with `barflow run
 * --set`, worker threads change nothing, the locked canonical pipeline is refused, and bad specs
 * fail before any run with the param and value named.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { barflow, ethCsvHead } from '../../tests/support/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'barflow-sweep-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const DATA = join(dir, 'eth-8000.csv');
writeFileSync(DATA, ethCsvHead(8000));
const PIPELINE = 'pipelines/examples/weighted-signals.yaml';
const PARAMS = ['--param', 'risk.stopLoss=4:8:2', '--param', 'bullish.threshold=0.5,0.6', '--param', 'ema_fast.period=10,12'];

/** results.csv as rows of cells (no cell here holds a comma) */
function readCsv(file: string): { header: string[]; rows: string[][] } {
  const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
  return { header: lines[0]!.split(','), rows: lines.slice(1).map((l) => l.split(',')) };
}

describe('barflow sweep', () => {
  const one = join(dir, 'w1');
  const two = join(dir, 'w2');
  let stdout1 = '';

  beforeAll(async () => {
    const [a, b] = await Promise.all([
      barflow(['sweep', PIPELINE, ...PARAMS, '--data', DATA, '--workers', '1', '--out', one], { timeoutMs: 120_000 }),
      barflow(['sweep', PIPELINE, ...PARAMS, '--data', DATA, '--workers', '2', '--out', two], { timeoutMs: 120_000 }),
    ]);
    expect(a.stderr).toBe('');
    expect(a.code).toBe(0);
    expect(b.stderr).toBe('');
    expect(b.code).toBe(0);
    stdout1 = a.stdout;
  }, 180_000);

  it('writes results.csv: each swept param, the summary metrics, objective and rank, best first', () => {
    const { header, rows } = readCsv(join(one, 'results.csv'));
    expect(header).toEqual(['risk.stopLoss', 'bullish.threshold', 'ema_fast.period', 'netPnl', 'returnPct', 'maxDrawdownPct', 'maxDrawdown', 'sharpe', 'trades', 'wins', 'losses', 'winRatePct', 'profitFactor', 'fees', 'funding', 'slippage', 'exposurePct', 'objective', 'rank', 'checked']);
    expect(rows).toHaveLength(12);
    expect(rows.map((r) => r[18])).toEqual(rows.map((_, i) => String(i + 1)));
    // a CPU sweep: every row is exact
    expect(rows.map((r) => r[19])).toEqual(rows.map(() => 'cpu'));
    const objectives = rows.map((r) => Number(r[17]));
    for (let i = 1; i < objectives.length; i++) expect(objectives[i]!).toBeLessThanOrEqual(objectives[i - 1]!);
    // objective is netReturn: the returnPct column
    expect(rows.map((r) => r[17])).toEqual(rows.map((r) => r[4]));
    const sets = new Set(rows.map((r) => r.slice(0, 3).join(' ')));
    expect(sets.size).toBe(12);
    for (const r of rows) {
      expect(['4', '6', '8']).toContain(r[0]);
      expect(['0.5', '0.6']).toContain(r[1]);
      expect(r[3]).toMatch(/^-?\d+\.\d{8}$/);
    }
  });

  it('gives identical results.csv with 1 and 2 workers', () => {
    expect(readFileSync(join(two, 'results.csv'), 'utf8')).toBe(readFileSync(join(one, 'results.csv'), 'utf8'));
    expect(JSON.parse(readFileSync(join(two, 'sweep.json'), 'utf8')).workers).toBe(2);
  });

  it('prints the top-10 table and the exact command for the best row; sweep.json records the inputs', () => {
    const { rows } = readCsv(join(one, 'results.csv'));
    expect(stdout1).toContain('weighted-signals: risk.stopLoss (3) × bullish.threshold (2) × ema_fast.period (2) — grid, objective netReturn, 1 worker');
    expect(stdout1).toMatch(/rank\s+risk\.stopLoss\s+bullish\.threshold\s+ema_fast\.period\s+netReturn\s+net PnL/);
    const tableRows = stdout1.split('\n').filter((l) => /^\s+\d+\s{2}/.test(l));
    expect(tableRows).toHaveLength(10);
    const best = rows[0]!;
    expect(stdout1).toContain(`best: barflow run ${PIPELINE} --data ${DATA} --set risk.stopLoss=${best[0]} --set bullish.threshold=${best[1]} --set ema_fast.period=${best[2]}`);
    const json = JSON.parse(readFileSync(join(one, 'sweep.json'), 'utf8'));
    expect(json).toMatchObject({ pipeline: 'weighted-signals', gridSize: 12, setsEvaluated: 12, workers: 1, kernels: 'cpu', spec: { method: 'grid', objective: 'netReturn', seed: 1 } });
    expect(json.pipelineHash).toMatch(/^[0-9a-f]{64}$/);
    expect(json.data.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(json.best.metrics.netPnl).toBe(best[3]);
    expect(json.timings.totalMs).toBeGreaterThan(0);
  });

  it('each row reproduces exactly with barflow run --set (best, middle and last rows)', async () => {
    const { rows } = readCsv(join(one, 'results.csv'));
    const picks = [rows[0]!, rows[5]!, rows[rows.length - 1]!];
    const runs = await Promise.all(
      picks.map((r, k) =>
        barflow(['run', PIPELINE, '--data', DATA, '--quiet', '--out', join(dir, `run-${k}`), '--set', `risk.stopLoss=${r[0]}`, '--set', `bullish.threshold=${r[1]}`, '--set', `ema_fast.period=${r[2]}`], { timeoutMs: 120_000 }),
      ),
    );
    picks.forEach((r, k) => {
      expect(runs[k]!.code).toBe(0);
      const summary = JSON.parse(readFileSync(join(dir, `run-${k}`, 'summary.json'), 'utf8'));
      expect(summary.netPnl).toBe(r[3]);
      expect([summary.returnPct, summary.maxDrawdownPct, summary.maxDrawdown, summary.trades, summary.fees].map(String)).toEqual([r[4], r[5], r[6], r[8], r[13]]);
    });
    // the three rows differ, so the comparison means something
    expect(new Set(picks.map((r) => r[3])).size).toBe(3);
  }, 180_000);

  it('refuses the locked canonical pipeline: only a fork may be swept', async () => {
    const r = await barflow(['sweep', 'pipelines/canonical/enygma.yaml', '--param', 'risk.sizePct=1,2', '--out', join(dir, 'locked')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error: pipelines/canonical/enygma.yaml: enygma is locked: a sweep cannot change it. Fork it first: barflow fork pipelines/canonical/enygma.yaml <name>, and sweep the fork [sweep.locked]\n');
    expect(existsSync(join(dir, 'locked'))).toBe(false);
  });

  it('fails before any run on an unknown node, param or an invalid value, naming them', async () => {
    const r = await barflow(['sweep', PIPELINE, '--param', 'risks.stopLoss=1,2', '--param', 'risk.stopLos=1', '--param', 'rsi.period=14,1', '--data', DATA, '--out', join(dir, 'bad')]);
    expect(r.code).toBe(1);
    expect(r.stderr.trimEnd().split('\n')).toEqual([
      'error: node "risks" param "stopLoss" field "--param": --param risks.stopLoss: weighted-signals has no node "risks" (did you mean "risk"?); `barflow validate` lists the graph, sub-graph nodes are named instance/node [sweep.unknown-node]',
      'error: node "risk" param "stopLos" field "--param": --param risk.stopLos: risk.bracket has no param "stopLos" (did you mean "stopLoss"?); known: leverage, marginPct, priceMode, stopLoss, takeProfit [sweep.unknown-param]',
      'error: node "rsi" param "period" field "--param": --param rsi.period: value 1 is not valid for indicator.rsi: below the minimum 2 [sweep.invalid-value]',
    ]);
    expect(existsSync(join(dir, 'bad'))).toBe(false);
    const usage = await barflow(['sweep', PIPELINE, '--params', 'x']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/Unknown option '--params'/);
  });

  it('runs a genetic search from a YAML spec, seeded and reproducible', async () => {
    const spec = join(dir, 'sweep.yaml');
    writeFileSync(spec, ['params:', '  risk.stopLoss: { from: 4, to: 12, step: 1 }', '  bullish.threshold: [0.4, 0.5, 0.6, 0.7]', 'method: genetic', 'objective: sharpe', 'seed: 5', 'population: 6', 'generations: 3', ''].join('\n'));
    const [a, b] = await Promise.all([0, 1].map((k) => barflow(['sweep', PIPELINE, '--spec', spec, '--data', DATA, '--quiet', '--workers', String(k + 1), '--out', join(dir, `genetic-${k}`)], { timeoutMs: 120_000 })));
    expect(a!.code).toBe(0);
    expect(b!.code).toBe(0);
    const csv = readFileSync(join(dir, 'genetic-0', 'results.csv'), 'utf8');
    expect(readFileSync(join(dir, 'genetic-1', 'results.csv'), 'utf8')).toBe(csv);
    const rows = csv.trimEnd().split('\n').length - 1;
    expect(rows).toBeGreaterThan(6);
    expect(rows).toBeLessThanOrEqual(18);
    expect(JSON.parse(readFileSync(join(dir, 'genetic-0', 'sweep.json'), 'utf8')).spec).toMatchObject({ method: 'genetic', objective: 'sharpe', seed: 5, genetic: { population: 6, generations: 3 } });
  }, 180_000);
});

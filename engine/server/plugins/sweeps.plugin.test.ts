/**
 * Sweeps by injection, on a temp copy of pipelines/ and 3000 uploaded ETH 5m bars: a sweep runs
 * only on a fork (canonical and examples are refused, pointing at fork), spec errors name the param,
 * a small grid runs to done in worker threads with rows that reproduce exactly with runBacktest, a
 * row opens as a new fork with its values written into the YAML (comments kept), one sweep runs at
 * a time and can be stopped, and every mutating route needs the token.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeHelp } from '../../../nodes/help.ts';
import { NODE_DEFINITIONS, registry } from '../../../nodes/index.ts';
import { parseCandlesCsv } from '../../data/candles-csv.ts';
import { compilePipelineText } from '../../pipeline/compile.ts';
import { parseOverride } from '../../pipeline/overrides.ts';
import { runBacktest } from '../../run/backtest.ts';
import { summarise } from '../../run/reports.ts';
import { buildApp } from '../app.ts';
import { serverOptions } from '../config.ts';
import type { PipelineSummary, SweepDetail, SweepStatus } from '../protocol/rest.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const TOKEN = 'sweeps-token-0123456789abcdef';
const AUTH = { authorization: `Bearer ${TOKEN}` };

const dir = mkdtempSync(join(tmpdir(), 'barflow-sweeps-'));
const pipelinesDir = join(dir, 'pipelines');
const uploadDir = join(dir, 'uploads');
const CSV = gunzipSync(readFileSync(join(ROOT, 'data/ethusdt-binance-spot-5m.csv.gz'))).toString('utf8').split('\n', 3001).join('\n') + '\n';
const FORK = 'sw';
let app: FastifyInstance;
let upload = '';

beforeAll(async () => {
  cpSync(join(ROOT, 'pipelines'), pipelinesDir, { recursive: true });
  symlinkSync(join(ROOT, 'data'), join(dir, 'data'));
  const options = { ...serverOptions({}, { BARFLOW_TOKEN: TOKEN }), pipelinesDir, uploadDir };
  ({ app } = await buildApp(options, { registry, definitions: NODE_DEFINITIONS, help: nodeHelp, logger: false, sweeps: { workers: 2 } }));
  await app.ready();
  const up = await app.inject({ method: 'POST', url: '/api/uploads?name=eth-3000.csv', headers: { ...AUTH, 'content-type': 'text/csv' }, payload: CSV });
  expect(up.statusCode, up.body).toBe(201);
  upload = (up.json() as { id: string }).id;
  const fork = await app.inject({ method: 'POST', url: '/api/pipelines/consensus/fork', headers: AUTH, payload: { name: FORK } });
  expect(fork.statusCode, fork.body).toBe(201);
});
afterAll(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function post(url: string, payload: unknown, headers: Record<string, string> = AUTH) {
  return app.inject({ method: 'POST', url, headers, payload: payload as Record<string, unknown> });
}

async function detail(id: string): Promise<SweepDetail> {
  const res = await app.inject({ url: `/api/sweeps/${id}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as SweepDetail;
}

async function until(id: string, done: (s: SweepDetail) => boolean, timeoutMs = 90_000): Promise<SweepDetail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = await detail(id);
    if (done(s)) return s;
    if (Date.now() > deadline) throw new Error(`sweep ${id} still ${s.state} at ${s.done}/${s.total} after ${timeoutMs} ms`);
    await sleep(50);
  }
}

/** The net PnL `barflow run --set …` gives for these values: a plain backtest, one set, no batch. */
function backtestPnl(file: string, sets: string[]): string {
  const plan = compilePipelineText(readFileSync(file, 'utf8'), file, registry, { overrides: sets.map(parseOverride) });
  return summarise(runBacktest(plan, parseCandlesCsv(CSV, 'eth-3000.csv'))).netPnl;
}

const GRID = { 'risk.stopLoss': { from: 0.97, to: 0.99, step: 0.01 }, 'risk.takeProfit': [1.02, 1.04] };

describe('only a fork is swept', () => {
  it('refuses the locked canonical and a shipped example with 409, saying to fork first', async () => {
    for (const [pipeline, what] of [
      ['enygma', /locked canonical/],
      ['consensus', /shipped example/],
    ] as const) {
      const res = await post('/api/sweeps', { pipeline, params: { 'risk.stopLoss': [0.97, 0.98] } });
      expect(res.statusCode, res.body).toBe(409);
      expect(res.json().error).toBe('sweep.not-fork');
      expect(res.json().message).toMatch(what);
      expect(res.json().message).toMatch(/Fork it first, then sweep the fork/);
    }
    const missing = await post('/api/sweeps', { pipeline: 'nope', params: { 'risk.stopLoss': [1] } });
    expect(missing.statusCode).toBe(404);
  });
});

describe('spec errors, before anything runs', () => {
  it('names the param: unknown node, unknown param, a value the node refuses, a bad range', async () => {
    const cases: [Record<string, unknown>, RegExp, { node?: string; param?: string }][] = [
      [{ 'risks.stopLoss': [1, 2] }, /params risks\.stopLoss: sw has no node "risks" \(did you mean "risk"\?\)/, { node: 'risks', param: 'stopLoss' }],
      [{ 'risk.stopLos': [1, 2] }, /params risk\.stopLos: risk\.bracket has no param "stopLos" \(did you mean "stopLoss"\?\)/, { node: 'risk', param: 'stopLos' }],
      [{ 'rsi.period': [14, 1] }, /params rsi\.period: value 1 is not valid for indicator\.rsi: below the minimum 2/, { node: 'rsi', param: 'period' }],
      [{ 'rsi.period': { from: 10, to: 20, step: 0 } }, /params rsi\.period: step 0 must be above 0/, { node: 'rsi', param: 'period' }],
      [{ 'rsi.period': { from: 20, to: 10, step: 1 } }, /params rsi\.period: range 20:10:1 runs backwards/, { node: 'rsi', param: 'period' }],
      [{ 'rsi.period': [14, 14] }, /params rsi\.period: value 14 is listed twice/, { node: 'rsi', param: 'period' }],
      [{ rsi: [14] }, /"rsi": a swept param is named node_id\.param/, {}],
    ];
    for (const [params, message, where] of cases) {
      const res = await post('/api/sweeps', { pipeline: FORK, params, data: { upload } });
      expect(res.statusCode, JSON.stringify(params)).toBe(422);
      expect(res.json().message).toMatch(message);
      if (where.node !== undefined) expect(res.json().problems[0]).toMatchObject(where);
    }
  });

  it('refuses more than 5000 sets, and malformed bodies', async () => {
    const big = await post('/api/sweeps', { pipeline: FORK, params: { 'rsi.period': { from: 2, to: 101, step: 1 }, 'cci.period': { from: 2, to: 101, step: 1 } } });
    expect(big.statusCode).toBe(422);
    expect(big.json().error).toBe('sweep.too-many');
    expect(big.json().message).toMatch(/the grid has 10,000 parameter sets \(rsi\.period: 100 × cci\.period: 100\), above the editor's limit of 5,000/);
    const genetic = await post('/api/sweeps', { pipeline: FORK, method: 'genetic', population: 100, generations: 100, params: { 'rsi.period': { from: 2, to: 101, step: 1 }, 'cci.period': { from: 2, to: 101, step: 1 } } });
    expect(genetic.statusCode).toBe(422);
    expect(genetic.json().error).toBe('sweep.too-many');
    for (const payload of [{ pipeline: FORK }, { pipeline: FORK, params: {} }, { pipeline: FORK, params: { 'rsi.period': { from: 1 } } }, { pipeline: FORK, params: { 'rsi.period': [14] }, method: 'anneal' }, { pipeline: '../x', params: { 'rsi.period': [14] } }]) {
      const res = await post('/api/sweeps', payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
    }
    const unknownData = await post('/api/sweeps', { pipeline: FORK, params: { 'rsi.period': [14] }, data: { upload: 'f'.repeat(32) } });
    expect(unknownData.statusCode).toBe(404);
    // nothing started
    expect(((await app.inject({ url: '/api/sweeps' })).json() as SweepStatus[]).length).toBe(0);
  });
});

describe('a sweep to done, and a row opened as a fork', () => {
  let id = '';
  let done: SweepDetail;

  beforeAll(async () => {
    const res = await post('/api/sweeps', { pipeline: FORK, params: GRID, data: { upload } });
    expect(res.statusCode, res.body).toBe(201);
    const started = res.json() as SweepStatus;
    expect(started).toMatchObject({ pipeline: FORK, state: 'running', total: 6, method: 'grid', objective: 'netReturn', gridSize: 6 });
    expect(started.dataFile).toBe(`${upload}.csv`);
    id = started.id;
    done = await until(id, (s) => s.state !== 'running');
  }, 120_000);

  it('runs to done with 6 ranked rows: the swept values, summary metrics, objective and rank', async () => {
    expect(done.state, done.error ?? '').toBe('done');
    expect(done).toMatchObject({ done: 6, total: 6, error: null, workers: 2 });
    expect(done.finished).toBeGreaterThanOrEqual(done.started);
    expect(done.params).toEqual([
      { name: 'risk.stopLoss', node: 'risk', param: 'stopLoss', values: ['0.97', '0.98', '0.99'] },
      { name: 'risk.takeProfit', node: 'risk', param: 'takeProfit', values: ['1.02', '1.04'] },
    ]);
    expect(done.rows.map((r) => r.rank)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(new Set(done.rows.map((r) => r.values.join(' '))).size).toBe(6);
    for (const r of done.rows) {
      expect(r.values).toEqual(r.point.map((k, i) => done.params[i]!.values[k]));
      expect(r.objective).toBe(r.metrics.returnPct);
      expect(r.metrics.netPnl).toMatch(/^-?\d+\.\d{8}$/);
    }
    const objectives = done.rows.map((r) => r.objective as number);
    for (let i = 1; i < objectives.length; i++) expect(objectives[i]!).toBeLessThanOrEqual(objectives[i - 1]!);
    const list = (await app.inject({ url: '/api/sweeps' })).json() as SweepStatus[];
    expect(list.find((s) => s.id === id)).toMatchObject({ state: 'done', done: 6 });
    expect(list.find((s) => s.id === id)).not.toHaveProperty('rows');
  });

  it('every row reproduces exactly with a plain backtest of the same values', () => {
    const file = join(pipelinesDir, 'forks', `${FORK}.yaml`);
    for (const r of done.rows) {
      expect(backtestPnl(file, r.values.map((v, i) => `${done.params[i]!.name}=${v}`)), r.values.join(' ')).toBe(r.metrics.netPnl);
    }
    // the rows differ, so the comparison means something
    expect(new Set(done.rows.map((r) => r.metrics.netPnl)).size).toBeGreaterThan(2);
  });

  it('opens a row as a new fork: its YAML holds the row values (comments kept), its hash differs, its backtest is the row', async () => {
    const row = done.rows[1]!;
    const res = await post(`/api/sweeps/${id}/fork`, { row: row.rank, name: 'sw-row2' });
    expect(res.statusCode, res.body).toBe(201);
    const summary = res.json() as PipelineSummary;
    const source = ((await app.inject({ url: `/api/pipelines/${FORK}` })).json() as PipelineSummary).hash;
    expect(summary).toMatchObject({ name: 'sw-row2', kind: 'fork', locked: false, problems: [], forkedFrom: { name: FORK, hash: source } });
    expect(summary.hash).not.toBe(source);
    const file = join(pipelinesDir, 'forks', 'sw-row2.yaml');
    const text = readFileSync(file, 'utf8');
    const doc = parse(text) as { pipeline: string; nodes: Record<string, { params: Record<string, unknown> }> };
    expect(doc.pipeline).toBe('sw-row2');
    expect(doc.nodes['risk']!.params['stopLoss']).toBe(Number(row.values[0]));
    expect(doc.nodes['risk']!.params['takeProfit']).toBe(Number(row.values[1]));
    // everything else as written: the comments, and the other params of the node
    expect(text).toContain('# Consensus (enygma.md §8');
    expect(doc.nodes['risk']!.params).toMatchObject({ leverage: 3, marginPct: 0.05, priceMode: 'multiplier' });
    const before = readFileSync(join(pipelinesDir, 'forks', `${FORK}.yaml`), 'utf8').split('\n');
    const after = text.split('\n');
    expect(after.length).toBe(before.length);
    const changed = after.filter((l, i) => l !== before[i]!);
    // only the name, what it was forked from, and the risk line
    expect(changed.map((l) => l.trim().split(':')[0])).toEqual(['pipeline', 'params', 'forkedFrom']);
    expect(changed[1]).toBe(`    params: { leverage: 3, marginPct: 0.05, priceMode: multiplier, stopLoss: ${row.values[0]}, takeProfit: ${row.values[1]} }`);
    expect(backtestPnl(file, [])).toBe(row.metrics.netPnl);
  });

  it('refuses a rank the sweep does not have, a taken name, and a sweep that is not done', async () => {
    const none = await post(`/api/sweeps/${id}/fork`, { row: 99, name: 'sw-x' });
    expect(none.statusCode).toBe(422);
    expect(none.json().message).toMatch(/has no row ranked 99 \(ranks 1 to 6\)/);
    const taken = await post(`/api/sweeps/${id}/fork`, { row: 1, name: FORK });
    expect(taken.statusCode).toBe(409);
    const bad = await post(`/api/sweeps/${id}/fork`, { row: 0, name: 'Bad Name' });
    expect(bad.statusCode).toBe(400);
    const unknown = await post('/api/sweeps/0123456789abcdef/fork', { row: 1, name: 'sw-y' });
    expect(unknown.statusCode).toBe(404);
    expect(readFileSync(join(pipelinesDir, 'forks', `${FORK}.yaml`), 'utf8')).toContain('pipeline: sw');
  });
});

describe('one sweep at a time, stopped on request', () => {
  it('a second sweep is 409 while one runs; stop ends it (stopped, its rows not shown), then another may start', async () => {
    // the whole embedded data: long enough to be caught running
    const res = await post('/api/sweeps', { pipeline: FORK, params: { 'rsi.period': { from: 5, to: 40, step: 1 }, 'risk.stopLoss': [0.97, 0.98] }, data: { embedded: 'eth-5m' } });
    expect(res.statusCode, res.body).toBe(201);
    const { id } = res.json() as SweepStatus;
    const busy = await post('/api/sweeps', { pipeline: FORK, params: GRID, data: { upload } });
    expect(busy.statusCode).toBe(409);
    expect(busy.json()).toMatchObject({ error: 'sweep.busy' });
    expect(busy.json().message).toMatch(/a sweep of "sw" is running .*one sweep at a time/);
    // the sets run in worker threads: this thread keeps answering while they do
    let worst = 0;
    for (let k = 0; k < 10; k++) {
      const t0 = performance.now();
      await sleep(20);
      const s = await detail(id);
      worst = Math.max(worst, performance.now() - t0 - 20);
      expect(s.state).toBe('running');
    }
    expect(worst).toBeLessThan(1000); // evaluating in this thread would hold it for seconds (72 sets on 65,000 bars)
    const stop = await post(`/api/sweeps/${id}/stop`, {});
    expect(stop.statusCode, stop.body).toBe(200);
    expect(stop.json()).toMatchObject({ id, state: 'stopped' });
    const stopped = await until(id, (s) => s.state !== 'running', 30_000);
    expect(stopped.state).toBe('stopped');
    expect(stopped.done).toBeLessThan(stopped.total);
    expect(stopped.rows).toEqual([]);
    expect(stopped.finished).not.toBeNull();
    const again = await post(`/api/sweeps/${id}/stop`, {});
    expect(again.json()).toMatchObject({ state: 'stopped' });
    const forkStopped = await post(`/api/sweeps/${id}/fork`, { row: 1, name: 'sw-z' });
    expect(forkStopped.statusCode).toBe(409);
    expect(forkStopped.json().error).toBe('sweep.not-done');
    const next = await post('/api/sweeps', { pipeline: FORK, params: { 'risk.stopLoss': [0.97] }, data: { upload } });
    expect(next.statusCode, next.body).toBe(201);
    expect((await until((next.json() as SweepStatus).id, (s) => s.state !== 'running')).state).toBe('done');
  }, 120_000);
});

describe('a sweep that fails', () => {
  it('reports a failure in the worker threads as failed, with the reason and no server paths', async () => {
    // the 4h file under a 5m feed: the workers refuse it when they load it
    const res = await post('/api/sweeps', { pipeline: FORK, params: { 'risk.stopLoss': [0.97, 0.98] }, data: { embedded: 'eth-4h' } });
    expect(res.statusCode, res.body).toBe(201);
    const failed = await until((res.json() as SweepStatus).id, (s) => s.state !== 'running', 30_000);
    expect(failed.state).toBe('failed');
    expect(failed.error).toMatch(/feed expects 5m bars but .*ethusd-coinbase-4h\.csv\.gz has 4h bars/);
    expect(failed.error).not.toContain(ROOT);
    expect(failed.rows).toEqual([]);
  }, 60_000);
});

describe('the token', () => {
  it('starting, stopping and forking need it; reading does not', async () => {
    for (const [url, payload] of [
      ['/api/sweeps', { pipeline: FORK, params: GRID }],
      ['/api/sweeps/0123456789abcdef/stop', {}],
      ['/api/sweeps/0123456789abcdef/fork', { row: 1, name: 'sw-t' }],
    ] as const) {
      const res = await post(url, payload, {});
      expect(res.statusCode, url).toBe(401);
      const wrong = await post(url, payload, { authorization: 'Bearer wrong-token-0123456789abc' });
      expect(wrong.statusCode, url).toBe(401);
    }
    expect((await app.inject({ url: '/api/sweeps' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/api/sweeps/0123456789abcdef' })).statusCode).toBe(404);
  });
});

/**
 * Runs and uploads by injection, on a temp copy of pipelines/ and a temp upload folder: bodies over
 * each limit (JSON, validate text, uploads, a gzip that expands too far), corrupted and valid
 * uploads, and the life of a run — backtest to results, a replay at a chosen speed with pause, step,
 * resume and stop, value history and bar values, the locked canonical refused once edited.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeHelp } from '../../../nodes/help.ts';
import { NODE_DEFINITIONS, registry } from '../../../nodes/index.ts';
import { BODY_LIMIT_BYTES, buildApp } from '../app.ts';
import { serverOptions } from '../config.ts';
import type { RunStatus } from '../protocol/rest.ts';
import { MAX_UNZIPPED_BYTES } from '../runs/data-store.ts';
import { MAX_UPLOAD_BYTES } from './data.plugin.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const TOKEN = 'runs-token-0123456789abcdef';
const AUTH = { authorization: `Bearer ${TOKEN}` };
/** the ETH 5m data starts here; 12 bars an hour */
const DATA_START = Date.UTC(2020, 11, 1);

const dir = mkdtempSync(join(tmpdir(), 'barflow-runs-'));
const pipelinesDir = join(dir, 'pipelines');
const uploadDir = join(dir, 'uploads');
let app: FastifyInstance;

beforeAll(async () => {
  cpSync(join(ROOT, 'pipelines'), pipelinesDir, { recursive: true });
  symlinkSync(join(ROOT, 'data'), join(dir, 'data'));
  const options = { ...serverOptions({}, { BARFLOW_TOKEN: TOKEN }), pipelinesDir, uploadDir };
  ({ app } = await buildApp(options, { registry, definitions: NODE_DEFINITIONS, help: nodeHelp, logger: false }));
  await app.ready();
});
afterAll(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function ethCsvHead(rows: number): string {
  return gunzipSync(readFileSync(join(ROOT, 'data/ethusdt-binance-spot-5m.csv.gz'))).toString('utf8').split('\n', rows + 1).join('\n') + '\n';
}

async function startRun(body: Record<string, unknown>): Promise<RunStatus> {
  const res = await app.inject({ method: 'POST', url: '/api/runs', headers: AUTH, payload: body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as RunStatus;
}

async function status(id: string): Promise<RunStatus> {
  const res = await app.inject({ url: `/api/runs/${id}` });
  expect(res.statusCode).toBe(200);
  return res.json() as RunStatus;
}

async function control(id: string, body: Record<string, unknown>): Promise<RunStatus> {
  const res = await app.inject({ method: 'POST', url: `/api/runs/${id}/control`, headers: AUTH, payload: body });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as RunStatus;
}

async function until(id: string, done: (s: RunStatus) => boolean, timeoutMs = 30_000): Promise<RunStatus> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = await status(id);
    if (done(s)) return s;
    if (Date.now() > deadline) throw new Error(`run ${id} still ${s.state} at ${s.barsDone}/${s.barsTotal} after ${timeoutMs} ms`);
    await sleep(25);
  }
}

describe('bodies over the limits', () => {
  it('a JSON body over BODY_LIMIT_BYTES is 413 (and 401 first without the token: the body is never read)', async () => {
    const payload = JSON.stringify({ pipeline: 'consensus', set: ['x'.repeat(BODY_LIMIT_BYTES)] });
    expect(payload.length).toBeGreaterThan(BODY_LIMIT_BYTES);
    const big = await app.inject({ method: 'POST', url: '/api/runs', headers: { ...AUTH, 'content-type': 'application/json' }, payload });
    expect(big.statusCode).toBe(413);
    expect(big.json().message).toMatch(/body/i);
    const anonymous = await app.inject({ method: 'POST', url: '/api/runs', headers: { 'content-type': 'application/json' }, payload });
    expect(anonymous.statusCode).toBe(401);
  });

  it('validate refuses YAML over 1 MiB (400) and a body over the JSON limit (413)', async () => {
    const yaml = `pipeline: big\n# ${'x'.repeat(1024 * 1024)}\n`;
    const over = await app.inject({ method: 'POST', url: '/api/pipelines/validate', headers: AUTH, payload: { yaml } });
    expect(over.statusCode).toBe(400);
    expect(over.json().message).toMatch(/yaml/);
    const huge = await app.inject({ method: 'POST', url: '/api/pipelines/validate', headers: AUTH, payload: { yaml: 'x'.repeat(BODY_LIMIT_BYTES + 10) } });
    expect(huge.statusCode).toBe(413);
    const save = await app.inject({ method: 'PUT', url: '/api/pipelines/consensus', headers: AUTH, payload: { yaml } });
    expect(save.statusCode).toBe(400);
  });

  it('an upload over MAX_UPLOAD_BYTES is 413 and nothing is stored', async () => {
    const body = Buffer.alloc(MAX_UPLOAD_BYTES + 1, 0x61);
    const res = await app.inject({ method: 'POST', url: '/api/uploads', headers: { ...AUTH, 'content-type': 'text/csv' }, payload: body });
    expect(res.statusCode).toBe(413);
    expect(existsSync(uploadDir) ? readdirSync(uploadDir) : []).toEqual([]);
  });

  it('a small gzip that would expand past MAX_UNZIPPED_BYTES is refused without expanding it all', async () => {
    const member = gzipSync(Buffer.alloc(16 * 1024 * 1024));
    const bomb = Buffer.concat(Array.from({ length: MAX_UNZIPPED_BYTES / (16 * 1024 * 1024) + 1 }, () => member)); // gzip members concatenate
    expect(bomb.length).toBeLessThan(2 * 1024 * 1024);
    const res = await app.inject({ method: 'POST', url: '/api/uploads', headers: { ...AUTH, 'content-type': 'application/gzip' }, payload: bomb });
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toBe('data.too-large');
  });
});

describe('uploads', () => {
  it('a corrupted CSV is 422 naming the line; a JSON body is 415', async () => {
    const lines = ethCsvHead(600).split('\n');
    lines[500] = lines[500]!.replace(/^(\d+),([^,]+),/, '$1,not-a-price,');
    const res = await app.inject({ method: 'POST', url: '/api/uploads?name=bad.csv', headers: { ...AUTH, 'content-type': 'text/csv' }, payload: lines.join('\n') });
    expect(res.statusCode).toBe(422);
    const body = res.json() as { message: string; problems: { line?: number; code: string }[] };
    expect(body.problems.some((p) => p.line === 501)).toBe(true);
    expect(body.message).toMatch(/bad\.csv:501/);
    const header = await app.inject({ method: 'POST', url: '/api/uploads', headers: { ...AUTH, 'content-type': 'text/csv' }, payload: 'when,o,h,l,c,v\n1,2,3,4,5,6\n' });
    expect(header.statusCode).toBe(422);
    expect(header.json().problems[0].line).toBe(1);
    const notGzip = await app.inject({ method: 'POST', url: '/api/uploads', headers: { ...AUTH, 'content-type': 'application/gzip' }, payload: Buffer.from([0x1f, 0x8b, 1, 2, 3, 4]) });
    expect(notGzip.statusCode).toBe(422);
    expect(notGzip.json().error).toBe('data.gzip');
    const json = await app.inject({ method: 'POST', url: '/api/uploads', headers: AUTH, payload: { csv: 'time,open' } });
    expect(json.statusCode).toBe(415);
    expect(existsSync(uploadDir) ? readdirSync(uploadDir) : []).toEqual([]);
  });

  it('a valid upload (3000 ETH 5m rows) is 201 and a backtest of consensus runs on it to the end', async () => {
    const csv = ethCsvHead(3000);
    const res = await app.inject({ method: 'POST', url: '/api/uploads?name=../../eth%20head.csv', headers: { ...AUTH, 'content-type': 'text/csv' }, payload: csv });
    expect(res.statusCode).toBe(201);
    const upload = res.json() as { id: string; file: string; bars: number; timeframe: string };
    expect(upload).toMatchObject({ bars: 3000, timeframe: '5m' });
    expect(upload.id).toMatch(/^[a-f0-9]{32}$/);
    expect(upload.file).not.toContain('/');
    expect(readdirSync(uploadDir)).toEqual([`${upload.id}.csv`]);
    const gz = await app.inject({ method: 'POST', url: '/api/uploads', headers: { ...AUTH, 'content-type': 'application/gzip' }, payload: gzipSync(csv) });
    expect(gz.statusCode).toBe(201);
    expect(gz.json().bars).toBe(3000);

    const run = await startRun({ pipeline: 'consensus', data: { upload: upload.id } });
    expect(run.barsTotal).toBe(3000);
    const done = await until(run.id, (s) => s.state !== 'running');
    expect(done).toMatchObject({ state: 'done', barsDone: 3000, error: null });
    const results = (await app.inject({ url: `/api/runs/${run.id}/results` })).json();
    expect(results.summary.bars).toBe(3000);

    for (const data of [{ upload: 'f'.repeat(32) }, { upload: '../../etc/passwd' }, { embedded: 'nope' }, { embedded: '../x' }]) {
      const bad = await app.inject({ method: 'POST', url: '/api/runs', headers: AUTH, payload: { pipeline: 'consensus', data } });
      expect([400, 404], JSON.stringify(data)).toContain(bad.statusCode);
    }
  });
});

describe('runs', () => {
  it('a backtest runs to done and its results carry summary, trades and fills', async () => {
    const run = await startRun({ pipeline: 'consensus' });
    expect(run).toMatchObject({ pipeline: 'consensus', mode: 'backtest', speed: 0 });
    const done = await until(run.id, (s) => s.state !== 'running');
    expect(done.state).toBe('done');
    expect(done.barsDone).toBe(done.barsTotal);
    const res = await app.inject({ url: `/api/runs/${run.id}/results` });
    expect(res.statusCode).toBe(200);
    const results = res.json();
    expect(results.summary).toMatchObject({ pipeline: 'consensus', bars: done.barsTotal });
    expect(results.trades.length).toBe(done.trades);
    expect(results.trades.length).toBeGreaterThan(0);
    expect(results.fills.length).toBeGreaterThanOrEqual(results.trades.length);
    const equity = (await app.inject({ url: `/api/runs/${run.id}/equity?maxPoints=100` })).json();
    expect(equity.time.length).toBeGreaterThan(10);
    expect(equity.time.length).toBeLessThanOrEqual(101);
    const candles = (await app.inject({ url: `/api/runs/${run.id}/candles?timeframe=1d&maxBars=50` })).json();
    expect(candles.time.length).toBe(50);
    expect((await app.inject({ url: '/api/runs' })).json().some((r: RunStatus) => r.id === run.id)).toBe(true);
  });

  it('runs on embedded data by name', async () => {
    const run = await startRun({ pipeline: 'consensus', data: { embedded: 'btc-5m' }, to: DATA_START + 2 * 86_400_000 });
    const done = await until(run.id, (s) => s.state !== 'running');
    expect(done.state).toBe('done');
    expect(done.dataFile).toBe('btcusdt-binance-spot-5m.csv.gz');
  });

  it('a replay moves at its speed; pause holds it, step moves exactly, resume and stop work', async () => {
    const run = await startRun({ pipeline: 'consensus', mode: 'replay', speed: 500 });
    expect(run).toMatchObject({ mode: 'replay', speed: 500, state: 'running' });
    const t0 = Date.now();
    await sleep(600);
    const a = await status(run.id);
    await sleep(400);
    const b = await status(run.id);
    const elapsed = (Date.now() - t0) / 1000;
    expect(a.barsDone).toBeGreaterThan(0);
    expect(b.barsDone).toBeGreaterThan(a.barsDone);
    expect(b.barsDone).toBeLessThanOrEqual(Math.ceil(500 * elapsed) + 20); // never ahead of its speed
    expect(b.barsDone).toBeGreaterThan(500 * 0.25); // and not crawling
    expect(b.barsDone).toBeLessThan(b.barsTotal);

    const paused = await control(run.id, { action: 'pause' });
    expect(paused.state).toBe('paused');
    await sleep(150);
    const still = await status(run.id);
    expect(still.barsDone).toBe(paused.barsDone);
    const stepped = await control(run.id, { action: 'step', bars: 3 });
    expect(stepped).toMatchObject({ state: 'paused', barsDone: paused.barsDone + 3 });
    expect((await control(run.id, { action: 'step' })).barsDone).toBe(paused.barsDone + 4);

    // values: a node's history over the committed bars, and every node's value at one bar
    const last = paused.barsDone + 4 - 1; // data index of the last committed bar (the run starts at bar 0)
    const history = await app.inject({ url: `/api/runs/${run.id}/values?nodes=rsi,candles&maxPoints=50` });
    expect(history.statusCode).toBe(200);
    const h = history.json() as { index: number[]; time: number[]; values: Record<string, unknown[]> };
    expect(h.index.length).toBeGreaterThan(10);
    expect(h.index.length).toBeLessThanOrEqual(51);
    expect(h.index.at(-1)).toBe(last);
    expect(Object.keys(h.values)).toEqual(expect.arrayContaining(['rsi.value', 'candles.bar']));
    expect(h.values['rsi.value']!.length).toBe(h.index.length);
    const bar = await app.inject({ url: `/api/runs/${run.id}/bars/${last}` });
    expect(bar.statusCode).toBe(200);
    expect(Object.keys(bar.json().values)).toEqual(expect.arrayContaining(['candles', 'rsi', 'executor']));
    expect((await app.inject({ url: `/api/runs/${run.id}/bars/${last + 1}` })).statusCode).toBe(422);
    expect((await app.inject({ url: `/api/runs/${run.id}/bars/abc` })).statusCode).toBe(422);
    expect((await app.inject({ url: `/api/runs/${run.id}/values?nodes=nope` })).statusCode).toBe(404);

    const resumed = await control(run.id, { action: 'resume' });
    expect(resumed.state).toBe('running');
    await until(run.id, (s) => s.barsDone > stepped.barsDone + 20, 5000);
    const stopped = await control(run.id, { action: 'stop' });
    expect(stopped.state).toBe('stopped');
    await sleep(100);
    expect((await status(run.id)).barsDone).toBe(stopped.barsDone);
    expect((await control(run.id, { action: 'resume' })).state).toBe('stopped');
  });

  it('a replay can start paused and change speed', async () => {
    const run = await startRun({ pipeline: 'consensus', mode: 'replay', speed: 50, paused: true });
    expect(run.state).toBe('paused');
    await sleep(100);
    expect((await status(run.id)).barsDone).toBe(0);
    expect((await control(run.id, { action: 'speed', speed: 5000 })).speed).toBe(5000);
    await control(run.id, { action: 'resume' });
    await until(run.id, (s) => s.barsDone >= 500, 5000);
    await control(run.id, { action: 'stop' });
  });

  it('the locked canonical refuses to run once its file no longer matches the lock, pointing at fork; overrides are refused too', async () => {
    const path = join(pipelinesDir, 'canonical/enygma.yaml');
    const original = readFileSync(path, 'utf8');
    expect(original.match(/ sizePct: 2\n/g)).toHaveLength(1);
    const overridden = await app.inject({ method: 'POST', url: '/api/runs', headers: AUTH, payload: { pipeline: 'enygma', set: ['executor.slippage=0.0003'] } });
    expect([409, 422]).toContain(overridden.statusCode);
    expect(overridden.json().error).toBe('run.locked');
    expect(overridden.json().message).toMatch(/fork/);
    try {
      writeFileSync(path, original.replace(/ sizePct: 2\n/, ' sizePct: 3\n'));
      const res = await app.inject({ method: 'POST', url: '/api/runs', headers: AUTH, payload: { pipeline: 'enygma' } });
      expect([409, 422]).toContain(res.statusCode);
      expect(res.json().error).toBe('pipeline.locked');
      expect(res.json().message).toMatch(/fork it/);
      expect(res.json().message).toMatch(/graph hash \w+… differs from the locked/);
      expect((await app.inject({ url: '/api/pipelines/enygma' })).json().lock).toMatchObject({ locked: true, ok: false });
    } finally {
      writeFileSync(path, original);
    }
  });

  it('unknown runs are 404 and bad requests 400', async () => {
    for (const url of ['/api/runs/0123456789abcdef', '/api/runs/nope/results', '/api/runs/nope/values?nodes=rsi', '/api/runs/nope/bars/1', '/api/runs/nope/equity']) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(404);
      expect(res.json().error, url).toBe('run.not-found');
    }
    expect((await app.inject({ method: 'POST', url: '/api/runs/nope/control', headers: AUTH, payload: { action: 'stop' } })).statusCode).toBe(404);
    expect((await app.inject({ method: 'POST', url: '/api/runs', headers: AUTH, payload: { pipeline: 'nope' } })).statusCode).toBe(404);
    for (const payload of [{ pipeline: 'consensus', mode: 'live' }, { pipeline: 'consensus', speed: -1 }, { pipeline: 'consensus', set: 'x' }, {}]) {
      expect((await app.inject({ method: 'POST', url: '/api/runs', headers: AUTH, payload })).statusCode, JSON.stringify(payload)).toBe(400);
    }
  });
});

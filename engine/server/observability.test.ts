/**
 * What operators see: liveness and readiness (503 when the pipelines cannot be read), the
 * Prometheus metrics after some activity, and JSON logs that never carry the token — neither from
 * the Authorization header nor from a ?token= query, on a matched route or a 404 — nor the API keys,
 * secrets and passphrases of objects logged through the app's logger.
 */
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { nodeHelp } from '../../nodes/help.ts';
import { NODE_DEFINITIONS, registry } from '../../nodes/index.ts';
import { buildApp } from './app.ts';
import { serverOptions, type ServerOptions } from './config.ts';
import { REDACTED_PATHS, redactUrl } from './logging.ts';
import type { RunStatus } from './protocol/rest.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TOKEN = 'observability-token-0123456789';
const AUTH = { authorization: `Bearer ${TOKEN}` };
const deps = { registry, definitions: NODE_DEFINITIONS, help: nodeHelp };

const dir = mkdtempSync(join(tmpdir(), 'barflow-observability-'));
const options: ServerOptions = { ...serverOptions({}, { BARFLOW_TOKEN: TOKEN }), pipelinesDir: join(dir, 'pipelines'), uploadDir: join(dir, 'uploads'), logLevel: 'trace' };

beforeAll(() => {
  cpSync(join(ROOT, 'pipelines'), join(dir, 'pipelines'), { recursive: true });
  symlinkSync(join(ROOT, 'data'), join(dir, 'data'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('health', () => {
  it('live is 200; ready is 200 when pipelines and data can be read, 503 when the pipelines folder is missing', async () => {
    const { app } = await buildApp(options, { ...deps, logger: false });
    try {
      expect((await app.inject({ url: '/health/live' })).json()).toEqual({ status: 'ok' });
      expect((await app.inject({ method: 'HEAD', url: '/health/live' })).statusCode).toBe(200);
      const ready = await app.inject({ url: '/health/ready' });
      expect(ready.statusCode).toBe(200);
      expect(ready.json()).toMatchObject({ status: 'ready', checks: { pipelines: 'ok', data: 'ok' } });
    } finally {
      await app.close();
    }
    const { app: broken } = await buildApp({ ...options, pipelinesDir: join(dir, 'no-such-folder') }, { ...deps, logger: false });
    try {
      expect((await broken.inject({ url: '/health/live' })).statusCode).toBe(200);
      const ready = await broken.inject({ url: '/health/ready' });
      expect(ready.statusCode).toBe(503);
      expect(ready.json()).toMatchObject({ status: 'not ready', checks: { pipelines: 'cannot read pipelines', data: 'ok' } });
      expect(ready.body).not.toContain(dir); // no paths in a public answer
    } finally {
      await broken.close();
    }
  });
});

describe('/metrics', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    ({ app } = await buildApp({ ...options, port: 0 }, { ...deps, logger: false }));
    await app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(() => app.close());

  const scrape = async () => {
    const res = await app.inject({ url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    return res.body;
  };
  const value = (text: string, series: string) => Number(text.split('\n').find((l) => l.startsWith(`${series} `))?.split(' ').pop());

  it('counts runs, bars, per-node evaluation time, WebSocket clients and dropped frames, in Prometheus text', async () => {
    const before = await scrape();
    for (const name of ['barflow_runs_started_total', 'barflow_bars_processed_total', 'barflow_node_eval_seconds', 'barflow_ws_clients', 'barflow_ws_frames_dropped_total', 'barflow_runs_active']) {
      expect(before).toContain(`# TYPE ${name} `);
    }
    expect(before).toContain('barflow_process_nodejs_version_info'); // the default process metrics, prefixed

    const port = (app.server.address() as { port: number }).port;
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`);
    await new Promise((resolve) => ws.once('message', resolve));
    const started = await app.inject({ method: 'POST', url: '/api/runs', headers: AUTH, payload: { pipeline: 'consensus', to: Date.UTC(2020, 11, 20) } });
    expect(started.statusCode).toBe(201);
    const id = (started.json() as RunStatus).id;
    let run: RunStatus;
    do {
      await new Promise((resolve) => setTimeout(resolve, 20));
      run = (await app.inject({ url: `/api/runs/${id}` })).json() as RunStatus;
    } while (run.state === 'running');
    expect(run.state).toBe('done');

    const after = await scrape();
    expect(value(after, 'barflow_runs_started_total{mode="backtest"}')).toBe(1);
    expect(value(after, 'barflow_bars_processed_total')).toBe(run.barsTotal);
    expect(value(after, 'barflow_ws_clients')).toBe(1);
    expect(value(after, 'barflow_runs_active')).toBe(0);
    expect(value(after, 'barflow_ws_frames_dropped_total')).toBe(0);
    // sampled every 251st bar, labelled by node type: nodes on the 1h clock are measured too
    expect(value(after, 'barflow_node_eval_seconds_count{type="indicator.rsi"}')).toBeGreaterThan(0);
    expect(after).toMatch(/barflow_node_eval_seconds_bucket\{le="1e-7",type="feed\.replay"\} \d+/);

    ws.close();
    for (let k = 0; k < 50 && value(await scrape(), 'barflow_ws_clients') !== 0; k++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(value(await scrape(), 'barflow_ws_clients')).toBe(0);
  });
});

describe('logs', () => {
  it('never write the token: not from the Authorization header, not from ?token=, not on a 404', async () => {
    const lines: string[] = [];
    const { app } = await buildApp(options, { ...deps, logStream: { write: (line: string) => void lines.push(line) } });
    const wrong = 'wrong-token-that-looks-secret-42';
    try {
      const requests = [
        { method: 'GET' as const, url: `/api/pipelines?token=${TOKEN}`, headers: AUTH },
        { method: 'GET' as const, url: `/ws?token=${TOKEN}`, headers: { cookie: `token=${TOKEN}` } },
        { method: 'GET' as const, url: `/no/such/route?token=${TOKEN}&x=1`, headers: AUTH },
        { method: 'GET' as const, url: `/no/such/route?access_token=${TOKEN}`, headers: {} },
        { method: 'POST' as const, url: `/api/pipelines/validate?token=${TOKEN}`, headers: AUTH, payload: { yaml: 'pipeline: x\n' } },
        { method: 'POST' as const, url: `/api/runs?token=${wrong}`, headers: { authorization: `Bearer ${wrong}` }, payload: { pipeline: 'consensus' } },
        { method: 'POST' as const, url: '/api/nowhere', headers: AUTH, payload: {} },
        { method: 'GET' as const, url: `/api/runs/nope?apiKey=${TOKEN}`, headers: {} },
      ];
      for (const r of requests) await app.inject(r);
    } finally {
      await app.close();
    }
    const text = lines.join('');
    const records = lines.map((l) => JSON.parse(l) as { msg?: string; req?: { url: string } });
    expect(records.filter((r) => r.msg === 'incoming request').length).toBe(8); // it did log the requests
    expect(records.some((r) => r.req?.url === '/api/pipelines?token=[redacted]')).toBe(true);
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(wrong);
    expect(text.toLowerCase()).not.toContain('bearer');
  });

  it('redact API keys, secrets and passphrases in logged objects', async () => {
    const lines: string[] = [];
    const { app } = await buildApp(options, { ...deps, logStream: { write: (line: string) => void lines.push(line) } });
    const secrets = { apiKey: 'AK-111111', apiSecret: 'AS-222222', secret: 'S-333333', passphrase: 'PP-444444', password: 'PW-555555', token: 'TK-666666' };
    try {
      app.log.info({ ...secrets, venue: 'kucoin' }, 'venue configured');
      app.log.warn({ venue: { name: 'kucoin', ...secrets }, credentials: { apiKey: 'AK-777777', passphrase: 'PP-888888' } }, 'venue reconnect');
      app.log.info({ req: { headers: { authorization: `Bearer ${TOKEN}` } } }, 'raw headers');
    } finally {
      await app.close();
    }
    const text = lines.join('');
    for (const value of [...Object.values(secrets), 'AK-777777', 'PP-888888', TOKEN]) expect(text, value).not.toContain(value);
    const configured = lines.map((l) => JSON.parse(l)).find((r) => r.msg === 'venue configured');
    expect(configured).toMatchObject({ venue: 'kucoin', apiKey: '[redacted]', secret: '[redacted]', passphrase: '[redacted]' });
    const reconnect = lines.map((l) => JSON.parse(l)).find((r) => r.msg === 'venue reconnect');
    expect(reconnect.venue).toMatchObject({ name: 'kucoin', apiKey: '[redacted]', apiSecret: '[redacted]', passphrase: '[redacted]' });
    expect(reconnect.credentials).toEqual({ apiKey: '[redacted]', passphrase: '[redacted]' });
    for (const key of ['apiKey', 'secret', 'passphrase']) expect(REDACTED_PATHS).toContain(`*.${key}`);
  });

  it('redactUrl hides every secret-looking query parameter, whatever its case', () => {
    expect(redactUrl('/ws?token=abc&x=1')).toBe('/ws?token=[redacted]&x=1');
    expect(redactUrl('/a?x=1&TOKEN=abc#frag')).toBe('/a?x=1&TOKEN=[redacted]#frag');
    expect(redactUrl('/a?apiKey=k&secret=s&access_token=t&key=q')).toBe('/a?apiKey=[redacted]&secret=[redacted]&access_token=[redacted]&key=[redacted]');
    expect(redactUrl('/a?tokenish=1')).toBe('/a?tokenish=1');
  });
});

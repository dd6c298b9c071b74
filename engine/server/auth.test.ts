/**
 * Who may change what: the route table walked route by route (every mutating route refuses a
 * missing or wrong token and accepts the right one; every read-only route answers without one),
 * the serve options' token rules (and the real `barflow serve` refusing a network bind without
 * BARFLOW_TOKEN), and the Origin check on WebSocket upgrades against a real listening server.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance, type RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { nodeHelp } from '../../nodes/help.ts';
import { NODE_DEFINITIONS, registry } from '../../nodes/index.ts';
import { buildApp } from './app.ts';
import { allowedOrigins, requireTokenForChanges } from './auth.ts';
import { serverOptions, type ServerOptions } from './config.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TOKEN = 'route-walk-token-0123456789';
/** The test's own list, not the one in auth.ts: a change there must not quietly change the walk. */
const READ_ONLY = new Set(['GET', 'HEAD', 'OPTIONS']);

/** A temp copy of pipelines/ (forks and saves never touch the repository) beside a link to data/. */
function sandbox(): { dir: string; options: ServerOptions } {
  const dir = mkdtempSync(join(tmpdir(), 'barflow-auth-'));
  cpSync(join(ROOT, 'pipelines'), join(dir, 'pipelines'), { recursive: true });
  symlinkSync(join(ROOT, 'data'), join(dir, 'data'));
  const options = { ...serverOptions({}, { BARFLOW_TOKEN: TOKEN }), pipelinesDir: join(dir, 'pipelines'), uploadDir: join(dir, 'uploads') };
  return { dir, options };
}

interface RouteEntry {
  method: string;
  url: string;
}

/** A concrete URL for a route pattern: every parameter and wildcard gets a harmless sample value. */
function concrete(url: string): string {
  return url.replace(/:[A-Za-z0-9_]+/g, 'sample-1').replace(/\*/g, 'sample-1');
}

/**
 * The walk itself, as a function so it can be turned on a deliberately broken app too: what is wrong
 * with the app's routes, one line per failure (empty when every route behaves).
 */
async function walkRoutes(app: FastifyInstance, routes: readonly RouteEntry[], token: string): Promise<string[]> {
  const failures: string[] = [];
  const wrongSameLength = token.slice(0, -1) + (token.endsWith('x') ? 'y' : 'x');
  const badAuth: [string, Record<string, string>][] = [
    ['no token', {}],
    ['wrong token, same length', { authorization: `Bearer ${wrongSameLength}` }],
    ['wrong token, shorter', { authorization: `Bearer ${token.slice(0, 8)}` }],
    ['wrong token, longer', { authorization: `Bearer ${token}${token}` }],
    ['empty bearer', { authorization: 'Bearer ' }],
    ['token under another scheme', { authorization: `Basic ${Buffer.from(`user:${token}`).toString('base64')}` }],
    ['token in another header', { 'x-api-key': token }],
  ];
  for (const route of routes) {
    const url = concrete(route.url);
    if (READ_ONLY.has(route.method)) {
      const res = await app.inject({ method: route.method as 'GET', url });
      if (res.statusCode === 401) failures.push(`${route.method} ${route.url} (read-only) asks for a token`);
      continue;
    }
    for (const [label, headers] of badAuth) {
      const res = await app.inject({ method: route.method as 'POST', url, headers: { ...headers, 'content-type': 'application/json' }, payload: '{}' });
      if (res.statusCode !== 401) failures.push(`${route.method} ${route.url} with ${label} answered ${res.statusCode}, not 401`);
      else if (res.headers['www-authenticate'] !== 'Bearer') failures.push(`${route.method} ${route.url}: 401 without WWW-Authenticate: Bearer`);
    }
    const wrongInQuery = await app.inject({ method: route.method as 'POST', url: `${url}?token=${wrongSameLength}`, headers: { 'content-type': 'application/json' }, payload: '{}' });
    if (wrongInQuery.statusCode !== 401) failures.push(`${route.method} ${route.url} with a wrong ?token= answered ${wrongInQuery.statusCode}`);
    const ok = await app.inject({ method: route.method as 'POST', url, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload: '{}' });
    if (ok.statusCode === 401) failures.push(`${route.method} ${route.url} refuses the right token`);
    const error = ok.statusCode === 404 ? (JSON.parse(ok.body || '{}') as { error?: string }).error : undefined;
    if (error === 'not-found' || error === 'Not Found') {
      failures.push(`${route.method} ${route.url} is not reachable with the right token (${ok.body.slice(0, 120)})`);
    }
  }
  return failures;
}

describe('the route table, walked', () => {
  const { dir, options } = sandbox();
  const routes: RouteEntry[] = [];
  let app: FastifyInstance;

  beforeAll(async () => {
    ({ app } = await buildApp(options, {
      registry,
      definitions: NODE_DEFINITIONS,
      help: nodeHelp,
      logger: false,
      onRoute: (route: RouteOptions) => {
        for (const method of [route.method].flat()) routes.push({ method: String(method).toUpperCase(), url: route.url });
      },
    }));
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sees every route the plugins add (the walk is not vacuous)', () => {
    const seen = new Set(routes.map((r) => `${r.method} ${r.url}`));
    for (const expected of [
      'POST /api/runs',
      'POST /api/runs/:id/control',
      'POST /api/pipelines/validate',
      'POST /api/pipelines/:name/fork',
      'PUT /api/pipelines/:name',
      'POST /api/uploads',
      'POST /api/sweeps',
      'POST /api/sweeps/:id/stop',
      'POST /api/sweeps/:id/fork',
      'GET /api/sweeps',
      'GET /api/sweeps/:id',
      'GET /api/pipelines',
      'GET /api/pipelines/:name',
      'GET /api/runs/:id/results',
      'GET /api/nodes',
      'GET /health/live',
      'GET /health/ready',
      'GET /metrics',
      'GET /ws',
    ]) {
      expect(seen, expected).toContain(expected);
    }
  });

  it('every mutating route refuses a missing or wrong token and accepts the right one; every read-only route answers without one', async () => {
    const mutating = routes.filter((r) => !READ_ONLY.has(r.method));
    expect(mutating.length).toBeGreaterThanOrEqual(6);
    expect(await walkRoutes(app, routes, TOKEN)).toEqual([]);
  });

  it('a 401 names what to send and never echoes the token', async () => {
    const wrong = 'x'.repeat(TOKEN.length);
    const res = await app.inject({ method: 'POST', url: '/api/runs', headers: { authorization: `Bearer ${wrong}` }, payload: { pipeline: 'consensus' } });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ error: 'unauthorized' });
    expect(res.json().message).toMatch(/Authorization: Bearer/);
    expect(res.body).not.toContain(wrong);
    expect(res.body).not.toContain(TOKEN);
  });

  it('an unknown route still needs the token to be told it does not exist when the method changes state', async () => {
    expect((await app.inject({ method: 'DELETE', url: '/api/pipelines/consensus' })).statusCode).toBe(401);
    const authed = await app.inject({ method: 'DELETE', url: '/api/pipelines/consensus', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(authed.statusCode).toBe(404);
    expect(authed.json().error).toBe('not-found');
  });

  it('the walk fails on an app with a mutating route that slipped past the token hook', async () => {
    const rogue = Fastify({ logger: false });
    const seen: RouteEntry[] = [];
    rogue.addHook('onRoute', (r) => {
      seen.push({ method: String(r.method), url: r.url });
    });
    // the hook guards one encapsulated scope; a sibling plugin's routes live outside it
    await rogue.register(async (scope) => {
      scope.addHook('onRequest', requireTokenForChanges(TOKEN));
      scope.post('/api/guarded', async () => ({ changed: true }));
      scope.get('/api/read', async () => ({ ok: true }));
    });
    await rogue.register(async (scope) => {
      scope.post('/api/rogue', async () => ({ changed: true }));
    });
    await rogue.ready();
    try {
      const failures = await walkRoutes(rogue, seen, TOKEN);
      expect(failures.some((f) => f.startsWith('POST /api/rogue'))).toBe(true);
      expect(failures.some((f) => f.includes('/api/guarded'))).toBe(false);
    } finally {
      await rogue.close();
    }
  });
});

describe('serverOptions: where the server may listen and with which token', () => {
  it('binds to loopback by default, with a random token per process', () => {
    const a = serverOptions({}, {});
    const b = serverOptions({}, {});
    expect(a.host).toBe('127.0.0.1');
    expect(a.port).toBe(8080);
    expect(a.tokenGenerated).toBe(true);
    expect(a.token.length).toBeGreaterThanOrEqual(16);
    expect(a.token).not.toBe(b.token);
    for (const host of ['localhost', '127.0.0.2', '::1']) expect(serverOptions({ host }, {}).host).toBe(host);
  });

  it('refuses a non-loopback bind without BARFLOW_TOKEN, naming it', () => {
    for (const host of ['0.0.0.0', '::', '192.168.1.20', '10.0.0.5']) {
      expect(() => serverOptions({ host }, {}), host).toThrow(/BARFLOW_TOKEN/);
    }
  });

  it('accepts a non-loopback bind with a token of 16+ characters, and refuses a short one anywhere', () => {
    const token = 'a'.repeat(16);
    const options = serverOptions({ host: '0.0.0.0', port: 9000 }, { BARFLOW_TOKEN: token });
    expect(options).toMatchObject({ host: '0.0.0.0', port: 9000, token, tokenGenerated: false });
    expect(serverOptions({ host: '192.168.1.20' }, { BARFLOW_TOKEN: token }).token).toBe(token);
    for (const host of ['0.0.0.0', '127.0.0.1']) {
      expect(() => serverOptions({ host }, { BARFLOW_TOKEN: 'a'.repeat(15) })).toThrow(/BARFLOW_TOKEN must be at least 16/);
      expect(() => serverOptions({ host }, { BARFLOW_TOKEN: '' })).toThrow(/BARFLOW_TOKEN/);
    }
  });

  it('`barflow serve --host 0.0.0.0` without BARFLOW_TOKEN exits 1 without listening', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
    delete env['BARFLOW_TOKEN'];
    const result = await runCli(['serve', '--host', '0.0.0.0', '--port', '0'], env, null);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/BARFLOW_TOKEN/);
    expect(result.stderr).toMatch(/refusing to listen on 0\.0\.0\.0/);
    expect(result.stdout).not.toMatch(/serving/);
  });

  it('`barflow serve --port 0` on loopback listens on a free port and prints the one-off token in the URL fragment', async () => {
    const { dir, options } = sandbox();
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', BARFLOW_PIPELINES: options.pipelinesDir, BARFLOW_UPLOADS: options.uploadDir, BARFLOW_LOG_LEVEL: 'warn' };
    delete env['BARFLOW_TOKEN'];
    try {
      const result = await runCli(['serve', '--port', '0'], env, async (stdout) => {
        const url = /open (http:\/\/127\.0\.0\.1:(\d+)\/)#token=([\w-]+)/.exec(stdout);
        if (url === null) return false;
        expect(Number(url[2])).toBeGreaterThan(0);
        expect(url[3]!.length).toBeGreaterThanOrEqual(16);
        const live = await fetch(`${url[1]}health/live`);
        expect(live.status).toBe(200);
        const refused = await fetch(`${url[1]}api/runs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"pipeline":"consensus"}' });
        expect(refused.status).toBe(401);
        return true;
      });
      expect(result.code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * Runs `barflow` as a child process. With `ready`, the child is asked to stop (SIGTERM) once `ready`
 * returns true for its stdout so far; without, it must exit on its own.
 */
function runCli(args: string[], env: NodeJS.ProcessEnv, ready: ((stdout: string) => Promise<boolean>) | null): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/barflow.js'), ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let checking = false;
    let failure: unknown = null;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`barflow ${args.join(' ')} did not finish in 30 s\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, 30_000);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (ready === null || checking) return;
      checking = true;
      ready(stdout).then(
        (done) => {
          checking = false;
          if (done) child.kill('SIGTERM');
        },
        (error: unknown) => {
          failure = error;
          child.kill('SIGTERM');
        },
      );
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (failure !== null) reject(failure);
      else resolve({ code, stdout, stderr });
    });
  });
}

describe('WebSocket upgrades check the Origin', () => {
  const EDITOR_DEV = 'http://editor.example:5173';
  const { dir, options } = sandbox();
  let app: FastifyInstance;
  let port: number;

  beforeAll(async () => {
    ({ app } = await buildApp({ ...options, port: 0, allowedOrigins: [EDITOR_DEV] }, { registry, definitions: NODE_DEFINITIONS, help: nodeHelp, logger: false }));
    await app.listen({ host: '127.0.0.1', port: 0 });
    port = (app.server.address() as { port: number }).port;
  });
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Opens /ws, waits for hello (accepted) or a refusal, and closes the socket either way. */
  function attempt(origin: string | undefined): Promise<{ opened: boolean; status: number | null; hello: unknown }> {
    return new Promise((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, origin === undefined ? {} : { origin });
      let status: number | null = null;
      let opened = false;
      let hello: unknown = null;
      ws.on('unexpected-response', (_request, response) => {
        status = response.statusCode ?? null;
        response.resume();
        ws.terminate();
      });
      ws.on('open', () => (opened = true));
      ws.on('message', (data) => {
        hello = JSON.parse(String(data));
        ws.close();
      });
      ws.on('error', () => {});
      ws.on('close', () => resolve({ opened, status, hello }));
    });
  }

  it('refuses a foreign origin with 403 before the socket opens', async () => {
    for (const origin of ['http://evil.example', 'null', `http://127.0.0.1:${port + 1 === 65536 ? 1 : port + 1}`, `https://127.0.0.1:${port}`]) {
      const result = await attempt(origin);
      expect(result.opened, origin).toBe(false);
      expect(result.status, origin).toBe(403);
    }
  });

  it("accepts the server's own origins (on the port actually bound) and the --allow-origin ones", async () => {
    for (const origin of [`http://127.0.0.1:${port}`, `http://localhost:${port}`, EDITOR_DEV]) {
      const result = await attempt(origin);
      expect(result.opened, origin).toBe(true);
      expect(result.hello, origin).toMatchObject({ type: 'hello', server: 'barflow' });
    }
  });

  // Browsers always send Origin on a WebSocket handshake, and a page cannot remove it: the check is
  // what stops another site's page from reading a user's runs. A client without Origin is not a
  // browser (a script, curl, a bot); it could send any Origin it likes, so refusing it would protect
  // nothing, and reading values needs no token (commands go through the token-guarded REST routes).
  it('accepts a client that sends no Origin (not a browser)', async () => {
    const result = await attempt(undefined);
    expect(result.opened).toBe(true);
    expect(result.hello).toMatchObject({ type: 'hello' });
  });

  it("a wildcard bind still allows the loopback URL that `barflow serve` prints; IPv6 hosts are bracketed", () => {
    const wildcard = allowedOrigins('0.0.0.0', 8080, []);
    expect(wildcard).toContain('http://127.0.0.1:8080');
    expect(wildcard).toContain('http://localhost:8080');
    expect(wildcard).not.toContain('http://0.0.0.0:8080');
    const v6 = allowedOrigins('::1', 8080, []);
    expect(v6).toContain('http://[::1]:8080');
    expect(v6).not.toContain('http://::1:8080');
    expect(allowedOrigins('127.0.0.1', 8080, ['http://a.example'])).toEqual(new Set(['http://a.example', 'http://127.0.0.1:8080', 'http://localhost:8080', 'http://[::1]:8080']));
  });
});

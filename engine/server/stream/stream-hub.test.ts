/**
 * The WebSocket protocol against a real listening server and the `ws` client, every server message
 * checked against the shared zod schema: hello, subscriptions to a subset or to '*' (frames carry
 * only the subscribed nodes, only on bars where they fired), errors for bad messages without
 * dropping the connection, unsubscribe, and a client that stops reading while another keeps up —
 * the run keeps its speed, the reader gets every frame, the stalled one gets merged frames.
 */
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { nodeHelp } from '../../../nodes/help.ts';
import { NODE_DEFINITIONS, registry } from '../../../nodes/index.ts';
import { buildApp } from '../app.ts';
import { serverOptions } from '../config.ts';
import type { RunStatus } from '../protocol/rest.ts';
import { ServerMetrics } from '../metrics.ts';
import { ServerMessage, type BarFrame } from '../protocol/ws.ts';
import type { BarListener, RunSession } from '../runs/run-session.ts';
import { StreamHub } from './stream-hub.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const TOKEN = 'stream-token-0123456789abcdef';
const AUTH = { authorization: `Bearer ${TOKEN}` };
const DATA_START = Date.UTC(2020, 11, 1);
const FIVE_MINUTES = 300_000;

const dir = mkdtempSync(join(tmpdir(), 'barflow-stream-'));
let app: FastifyInstance;
let port: number;
const clients = new Set<Client>();

beforeAll(async () => {
  cpSync(join(ROOT, 'pipelines'), join(dir, 'pipelines'), { recursive: true });
  symlinkSync(join(ROOT, 'data'), join(dir, 'data'));
  const options = { ...serverOptions({}, { BARFLOW_TOKEN: TOKEN }), port: 0, pipelinesDir: join(dir, 'pipelines'), uploadDir: join(dir, 'uploads') };
  ({ app } = await buildApp(options, { registry, definitions: NODE_DEFINITIONS, help: nodeHelp, logger: false }));
  await app.listen({ host: '127.0.0.1', port: 0 });
  port = (app.server.address() as { port: number }).port;
});
afterAll(async () => {
  for (const c of clients) c.ws.terminate();
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

type Message = ServerMessage;

/** A `ws` client that validates every server message with the shared schema and lets a test wait for one. */
class Client {
  readonly messages: Message[] = [];
  readonly arrivals: number[] = [];
  readonly invalid: unknown[] = [];
  private waiters: { pred: (m: Message) => boolean; resolve: (m: Message) => void }[] = [];
  private pingId = 0;

  constructor(readonly ws: WebSocket) {
    clients.add(this);
    ws.on('message', (data: Buffer) => {
      const parsed = ServerMessage.safeParse(JSON.parse(data.toString('utf8')));
      if (!parsed.success) {
        this.invalid.push(data.toString('utf8').slice(0, 300));
        return;
      }
      this.messages.push(parsed.data);
      this.arrivals.push(Date.now());
      this.waiters = this.waiters.filter((w) => {
        if (!w.pred(parsed.data)) return true;
        w.resolve(parsed.data);
        return false;
      });
    });
    ws.on('close', () => clients.delete(this));
  }

  static async open(): Promise<Client> {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, { origin: `http://127.0.0.1:${port}` });
    const client = new Client(ws);
    await client.next((m) => m.type === 'hello');
    return client;
  }

  send(message: unknown): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** The first message (already received or still to come) matching `pred`. */
  next<T extends Message['type']>(pred: (m: Message) => boolean, timeoutMs = 5000, from = 0): Promise<Extract<Message, { type: T }>> {
    const seen = this.messages.slice(from).find(pred);
    if (seen !== undefined) return Promise.resolve(seen as Extract<Message, { type: T }>);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching message in ${timeoutMs} ms; got ${this.messages.map((m) => m.type).join(',')}`)), timeoutMs);
      this.waiters.push({ pred, resolve: (m) => (clearTimeout(timer), resolve(m as Extract<Message, { type: T }>)) });
    });
  }

  /** Everything the server sent before this returns has arrived (a ping's pong comes after it). */
  async barrier(): Promise<void> {
    const id = ++this.pingId;
    this.send({ type: 'ping', id });
    await this.next((m) => m.type === 'pong' && m.id === id);
  }

  async subscribe(runId: string, nodes: string[]): Promise<void> {
    const from = this.messages.length;
    this.send({ type: 'subscribe', runId, nodes });
    await this.next((m) => m.type === 'status' && m.run.id === runId, 5000, from);
  }

  frames(runId: string): BarFrame[] {
    return this.messages.flatMap((m) => (m.type === 'bars' && m.runId === runId ? m.frames : []));
  }

  merged(runId: string): number {
    return this.messages.reduce((sum, m) => sum + (m.type === 'bars' && m.runId === runId ? m.merged : 0), 0);
  }

  errors(): string[] {
    return this.messages.flatMap((m) => (m.type === 'error' ? [m.message] : []));
  }

  close(): void {
    this.ws.close();
  }
}

async function startRun(body: Record<string, unknown>): Promise<RunStatus> {
  const res = await app.inject({ method: 'POST', url: '/api/runs', headers: AUTH, payload: body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as RunStatus;
}

async function control(id: string, body: Record<string, unknown>): Promise<RunStatus> {
  const res = await app.inject({ method: 'POST', url: `/api/runs/${id}/control`, headers: AUTH, payload: body });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as RunStatus;
}

async function metric(name: string): Promise<number> {
  const text = (await app.inject({ url: '/metrics' })).body;
  const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return line === undefined ? NaN : Number(line.split(' ').pop());
}

describe('the WebSocket protocol', () => {
  it('says hello with the runs on connect', async () => {
    const run = await startRun({ pipeline: 'consensus', mode: 'replay', speed: 10, paused: true });
    const client = await Client.open();
    const hello = client.messages[0]!;
    expect(hello.type).toBe('hello');
    if (hello.type === 'hello') {
      expect(hello.server).toBe('barflow');
      expect(hello.runs.some((r) => r.id === run.id && r.state === 'paused')).toBe(true);
    }
    expect(client.invalid).toEqual([]);
    client.close();
  });

  it('frames carry only the subscribed nodes, only on the bars where they fired; "*" carries every node that fired', async () => {
    const run = await startRun({ pipeline: 'consensus', mode: 'replay', speed: 1000, paused: true });
    const some = await Client.open();
    const all = await Client.open();
    await some.subscribe(run.id, ['rsi', 'votes']);
    await all.subscribe(run.id, ['*']);
    const stepped = await control(run.id, { action: 'step', bars: 36 });
    expect(stepped.barsDone).toBe(36);
    await some.barrier();
    await all.barrier();

    const everything = all.frames(run.id);
    expect(everything.map((f) => f.i)).toEqual(Array.from({ length: 36 }, (_, i) => i)); // the 5m feed fires on every bar
    for (const f of everything) {
      expect(f.values['candles']).toBeDefined();
      expect(f.time).toBe(DATA_START + f.i * FIVE_MINUTES);
    }
    const rsiBars = everything.filter((f) => f.values['rsi'] !== undefined || f.values['votes'] !== undefined).map((f) => f.i);
    expect(rsiBars.length).toBeGreaterThanOrEqual(2); // an hour of 5m bars makes one 1h bar
    expect(rsiBars.length).toBeLessThanOrEqual(4);
    expect(new Set(everything.flatMap((f) => Object.keys(f.values))).size).toBeGreaterThan(5);

    const subset = some.frames(run.id);
    expect(subset.map((f) => f.i)).toEqual(rsiBars);
    for (const f of subset) {
      expect(Object.keys(f.values).length).toBeGreaterThan(0);
      for (const id of Object.keys(f.values)) expect(['rsi', 'votes']).toContain(id);
      const same = everything.find((g) => g.i === f.i)!;
      expect(f.values).toEqual({ ...(same.values['rsi'] ? { rsi: same.values['rsi'] } : {}), ...(same.values['votes'] ? { votes: same.values['votes'] } : {}) });
    }
    expect(some.merged(run.id) + all.merged(run.id)).toBe(0);

    // a frame's values are the node's outputs on that bar, as the REST bar view has them
    const last = subset.at(-1)!;
    const bar = (await app.inject({ url: `/api/runs/${run.id}/bars/${last.i}` })).json();
    expect(JSON.parse(JSON.stringify(last.values['rsi']))).toEqual(bar.values.rsi);
    expect(some.invalid).toEqual([]);
    expect(all.invalid).toEqual([]);
    some.close();
    all.close();
    await control(run.id, { action: 'stop' });
  });

  it('answers bad messages with an error and keeps the connection', async () => {
    const run = await startRun({ pipeline: 'consensus', mode: 'replay', speed: 10, paused: true });
    const client = await Client.open();
    const bad: [unknown, RegExp][] = [
      ['not json at all', /not JSON/],
      [{ type: 'explode' }, /not a client message/],
      [{ type: 'subscribe', runId: run.id }, /not a client message/],
      [{ type: 'subscribe', runId: run.id, nodes: 'rsi' }, /not a client message/],
      [{ type: 'subscribe', runId: 'x'.repeat(65), nodes: ['rsi'] }, /not a client message/],
      [{ type: 'subscribe', runId: 'nope', nodes: ['rsi'] }, /no run "nope"/],
      [{ type: 'subscribe', runId: run.id, nodes: ['rsi', 'ghost'] }, /has no node "ghost"/],
      [[1, 2, 3], /not a client message/],
      [null, /not a client message/],
    ];
    for (const [message, expected] of bad) {
      const before = client.errors().length;
      client.send(message);
      await client.barrier();
      expect(client.errors().length, JSON.stringify(message)).toBe(before + 1);
      expect(client.errors().at(-1), JSON.stringify(message)).toMatch(expected);
    }
    client.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    await client.barrier();
    expect(client.errors().at(-1)).toMatch(/JSON text/);
    expect(client.ws.readyState).toBe(WebSocket.OPEN);

    // over the 64 KiB frame limit: ws closes that one connection (1009), the server goes on
    const closed = new Promise<number>((resolve) => client.ws.once('close', (code) => resolve(code)));
    client.send({ type: 'subscribe', runId: run.id, nodes: Array.from({ length: 1500 }, (_, i) => `n${i}`.padEnd(50, 'x')) });
    expect(await closed).toBe(1009);
    const another = await Client.open();
    await another.barrier();
    another.close();
  });

  it('unsubscribe stops the frames of that run', async () => {
    const run = await startRun({ pipeline: 'consensus', mode: 'replay', speed: 10, paused: true });
    const client = await Client.open();
    await client.subscribe(run.id, ['candles']);
    await control(run.id, { action: 'step', bars: 12 });
    await client.barrier();
    expect(client.frames(run.id).length).toBe(12);
    client.send({ type: 'unsubscribe', runId: run.id });
    await client.barrier();
    await control(run.id, { action: 'step', bars: 12 });
    await control(run.id, { action: 'resume' });
    await new Promise((resolve) => setTimeout(resolve, 150));
    await client.barrier();
    expect(client.frames(run.id).length).toBe(12);
    await control(run.id, { action: 'stop' });
    client.close();
  });

  it('a client that stops reading gets merged frames; the others and the run keep their pace', { timeout: 30_000 }, async () => {
    const SPEED = 2000;
    // a fork of ENYGMA (the same graph, unlocked): every node on every bar is several MB a second
    const fork = await app.inject({ method: 'POST', url: '/api/pipelines/enygma/fork', headers: AUTH, payload: { name: 'enygma-stream' } });
    expect(fork.statusCode, fork.body).toBe(201);
    const run = await startRun({ pipeline: 'enygma-stream', mode: 'replay', speed: SPEED, paused: true, to: DATA_START + 3999 * FIVE_MINUTES });
    const total = run.barsTotal;
    expect(total).toBeGreaterThan(3500);
    const droppedBefore = await metric('barflow_ws_frames_dropped_total');

    const reader = await Client.open();
    const stalled = await Client.open();
    await reader.subscribe(run.id, ['candles', 'risk']);
    await stalled.subscribe(run.id, ['*']);
    const socket = (stalled.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    socket.pause(); // stops reading: the kernel buffers fill, then the server's send queue grows

    const t0 = Date.now();
    await control(run.id, { action: 'resume' });
    let state: RunStatus;
    for (;;) {
      state = (await app.inject({ url: `/api/runs/${run.id}` })).json() as RunStatus;
      if (state.state !== 'running' || Date.now() - t0 > 20_000) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const elapsed = (Date.now() - t0) / 1000;
    // the run finished while the stalled client had read nothing: it never waits for a reader
    expect(state.state).toBe('done');
    expect(stalled.frames(run.id)).toEqual([]);
    // and at its speed (never faster; slower only by what a loaded test machine costs, not seconds of waiting)
    const nominal = total / SPEED;
    expect(elapsed).toBeGreaterThan(nominal * 0.8);
    expect(elapsed).toBeLessThan(nominal * 2.5 + 1);

    // the reader got every frame, unmerged, as the bars were committed (the last batch leaves at most
    // 40 ms after the run's last slice: messages are paced)
    await new Promise((resolve) => setTimeout(resolve, 120));
    await reader.barrier();
    const frames = reader.frames(run.id);
    expect(frames.length).toBe(total);
    expect(frames.every((f, k) => f.i === k)).toBe(true);
    expect(reader.merged(run.id)).toBe(0);
    const lags = reader.messages.flatMap((m, k) => (m.type === 'bars' ? [reader.arrivals[k]! - m.frames.at(-1)!.sentAt] : [])).sort((a, b) => a - b);
    expect(lags[Math.floor(lags.length / 2)]!).toBeLessThan(250);
    expect(lags.at(-1)!).toBeLessThan(3000);

    expect(await metric('barflow_ws_frames_dropped_total')).toBeGreaterThan(droppedBefore);

    // reading again, the stalled client catches up: fewer frames than bars, the merged count says how many went, the latest values arrive
    socket.resume();
    await stalled.next((m) => m.type === 'bars' && m.frames.at(-1)!.i === total - 1, 15_000);
    await stalled.barrier();
    const got = stalled.frames(run.id);
    expect(stalled.merged(run.id)).toBeGreaterThan(0);
    expect(got.length).toBeLessThan(total);
    expect(got.length + stalled.merged(run.id)).toBe(total);
    expect(got.at(-1)!.i).toBe(total - 1);
    expect(stalled.invalid).toEqual([]);
    reader.close();
    stalled.close();
  });
});

/**
 * Flow control with stub sockets (bufferedAmount set by the test): clients that fall behind together
 * share one merged message, and a client still stalled when the run stops committing bars gets its
 * latest values once its socket drains (no slice flushes any more: the hub retries on its own).
 */
describe('StreamHub flow control (stub sockets)', () => {
  class StubSocket {
    readonly OPEN = 1;
    readyState = 1;
    bufferedAmount = 0;
    readonly sent: Buffer[] = [];
    send(data: Buffer | string): void {
      this.sent.push(Buffer.isBuffer(data) ? data : Buffer.from(data));
    }
    on(): void {}
    bars(): { frames: BarFrame[]; merged: number }[] {
      return this.sent.map((b) => JSON.parse(b.toString('utf8')) as ServerMessage).flatMap((m) => (m.type === 'bars' ? [{ frames: m.frames, merged: m.merged }] : []));
    }
  }

  const SERIES_NODE = { outputs: { value: { type: 'series' } } };

  function fixture() {
    const listeners = new Set<BarListener>();
    let bar = -1;
    const session = {
      plan: { nodes: [{ id: 'a', index: 0, def: SERIES_NODE }, { id: 'b', index: 1, def: SERIES_NODE }] },
      liveRunner: { fired: () => true, outputsOf: (k: number) => ({ value: k * 1_000_000 + bar }) },
      data: { time: Array.from({ length: 1000 }, (_, i) => DATA_START + i * FIVE_MINUTES) },
      listen: (l: BarListener) => (listeners.add(l), () => listeners.delete(l)),
      status: () => ({ id: 'r' }),
    } as unknown as RunSession;
    const metrics = new ServerMetrics();
    // every slice flushes at once here (no 40 ms pacing), so each step of the test is one message
    const hub = new StreamHub(metrics, (id) => (id === 'r' ? session : undefined), { flushEveryMs: 0 });
    /** commits `n` bars, then flushes as a run's slice does */
    const slice = (n: number) => {
      for (let k = 0; k < n; k++) {
        bar++;
        for (const l of listeners) l(session, bar);
      }
      hub.flush('r');
    };
    const connect = () => {
      const ws = new StubSocket();
      const client = hub.add(ws as unknown as WebSocket, { type: 'hello', server: 'barflow', runs: [] });
      hub.handle(client, { type: 'subscribe', runId: 'r', nodes: ['*'] });
      ws.sent.length = 0;
      return ws;
    };
    return { hub, slice, connect, metrics, last: () => bar };
  }

  it('clients behind together share one merge; every bar is either delivered or counted as merged', () => {
    const { slice, connect } = fixture();
    const sockets = [connect(), connect(), connect()];
    slice(10);
    for (const ws of sockets) ws.bufferedAmount = 2 << 20; // behind: merged, still sent
    slice(10);
    slice(10);
    for (const ws of sockets) ws.bufferedAmount = 0;
    slice(5);
    for (const ws of sockets) {
      const got = ws.bars();
      expect(got.map((m) => m.frames.length)).toEqual([10, 1, 1, 5]);
      expect(got.reduce((a, m) => a + m.frames.length + m.merged, 0)).toBe(35);
      expect(got[1]!.frames[0]!.i).toBe(19);
      expect(got[1]!.frames[0]!.values['a']).toEqual({ value: 19 });
    }
    // one serialisation for the three: the very same buffer went to each socket
    expect(sockets[1]!.sent[1]).toBe(sockets[0]!.sent[1]);
    expect(sockets[2]!.sent[2]).toBe(sockets[0]!.sent[2]);
  });

  it('a client stalled when the run ends gets the final values once its socket drains', async () => {
    const { slice, connect, last } = fixture();
    const reader = connect();
    const stalled = connect();
    slice(20);
    stalled.bufferedAmount = 9 << 20; // stalled: nothing more is queued for it
    slice(50);
    slice(50); // the run's last slice: nothing calls flush after this
    expect(stalled.bars().flatMap((m) => m.frames).at(-1)!.i).toBe(19);
    stalled.bufferedAmount = 0;
    await new Promise((resolve) => setTimeout(resolve, 200));
    const got = stalled.bars();
    expect(got.at(-1)!.frames.at(-1)!.i).toBe(last());
    expect(got.at(-1)!.frames.at(-1)!.values['b']).toEqual({ value: 1_000_000 + last() });
    expect(got.reduce((a, m) => a + m.frames.length + m.merged, 0)).toBe(last() + 1);
    expect(reader.bars().reduce((a, m) => a + m.frames.length, 0)).toBe(last() + 1);
  });

  it('paces a run\'s messages to one per 40 ms, batched, and merges only what outruns a message', async () => {
    const listeners = new Set<BarListener>();
    let bar = -1;
    const session = {
      plan: { nodes: [{ id: 'a', index: 0, def: SERIES_NODE }] },
      liveRunner: { fired: () => true, outputsOf: () => ({ value: bar }) },
      data: { time: Array.from({ length: 2000 }, (_, i) => DATA_START + i * FIVE_MINUTES) },
      listen: (l: BarListener) => (listeners.add(l), () => listeners.delete(l)),
      status: () => ({ id: 'r' }),
    } as unknown as RunSession;
    const hub = new StreamHub(new ServerMetrics(), (id) => (id === 'r' ? session : undefined));
    const ws = new StubSocket();
    hub.handle(hub.add(ws as unknown as WebSocket, { type: 'hello', server: 'barflow', runs: [] }), { type: 'subscribe', runId: 'r', nodes: ['*'] });
    ws.sent.length = 0;
    const slice = (n: number) => {
      for (let k = 0; k < n; k++) {
        bar++;
        for (const l of listeners) l(session, bar);
      }
      hub.flush('r');
    };
    for (let k = 0; k < 10; k++) slice(3); // ten slices in a burst: one message now, the rest after 40 ms
    expect(ws.bars()).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(ws.bars()).toHaveLength(2);
    expect(ws.bars().map((m) => m.frames.length)).toEqual([3, 27]);
    slice(1000); // far more bars than a message should carry: the latest values, with the count merged away
    await new Promise((resolve) => setTimeout(resolve, 80));
    const last = ws.bars().at(-1)!;
    expect(last.frames).toHaveLength(1);
    expect(last.merged).toBe(999);
    expect(last.frames[0]!.values['a']).toEqual({ value: 1029 });
  });

  it("sends '*' without record outputs, and every output of a node named as well", () => {
    const listeners = new Set<BarListener>();
    let bar = -1;
    const session = {
      plan: { nodes: [{ id: 'scorer', index: 0, def: { outputs: { total: { type: 'series' }, breakdown: { type: 'record' } } } }] },
      liveRunner: { fired: () => true, outputsOf: () => ({ total: bar, breakdown: { signals: [bar] } }) },
      data: { time: Array.from({ length: 10 }, (_, i) => DATA_START + i * FIVE_MINUTES) },
      listen: (l: BarListener) => (listeners.add(l), () => listeners.delete(l)),
      status: () => ({ id: 'r' }),
    } as unknown as RunSession;
    const hub = new StreamHub(new ServerMetrics(), (id) => (id === 'r' ? session : undefined), { flushEveryMs: 0 });
    const star = new StubSocket();
    const named = new StubSocket();
    hub.handle(hub.add(star as unknown as WebSocket, { type: 'hello', server: 'barflow', runs: [] }), { type: 'subscribe', runId: 'r', nodes: ['*'] });
    hub.handle(hub.add(named as unknown as WebSocket, { type: 'hello', server: 'barflow', runs: [] }), { type: 'subscribe', runId: 'r', nodes: ['*', 'scorer'] });
    bar = 0;
    for (const l of listeners) l(session, 0);
    hub.flush('r');
    expect(star.bars()[0]!.frames[0]!.values['scorer']).toEqual({ total: 0 });
    expect(named.bars()[0]!.frames[0]!.values['scorer']).toEqual({ total: 0, breakdown: { signals: [0] } });
  });
});

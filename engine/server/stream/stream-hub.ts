import type { WebSocket } from 'ws';
import type { ServerMetrics } from '../metrics.ts';
import type { BarFrame, ClientMessage, ServerMessage } from '../protocol/ws.ts';
import type { RunSession } from '../runs/run-session.ts';

/** Above this much unsent data a client is behind: its frames are merged to the latest values. */
const BEHIND_BYTES = 1 << 20;
/** Above this, nothing more is queued on the socket until it drains (merging continues). */
const STALLED_BYTES = 8 << 20;
/** How often a stalled client's held frames are tried again when no new bars come to flush them. */
const RETRY_MS = 50;
/** Messages to a run's subscribers go out at most this often (ms). */
const FLUSH_EVERY_MS = 40;
/** Bar frames one message may carry before they are merged into the latest values. */
const MAX_FRAMES_PER_MESSAGE = 256;

interface Subscription {
  run: string;
  /** '*': every node, without its `record` outputs (breakdowns, details — name a node to get those) */
  all: boolean;
  /** nodes named explicitly: every output */
  nodes: Set<string>;
  key: string;
  pending: BarFrame[];
  merged: number;
  /** the flush that last emptied `pending` (or the one before the subscription) */
  since: number;
}

interface Client {
  ws: WebSocket;
  subs: Map<string, Subscription>;
}

/**
 * Fans bar frames out to WebSocket clients. A run's values are read once per bar for the union of
 * what its subscribers want; at each flush, clients with the same subscription share one
 * serialised message. A client that falls behind gets its backlog merged into one frame holding the
 * latest value of each node (the merged count travels with it) — the run never waits for anyone,
 * so a slow client cannot slow the others.
 */
export class StreamHub {
  private readonly clients = new Set<Client>();
  private readonly detach = new Map<string, () => void>();
  private readonly retries = new Set<string>();
  private readonly lastFlush = new Map<string, number>();
  private readonly waiting = new Set<string>();
  private flushes = 0;

  private readonly flushEveryMs: number;

  constructor(
    private readonly metrics: ServerMetrics,
    private readonly findRun: (id: string) => RunSession | undefined,
    options: { flushEveryMs?: number } = {},
  ) {
    this.flushEveryMs = options.flushEveryMs ?? FLUSH_EVERY_MS;
  }

  get size(): number {
    return this.clients.size;
  }

  add(ws: WebSocket, hello: ServerMessage): Client {
    const client: Client = { ws, subs: new Map() };
    this.clients.add(client);
    this.metrics.wsClients.set(this.clients.size);
    ws.send(JSON.stringify(hello));
    ws.on('close', () => this.remove(client));
    return client;
  }

  remove(client: Client): void {
    this.clients.delete(client);
    this.metrics.wsClients.set(this.clients.size);
    for (const run of client.subs.keys()) this.refreshListener(run);
  }

  handle(client: Client, message: ClientMessage): void {
    if (message.type === 'ping') return this.send(client.ws, { type: 'pong', id: message.id });
    if (message.type === 'unsubscribe') {
      client.subs.delete(message.runId);
      return this.refreshListener(message.runId);
    }
    const session = this.findRun(message.runId);
    if (session === undefined) return this.send(client.ws, { type: 'error', message: `no run "${message.runId}"` });
    const all = message.nodes.includes('*');
    const named = message.nodes.filter((n) => n !== '*');
    const known = new Set(session.plan.nodes.map((n) => n.id));
    const unknown = named.filter((n) => !known.has(n));
    if (unknown.length > 0) return this.send(client.ws, { type: 'error', message: `run "${message.runId}" has no node ${unknown.slice(0, 5).map((n) => `"${n}"`).join(', ')}` });
    const nodes = new Set(named);
    const key = `${all ? '*' : ''}|${[...nodes].sort().join(',')}`;
    client.subs.set(message.runId, { run: message.runId, all, nodes, key, pending: [], merged: 0, since: this.flushes });
    this.refreshListener(message.runId);
    this.send(client.ws, { type: 'status', run: session.status() });
  }

  /** Sends every client its pending frames of `run` (called after each slice of committed bars). */
  /**
   * Called after each slice of committed bars. Messages go out at most every FLUSH_EVERY_MS per run
   * (the rest wait for a timer), so a replay at a human pace arrives bar by bar while a run at full
   * speed arrives as a steady stream of merged frames instead of thousands of messages a second.
   */
  flush(run: string): void {
    const now = Date.now();
    const due = (this.lastFlush.get(run) ?? 0) + this.flushEveryMs;
    if (now < due) {
      if (!this.waiting.has(run)) {
        this.waiting.add(run);
        setTimeout(() => {
          this.waiting.delete(run);
          this.flush(run);
        }, due - now).unref();
      }
      return;
    }
    this.lastFlush.set(run, now);
    this.deliver(run);
  }

  private deliver(run: string): void {
    const seq = ++this.flushes;
    // Subscriptions to the same nodes that were last emptied at the same flush hold the same frames (the
    // listener pushes every frame to every subscription): with the same state of their socket they share
    // one merge and one serialised message, so 50 clients that fall behind together cost one client's work.
    const groups = new Map<string, { subs: Subscription[]; clients: Client[]; state: 'ok' | 'behind' | 'stalled' }>();
    for (const client of this.clients) {
      const sub = client.subs.get(run);
      if (sub === undefined || sub.pending.length === 0) continue;
      const buffered = client.ws.bufferedAmount;
      // more bars than a message should carry means bars outrun any browser: send the latest values
      const state = buffered > STALLED_BYTES ? 'stalled' : buffered > BEHIND_BYTES || sub.pending.length > MAX_FRAMES_PER_MESSAGE ? 'behind' : 'ok';
      const key = `${sub.key}|${sub.since}|${sub.merged}|${sub.pending.length}|${state}`;
      const group = groups.get(key) ?? groups.set(key, { subs: [], clients: [], state }).get(key)!;
      group.subs.push(sub);
      group.clients.push(client);
    }
    let held = false;
    for (const { subs, clients, state } of groups.values()) {
      const first = subs[0]!;
      if (state !== 'ok') {
        const before = first.pending.length;
        this.merge(first);
        for (const sub of subs) {
          if (sub === first) continue;
          this.metrics.framesDropped.inc(before - first.pending.length);
          sub.pending = first.pending.slice();
          sub.merged = first.merged;
        }
      }
      if (state === 'stalled') {
        held = true;
        continue;
      }
      // encoded once for the whole group: a string would be measured and UTF-8-encoded again for every client
      const text = Buffer.from(JSON.stringify({ type: 'bars', runId: run, frames: first.pending, merged: first.merged } satisfies ServerMessage));
      for (let k = 0; k < subs.length; k++) {
        const sub = subs[k]!;
        clients[k]!.ws.send(text, { binary: false });
        this.metrics.framesSent.inc(sub.pending.length);
        sub.pending = [];
        sub.merged = 0;
        sub.since = seq;
      }
    }
    // a stalled client's latest values wait for its socket to drain; once the run stops committing bars no
    // slice calls flush any more, so look again until they are out (or the client is gone)
    if (held && !this.retries.has(run)) {
      this.retries.add(run);
      setTimeout(() => {
        this.retries.delete(run);
        this.deliver(run);
      }, RETRY_MS).unref();
    }
  }

  broadcastStatus(message: ServerMessage): void {
    const text = Buffer.from(JSON.stringify(message));
    for (const client of this.clients) if (client.ws.readyState === client.ws.OPEN) client.ws.send(text, { binary: false });
  }

  private send(ws: WebSocket, message: ServerMessage): void {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
  }

  /** A behind client's backlog becomes one frame with the latest value of every node in it. */
  private merge(sub: Subscription): void {
    if (sub.pending.length < 2) return;
    const values: BarFrame['values'] = {};
    for (const frame of sub.pending) Object.assign(values, frame.values);
    const last = sub.pending[sub.pending.length - 1]!;
    sub.merged += sub.pending.length - 1;
    this.metrics.framesDropped.inc(sub.pending.length - 1);
    sub.pending = [{ i: last.i, time: last.time, sentAt: last.sentAt, values }];
  }

  /** Re-attaches the run's bar listener for the union of what its subscribers want (or detaches it). */
  private refreshListener(run: string): void {
    this.detach.get(run)?.();
    this.detach.delete(run);
    const session = this.findRun(run);
    if (session === undefined) return;
    const subs = [...this.clients].map((c) => c.subs.get(run)).filter((s): s is Subscription => s !== undefined);
    if (subs.length === 0) return;
    const everything = subs.some((s) => s.all);
    const named = new Set(subs.flatMap((s) => [...s.nodes]));
    const wanted = session.plan.nodes.filter((n) => everything || named.has(n.id)).map((n) => n.index);
    const ids = session.plan.nodes.map((n) => n.id);
    // the ports '*' carries: all but `record` outputs, which are large and read one node at a time
    const light = session.plan.nodes.map((n) => Object.entries(n.def.outputs).filter(([, spec]) => spec.type !== 'record').map(([port]) => port));
    this.detach.set(
      run,
      session.listen((s, index) => {
        const runner = s.liveRunner;
        const lightValues: BarFrame['values'] = {};
        const fullValues: BarFrame['values'] = {};
        let any = false;
        for (const k of wanted) {
          if (!runner.fired(k)) continue;
          const id = ids[k]!;
          const outputs = runner.outputsOf(k);
          if (named.has(id)) fullValues[id] = { ...outputs };
          if (everything) {
            const own: Record<string, unknown> = {};
            for (const port of light[k]!) own[port] = outputs[port];
            lightValues[id] = own;
          }
          any = true;
        }
        if (!any) return;
        const time = s.data.time[index]!;
        const sentAt = Date.now();
        const shared: BarFrame | null = everything ? { i: index, time, sentAt, values: lightValues } : null;
        for (const sub of subs) {
          if (sub.all && sub.nodes.size === 0) {
            sub.pending.push(shared!);
            continue;
          }
          const own: BarFrame['values'] = sub.all ? { ...lightValues } : {};
          let mine = sub.all && Object.keys(lightValues).length > 0;
          for (const id of sub.nodes) {
            const v = fullValues[id];
            if (v !== undefined) {
              own[id] = v;
              mine = true;
            }
          }
          if (mine) sub.pending.push({ i: index, time, sentAt, values: own });
        }
      }),
    );
  }
}

import type { WebSocket } from 'ws';
import type { ServerMetrics } from '../metrics.ts';
import type { BarFrame, ClientMessage, ServerMessage } from '../protocol/ws.ts';
import type { RunSession } from '../runs/run-session.ts';

/** Above this much unsent data a client is behind: its frames are merged to the latest values. */
const BEHIND_BYTES = 1 << 20;
/** Above this, nothing more is queued on the socket until it drains (merging continues). */
const STALLED_BYTES = 8 << 20;

interface Subscription {
  run: string;
  /** node ids, or null for every node */
  nodes: Set<string> | null;
  key: string;
  pending: BarFrame[];
  merged: number;
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

  constructor(
    private readonly metrics: ServerMetrics,
    private readonly findRun: (id: string) => RunSession | undefined,
  ) {}

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
    const known = new Set(session.plan.nodes.map((n) => n.id));
    const unknown = all ? [] : message.nodes.filter((n) => !known.has(n));
    if (unknown.length > 0) return this.send(client.ws, { type: 'error', message: `run "${message.runId}" has no node ${unknown.slice(0, 5).map((n) => `"${n}"`).join(', ')}` });
    const nodes = all ? null : new Set(message.nodes);
    client.subs.set(message.runId, { run: message.runId, nodes, key: all ? '*' : [...nodes!].sort().join(','), pending: [], merged: 0 });
    this.refreshListener(message.runId);
    this.send(client.ws, { type: 'status', run: session.status() });
  }

  /** Sends every client its pending frames of `run` (called after each slice of committed bars). */
  flush(run: string): void {
    const groups = new Map<string, Subscription[]>();
    const clientsOf = new Map<Subscription, Client>();
    for (const client of this.clients) {
      const sub = client.subs.get(run);
      if (sub === undefined || sub.pending.length === 0) continue;
      if (client.ws.bufferedAmount > BEHIND_BYTES) this.merge(sub);
      if (client.ws.bufferedAmount > STALLED_BYTES) continue;
      clientsOf.set(sub, client);
      const key = `${sub.key}|${sub.merged}|${sub.pending.length}`;
      (groups.get(key) ?? groups.set(key, []).get(key)!).push(sub);
    }
    for (const subs of groups.values()) {
      const first = subs[0]!;
      const text = JSON.stringify({ type: 'bars', runId: run, frames: first.pending, merged: first.merged } satisfies ServerMessage);
      for (const sub of subs) {
        clientsOf.get(sub)!.ws.send(text);
        this.metrics.framesSent.inc(sub.pending.length);
        sub.pending = [];
        sub.merged = 0;
      }
    }
  }

  broadcastStatus(message: ServerMessage): void {
    const text = JSON.stringify(message);
    for (const client of this.clients) if (client.ws.readyState === client.ws.OPEN) client.ws.send(text);
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
    const everything = subs.some((s) => s.nodes === null);
    const wanted = session.plan.nodes.filter((n) => everything || subs.some((s) => s.nodes!.has(n.id))).map((n) => n.index);
    const ids = session.plan.nodes.map((n) => n.id);
    this.detach.set(
      run,
      session.listen((s, index) => {
        const runner = s.liveRunner;
        const values: BarFrame['values'] = {};
        let any = false;
        for (const k of wanted) {
          if (!runner.fired(k)) continue;
          values[ids[k]!] = { ...runner.outputsOf(k) };
          any = true;
        }
        if (!any) return;
        const frame: BarFrame = { i: index, time: s.data.time[index]!, sentAt: Date.now(), values };
        for (const sub of subs) {
          if (sub.nodes === null) sub.pending.push(frame);
          else {
            const own: BarFrame['values'] = {};
            let mine = false;
            for (const id of sub.nodes) {
              const v = values[id];
              if (v !== undefined) {
                own[id] = v;
                mine = true;
              }
            }
            if (mine) sub.pending.push({ ...frame, values: own });
          }
        }
      }),
    );
  }
}

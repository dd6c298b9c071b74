import { ServerMessage, type BarFrame, type ClientMessage } from '../../../engine/server/protocol/ws.ts';
import type { RunStatus } from '../../../engine/server/protocol/rest.ts';

type Listener = () => void;

/** WebSocket.OPEN (a number, so the module also loads where no WebSocket global exists: tests) */
const OPEN = 1;

/** Latest value of every port of every node of the subscribed run, plus a short history of series. */
export interface LiveState {
  connected: boolean;
  runs: Record<string, RunStatus>;
  runId: string | null;
  lastIndex: number;
  lastTime: number | null;
  values: Record<string, Record<string, unknown>>;
  /** recent numeric values per `node.port`, for sparklines */
  recent: Record<string, number[]>;
  merged: number;
  /** bar-to-browser latency of the last frame batch, ms */
  latencyMs: number | null;
  /** WebSocket round trip of the last ping, ms */
  rttMs: number | null;
}

const RECENT = 60;
/** frames held for the next animation frame beyond this many are applied at once (a tab in the background) */
const MAX_PENDING = 600;
/** rAF does not run in a hidden tab: frames are applied on this timer there */
const HIDDEN_FLUSH_MS = 250;

type Schedule = (flush: () => void) => () => void;

/** The next animation frame, or a timer where there is none (a hidden tab, tests): returns a cancel. */
const nextFrame: Schedule = (flush) => {
  const visible = typeof document === 'undefined' || document.visibilityState !== 'hidden';
  if (typeof requestAnimationFrame !== 'function' || !visible) {
    const timer = setTimeout(flush, HIDDEN_FLUSH_MS);
    return () => clearTimeout(timer);
  }
  const frame = requestAnimationFrame(flush);
  // a tab hidden after the request never runs it: the timer does
  const timer = setTimeout(flush, HIDDEN_FLUSH_MS);
  return () => {
    cancelAnimationFrame(frame);
    clearTimeout(timer);
  };
};

/**
 * The editor's WebSocket client: validates every message against the shared protocol, keeps the
 * latest node values (outside React state, so a bar tick re-renders only the cards that read it),
 * and reconnects with backoff. Bar frames are coalesced: however many messages arrive (the server
 * may send one per committed bar), they are applied together at most once per animation frame, so
 * listeners — and the React work they start — run at most at the display's rate.
 */
export class LiveStream {
  private ws: WebSocket | null = null;
  private readonly listeners = new Set<Listener>();
  private retry = 500;
  private pings = new Map<number, number>();
  private pingSeq = 0;
  private pingTimer: ReturnType<typeof setInterval> | null = null;
  private subscription: { runId: string; nodes: string[] } | null = null;
  /** bar frames received since the last animation frame, and the merged count they carried */
  private pending: BarFrame[] = [];
  private pendingMerged = 0;
  private cancelFlush: (() => void) | null = null;
  /** applied batches of frames (one per animation frame at most) */
  flushes = 0;
  state: LiveState = { connected: false, runs: {}, runId: null, lastIndex: -1, lastTime: null, values: {}, recent: {}, merged: 0, latencyMs: null, rttMs: null };

  /** `schedule`: when to apply the frames received (the next animation frame; tests pass their own) */
  constructor(private readonly schedule: Schedule = nextFrame) {}

  connect(): void {
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
    const ws = new WebSocket(url);
    this.ws = ws;
    ws.onopen = () => {
      this.retry = 500;
      this.update({ connected: true });
      if (this.subscription !== null) this.send({ type: 'subscribe', ...this.subscription });
      this.ping();
      this.pingTimer ??= setInterval(() => this.ping(), 5000);
    };
    ws.onclose = () => {
      this.pings.clear();
      this.update({ connected: false, rttMs: null });
      setTimeout(() => this.connect(), this.retry);
      this.retry = Math.min(this.retry * 2, 8000);
    };
    ws.onmessage = (event) => this.receive(event.data as string);
  }

  subscribe(runId: string, nodes: string[] = ['*']): void {
    this.dropPending();
    if (this.subscription !== null && this.subscription.runId !== runId) this.send({ type: 'unsubscribe', runId: this.subscription.runId });
    this.subscription = { runId, nodes };
    this.state = { ...this.state, runId, lastIndex: -1, lastTime: null, values: {}, recent: {}, merged: 0 };
    this.send({ type: 'subscribe', runId, nodes });
    this.emit();
  }

  /**
   * '*' carries every node without its `record` outputs (a scorer's breakdown, indicator details);
   * the nodes the inspector shows are named too, so they arrive whole.
   */
  focus(ids: readonly string[]): void {
    if (this.subscription === null) return;
    const nodes = ['*', ...ids];
    if (nodes.join('\n') === this.subscription.nodes.join('\n')) return;
    this.subscription = { runId: this.subscription.runId, nodes };
    this.send({ type: 'subscribe', runId: this.subscription.runId, nodes });
  }

  /** Stops receiving values (another pipeline is shown and has no run). */
  unsubscribe(): void {
    this.dropPending();
    if (this.subscription !== null) this.send({ type: 'unsubscribe', runId: this.subscription.runId });
    this.subscription = null;
    this.state = { ...this.state, runId: null, lastIndex: -1, lastTime: null, values: {}, recent: {}, merged: 0, latencyMs: null };
    this.emit();
  }

  /**
   * Fills in values read over REST (a paused or finished run sends no frames): only nodes that no
   * frame has set yet, since frames are newer.
   */
  seed(runId: string, index: number, time: number, values: Record<string, Record<string, unknown>>): void {
    if (runId !== this.state.runId) return;
    this.flush();
    const merged = { ...values, ...this.state.values };
    const newer = index > this.state.lastIndex;
    this.update({ values: merged, lastIndex: newer ? index : this.state.lastIndex, lastTime: newer ? time : this.state.lastTime });
  }

  private ping(): void {
    if (this.ws === null || this.ws.readyState !== OPEN) return;
    const id = ++this.pingSeq;
    this.pings.set(id, performance.now());
    if (this.pings.size > 10) this.pings.delete(this.pings.keys().next().value!);
    this.send({ type: 'ping', id });
  }

  on(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private send(message: ClientMessage): void {
    if (this.ws !== null && this.ws.readyState === OPEN) this.ws.send(JSON.stringify(message));
  }

  private receive(text: string): void {
    const parsed = ServerMessage.safeParse(JSON.parse(text));
    if (!parsed.success) return;
    const message = parsed.data;
    if (message.type === 'hello') this.update({ runs: Object.fromEntries(message.runs.map((r) => [r.id, r])) });
    else if (message.type === 'status') this.update({ runs: { ...this.state.runs, [message.run.id]: message.run } });
    else if (message.type === 'bars' && message.runId === this.state.runId) this.enqueue(message.frames, message.merged);
    else if (message.type === 'pong') {
      const sent = this.pings.get(message.id);
      this.pings.delete(message.id);
      if (sent !== undefined) this.update({ rttMs: performance.now() - sent });
    }
  }

  private enqueue(frames: BarFrame[], merged: number): void {
    if (frames.length === 0) return;
    for (const frame of frames) this.pending.push(frame);
    this.pendingMerged += merged;
    if (this.pending.length >= MAX_PENDING) this.flush();
    else this.cancelFlush ??= this.schedule(() => this.flush());
  }

  /** Applies the frames received so far now (the animation frame does it otherwise). */
  flush(): void {
    if (this.cancelFlush !== null) {
      this.cancelFlush();
      this.cancelFlush = null;
    }
    if (this.pending.length === 0) return;
    const frames = this.pending;
    const merged = this.pendingMerged;
    this.pending = [];
    this.pendingMerged = 0;
    this.flushes++;
    this.applyFrames(frames, merged);
  }

  private dropPending(): void {
    this.cancelFlush?.();
    this.cancelFlush = null;
    this.pending = [];
    this.pendingMerged = 0;
  }

  private applyFrames(frames: BarFrame[], merged: number): void {
    if (frames.length === 0) return;
    const values = { ...this.state.values };
    const recent = { ...this.state.recent };
    // new points per series over the whole batch, then one copy of each list (not one per bar)
    const added = new Map<string, number[]>();
    for (const frame of frames) {
      for (const [node, ports] of Object.entries(frame.values)) {
        values[node] = ports;
        for (const [port, value] of Object.entries(ports)) {
          if (typeof value !== 'number') continue;
          const key = `${node}.${port}`;
          const list = added.get(key);
          if (list === undefined) added.set(key, [value]);
          else list.push(value);
        }
      }
    }
    for (const [key, points] of added) {
      const previous = recent[key] ?? [];
      const keep = Math.max(0, RECENT - points.length);
      recent[key] = (keep === 0 ? points.slice(-RECENT) : previous.slice(-keep).concat(points));
    }
    const last = frames[frames.length - 1]!;
    this.update({ values, recent, lastIndex: last.i, lastTime: last.time, merged: this.state.merged + merged, latencyMs: Date.now() - last.sentAt });
  }

  private update(patch: Partial<LiveState>): void {
    this.state = { ...this.state, ...patch };
    this.emit();
  }

  private emit(): void {
    for (const l of this.listeners) l();
  }
}

export const live = new LiveStream();

import { loadavg } from 'node:os';
import { join, relative } from 'node:path';
import { WebSocket } from 'ws';
import { loadCandles } from '../../engine/data/candles-csv.ts';
import type { RunStatus } from '../../engine/server/protocol/rest.ts';
import type { ServerMessage } from '../../engine/server/protocol/ws.ts';
import { startServerChild } from './stream-server.ts';
import { ETH_5M, OUT_DIR, REPO_ROOT, intOption, isMain, machine, machineLine, median, pct, rate, ratio, table, writeResult } from './common.ts';

/**
 * The WebSocket stream under load (issue figures): the canonical pipeline (enygma, 177 nodes)
 * replaying as fast as it goes (speed 0) in the real server, alone in a child process
 * (stream-server-child.ts), with N `ws` clients in this process each subscribed to every node
 * ('*'). Measured on the client side: frames delivered per second (per client and in total),
 * messages/s, bytes/s, bar-to-client latency (receive time − frame.sentAt, over every frame of
 * every client: both processes read this machine's clock), merged-away frames; on the server side:
 * the run's duration and bars/s (from the child's own clock), its CPU time, and its RSS (sampled
 * from /proc every 100 ms, plus the kernel's high-water mark). Scenarios, each in a fresh server
 * that first runs one short warm-up replay with the same clients:
 *
 *   no clients        the replay alone: what streaming costs is measured against it
 *   N clients         every client reads as fast as it can
 *   N−1 + 1 stalled   one client stops reading (its socket paused) once subscribed
 *
 * The stalled scenario is compared with the previous one: the normal clients' frames/s and p99
 * latency, and the run's duration. After the run, the stalled client's socket is resumed and what
 * it then receives is counted (its merged frames, and whether it gets the final bar).
 *
 * At full speed the server and the clients saturate the machine, and how many frames the readers
 * get (the rest merged) swings with timing from round to round: the run's duration follows the
 * frames sent, so a wall-clock comparison there says little. Whether a stalled client slows the
 * others is therefore also measured, and asserted, at a pace the readers can keep up with:
 *
 *   N clients, paced          every client reads; the replay runs at --stream-paced-speed bars/s
 *   N−1 + 1 stalled, paced    the same with one client not reading
 *
 * There the run should last bars/speed either way, and the readers should get every frame with the
 * same latency.
 *
 * Options: --stream-clients=N (default 50), --stream-bars=N (bars per measured replay, default
 * 20000 of the 65,742: see the note printed), --stream-rounds=N (default 3: every scenario once per
 * round, in rotating order; figures are medians over rounds), --stream-paced-speed=N (default 100
 * bars/s) and --stream-paced-bars=N (default 1000: ten seconds a paced replay).
 */

// ---------------------------------------------------------------------------------------------
// clients

interface ClientStats {
  stalled: boolean;
  messages: number;
  bytes: number;
  frames: number;
  merged: number;
  /** receive time − sentAt of every frame, ms */
  latency: number[];
  firstFrameAt: number;
  lastFrameAt: number;
  lastIndex: number;
  /** the run's state changes as this client saw them */
  doneSeenAt: number;
}

class BenchClient {
  readonly ws: WebSocket;
  stats: ClientStats;
  private runId = '';
  private waiting: { test: (m: ServerMessage) => boolean; resolve: () => void }[] = [];

  constructor(url: string, readonly stalled: boolean) {
    this.ws = new WebSocket(url, { perMessageDeflate: false });
    this.stats = BenchClient.fresh(stalled);
    this.ws.on('message', (raw: Buffer) => this.onMessage(raw));
  }

  static fresh(stalled: boolean): ClientStats {
    return { stalled, messages: 0, bytes: 0, frames: 0, merged: 0, latency: [], firstFrameAt: NaN, lastFrameAt: NaN, lastIndex: -1, doneSeenAt: NaN };
  }

  opened(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('error', reject);
    });
  }

  /** Subscribes to every node of `runId` and resolves on the server's answer (its status). */
  subscribe(runId: string): Promise<void> {
    this.runId = runId;
    this.stats = BenchClient.fresh(this.stalled);
    const answered = this.until((m) => (m.type === 'status' && m.run.id === runId) || m.type === 'error');
    this.ws.send(JSON.stringify({ type: 'subscribe', runId, nodes: ['*'] }));
    return answered;
  }

  until(test: (m: ServerMessage) => boolean): Promise<void> {
    return new Promise((resolve) => this.waiting.push({ test, resolve }));
  }

  pause(): void {
    (this.ws as unknown as { _socket: { pause(): void } })._socket.pause();
  }

  resume(): void {
    (this.ws as unknown as { _socket: { resume(): void } })._socket.resume();
  }

  private onMessage(raw: Buffer): void {
    const at = performance.timeOrigin + performance.now();
    const m = JSON.parse(raw.toString('utf8')) as ServerMessage;
    const s = this.stats;
    if (m.type === 'bars' && m.runId === this.runId) {
      s.messages++;
      s.bytes += raw.length;
      s.merged += m.merged;
      for (const f of m.frames) s.latency.push(at - f.sentAt);
      s.frames += m.frames.length;
      if (Number.isNaN(s.firstFrameAt)) s.firstFrameAt = at;
      s.lastFrameAt = at;
      s.lastIndex = m.frames[m.frames.length - 1]!.i;
    } else if (m.type === 'status' && m.run.id === this.runId && m.run.state === 'done' && Number.isNaN(s.doneSeenAt)) {
      s.doneSeenAt = at;
    }
    if (this.waiting.length > 0) {
      for (const w of [...this.waiting]) {
        if (w.test(m)) {
          this.waiting.splice(this.waiting.indexOf(w), 1);
          w.resolve();
        }
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// one scenario

export interface ScenarioSpec {
  name: string;
  clients: number;
  stalled: number;
  /** the measured replay's speed in bars/s; 0 = as fast as it goes */
  speed: number;
}

export interface ScenarioResult {
  scenario: string;
  clients: number;
  stalled: number;
  speed: number;
  bars: number;
  /** server side: resume → state done, on the server's clock */
  runMs: number;
  barsPerSec: number;
  serverCpuMs: number;
  /** server CPU time per committed bar (µs): the replay's own work plus what streaming adds */
  serverCpuUsPerBar: number;
  /** this process (the clients) CPU over the same window */
  clientCpuMs: number;
  /** normal (reading) clients */
  normal: {
    clients: number;
    gotFinalBar: number;
    /** resume → last frame received, median over clients */
    windowMs: number;
    framesPerClientPerSec: number;
    framesPerSecTotal: number;
    messagesPerSecTotal: number;
    bytesPerSecTotal: number;
    framesPerClient: number;
    mergedPerClient: number;
    latencyMs: { p50: number; p99: number; max: number; frames: number };
    /** last frame received − done on the server, median over clients (the backlog still in flight at the end) */
    tailMs: number;
  };
  stalledClient: null | {
    /** what it received once its socket was resumed after the run */
    frames: number;
    merged: number;
    bytes: number;
    gotFinalBar: boolean;
    lastIndex: number;
  };
  rss: { beforeMiB: number; peakMiB: number; hwmMiB: number; samples: number };
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function runScenario(spec: ScenarioSpec, toTime: number, warmToTime: number, finalIndex: number, warmFinalIndex: number, nodeFlags: readonly string[]): Promise<ScenarioResult> {
  const server = await startServerChild(100, nodeFlags);
  try {
    const clients: BenchClient[] = [];
    for (let k = 0; k < spec.clients; k++) clients.push(new BenchClient(`ws://127.0.0.1:${server.port}/ws`, k >= spec.clients - spec.stalled));
    await Promise.all(clients.map((c) => c.opened()));

    // one replay: start paused, subscribe everyone, resume; returns the server's timings
    const replay = async (to: number, final: number, measure: boolean, speed: number) => {
      const run = (await server.post('/api/runs', { pipeline: 'enygma', mode: 'replay', speed, paused: true, to })) as RunStatus;
      await Promise.all(clients.map((c) => c.subscribe(run.id)));
      if (measure) for (const c of clients) if (c.stalled) c.pause();
      const normal = clients.filter((c) => !c.stalled);
      const rssBefore = server.rssNow();
      server.rss.length = 0;
      server.sampling = measure;
      const cpu0 = process.cpuUsage();
      await server.post(`/api/runs/${run.id}/control`, { action: 'resume' });
      const running = await server.waitFor((e) => e.id === run.id && e.state === 'running');
      const done = await server.waitFor((e) => e.id === run.id && (e.state === 'done' || e.state === 'failed'));
      if (done.state !== 'done') throw new Error(`the replay ended ${done.state}`);
      const serverCpuUs = done.cpuUs - running.cpuUs;
      // the reading clients drain what is in flight: the server sends a run's last bars before its 'done' status on
      // the same socket, except to a client stalled (over 8 MiB queued) at that moment, which gets them once it drains
      const deadline = Date.now() + 60_000;
      while (!normal.every((c) => !Number.isNaN(c.stats.doneSeenAt) && c.stats.lastIndex === final) && Date.now() < deadline) await sleep(10);
      server.sampling = false;
      const cpu = process.cpuUsage(cpu0);
      return { run, running, done, serverCpuUs, clientCpuUs: cpu.user + cpu.system, rssBefore };
    };

    await replay(warmToTime, warmFinalIndex, false, 0); // warm-up: JIT of the engine, the hub and the clients
    const r = await replay(toTime, finalIndex, true, spec.speed);
    const status = (await server.get(`/api/runs/${r.run.id}`)) as RunStatus;
    const bars = status.barsDone;
    const normal = clients.filter((c) => !c.stalled);

    // the stalled client, once the run is over: resume reading and count what comes
    let stalledClient: ScenarioResult['stalledClient'] = null;
    const stalled = clients.find((c) => c.stalled);
    if (stalled !== undefined) {
      stalled.resume();
      let last = -1;
      let quietSince = Date.now();
      while (Date.now() - quietSince < 1500) {
        if (stalled.stats.messages !== last) {
          last = stalled.stats.messages;
          quietSince = Date.now();
        }
        if (stalled.stats.lastIndex === finalIndex) break;
        await sleep(20);
      }
      stalledClient = { frames: stalled.stats.frames, merged: stalled.stats.merged, bytes: stalled.stats.bytes, gotFinalBar: stalled.stats.lastIndex === finalIndex, lastIndex: stalled.stats.lastIndex };
    }

    const runMs = r.done.at - r.running.at;
    const windows = normal.map((c) => c.stats.lastFrameAt - r.running.at);
    const window = median(windows);
    const totalFrames = normal.reduce((a, c) => a + c.stats.frames, 0);
    const totalMessages = normal.reduce((a, c) => a + c.stats.messages, 0);
    const totalBytes = normal.reduce((a, c) => a + c.stats.bytes, 0);
    const lat = new Float64Array(normal.reduce((a, c) => a + c.stats.latency.length, 0));
    let o = 0;
    for (const c of normal) for (const v of c.stats.latency) lat[o++] = v;
    lat.sort();
    const perClientRate = median(normal.map((c) => c.stats.frames / ((c.stats.lastFrameAt - r.running.at) / 1000)));
    const samples = server.rss.map((s) => s.bytes).filter(Number.isFinite);
    const mib = (b: number) => b / 2 ** 20;
    const result: ScenarioResult = {
      scenario: spec.name,
      clients: spec.clients,
      stalled: spec.stalled,
      speed: spec.speed,
      bars,
      runMs,
      barsPerSec: bars / (runMs / 1000),
      serverCpuMs: r.serverCpuUs / 1000,
      serverCpuUsPerBar: r.serverCpuUs / bars,
      clientCpuMs: r.clientCpuUs / 1000,
      normal: {
        clients: normal.length,
        gotFinalBar: normal.filter((c) => c.stats.lastIndex === finalIndex).length,
        windowMs: window,
        framesPerClientPerSec: normal.length === 0 ? NaN : perClientRate,
        framesPerSecTotal: normal.length === 0 ? NaN : totalFrames / (window / 1000),
        messagesPerSecTotal: normal.length === 0 ? NaN : totalMessages / (window / 1000),
        bytesPerSecTotal: normal.length === 0 ? NaN : totalBytes / (window / 1000),
        framesPerClient: normal.length === 0 ? NaN : median(normal.map((c) => c.stats.frames)),
        mergedPerClient: normal.length === 0 ? NaN : median(normal.map((c) => c.stats.merged)),
        latencyMs: { p50: percentile(lat, 0.5), p99: percentile(lat, 0.99), max: lat.length === 0 ? NaN : lat[lat.length - 1]!, frames: lat.length },
        tailMs: normal.length === 0 ? NaN : median(normal.map((c) => c.stats.lastFrameAt - r.done.at)),
      },
      stalledClient,
      rss: { beforeMiB: mib(r.rssBefore), peakMiB: samples.length === 0 ? NaN : mib(Math.max(...samples)), hwmMiB: mib(server.hwm()), samples: samples.length },
    };
    for (const c of clients) c.ws.terminate();
    return result;
  } finally {
    await server.stop();
  }
}

// ---------------------------------------------------------------------------------------------
// the part

export interface StreamBenchResult {
  bars: number;
  clients: number;
  rounds: number;
  /** 1-minute load average of the machine before and after the part */
  loadAverage: { before: number; after: number };
  scenarios: ScenarioResult[];
  medians: Record<string, ScenarioResult>;
}

/** Field by field over the rounds: numbers → median, booleans → all true, the rest from the first round. */
function medianOf<T>(list: readonly T[]): T {
  const first = list[0];
  if (list.length === 1 || first === null || first === undefined) return first as T;
  if (typeof first === 'number') return median(list as readonly number[]) as T;
  if (typeof first === 'boolean') return list.every(Boolean) as T;
  if (typeof first !== 'object') return first;
  return Object.fromEntries(Object.keys(first).map((k) => [k, medianOf(list.map((x) => (x as Record<string, unknown>)[k]))])) as T;
}

export async function runStreamBench(argv: readonly string[] = []): Promise<StreamBenchResult> {
  const n = intOption(argv, 'stream-clients', 50);
  const wantedBars = intOption(argv, 'stream-bars', 20_000);
  const rounds = intOption(argv, 'stream-rounds', 3);
  const pacedSpeed = intOption(argv, 'stream-paced-speed', 100);
  // --stream-prof: each server child writes a CPU profile (open it in Chrome DevTools or VS Code)
  const nodeFlags = argv.includes('--stream-prof') ? ['--cpu-prof', `--cpu-prof-dir=${join(OUT_DIR, 'prof')}`] : [];
  const series = loadCandles(ETH_5M);
  const bars = Math.min(wantedBars, series.length);
  const warmBars = Math.min(3000, bars);
  // a run's `to` is a bar open time (ms UTC): the range from the first bar to bar `bars − 1`
  const toTime = series.time[bars - 1]!;
  const warmToTime = series.time[warmBars - 1]!;
  const pacedBars = Math.min(intOption(argv, 'stream-paced-bars', 1000), series.length);
  const pacedToTime = series.time[pacedBars - 1]!;
  const data = relative(REPO_ROOT, ETH_5M);
  process.stdout.write(`\n== stream: canonical enygma replayed at full speed (speed 0) in a server child, ${n} ws clients subscribed to every node ==\n`);
  process.stdout.write(`   ${bars} of the ${series.length} bars of ${data} per measured replay (--to ${new Date(toTime).toISOString().slice(0, 16)}Z${bars < series.length ? '; --stream-bars=N to change' : ''}), after a ${warmBars}-bar warm-up replay with the same clients; ${rounds} round(s)\n`);

  process.stdout.write(`   and ${pacedBars} bars at ${pacedSpeed} bars/s for the stalled-client check (--stream-paced-bars, --stream-paced-speed)\n`);

  const specs: ScenarioSpec[] = [
    { name: 'no clients', clients: 0, stalled: 0, speed: 0 },
    { name: `${n} clients`, clients: n, stalled: 0, speed: 0 },
    { name: `${n - 1} + 1 stalled`, clients: n, stalled: 1, speed: 0 },
    { name: `${n} clients, paced`, clients: n, stalled: 0, speed: pacedSpeed },
    { name: `${n - 1} + 1 stalled, paced`, clients: n, stalled: 1, speed: pacedSpeed },
  ];
  const loadBefore = loadavg()[0]!;
  const scenarios: ScenarioResult[] = [];
  for (let round = 0; round < rounds; round++) {
    process.stdout.write(`  round ${round + 1}/${rounds}:`);
    for (let k = 0; k < specs.length; k++) {
      const spec = specs[(round + k) % specs.length]!;
      const paced = spec.speed > 0;
      scenarios.push(await runScenario(spec, paced ? pacedToTime : toTime, warmToTime, (paced ? pacedBars : bars) - 1, warmBars - 1, nodeFlags));
      process.stdout.write(` [${spec.name}]`);
    }
    process.stdout.write('\n');
  }
  const medians = Object.fromEntries(specs.map((s) => [s.name, medianOf(scenarios.filter((r) => r.scenario === s.name))]));
  const [alone, all, slow, pacedAll, pacedSlow] = specs.map((s) => medians[s.name]!) as [ScenarioResult, ScenarioResult, ScenarioResult, ScenarioResult, ScenarioResult];

  const loadAfter = loadavg()[0]!;
  const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(v < 10 ? 1 : 0) : '—');
  const bytes = (v: number) => (Number.isFinite(v) ? `${(v / 2 ** 20).toFixed(1)} MiB/s` : '—');
  process.stdout.write(`\nreplay and server (run = resume → done on the server's clock; server cpu = the server process's user + system time over the run; RSS sampled every 100 ms)\n`);
  process.stdout.write(
    table(
      ['scenario', 'bars', 'run s', 'bars/s', 'vs no clients', 'server cpu s', 'cpu µs/bar', 'cpu vs no clients', 'clients cpu s', 'RSS before MiB', 'RSS peak MiB', 'VmHWM MiB'],
      [alone, all, slow, pacedAll, pacedSlow].map((r) => [
        r.scenario,
        String(r.bars),
        (r.runMs / 1000).toFixed(2),
        rate(r.barsPerSec),
        ratio(r.barsPerSec / alone.barsPerSec),
        (r.serverCpuMs / 1000).toFixed(2),
        r.serverCpuUsPerBar.toFixed(0),
        ratio(r.serverCpuUsPerBar / alone.serverCpuUsPerBar),
        (r.clientCpuMs / 1000).toFixed(2),
        r.rss.beforeMiB.toFixed(0),
        r.rss.peakMiB.toFixed(0),
        r.rss.hwmMiB.toFixed(0),
      ]),
    ) + '\n',
  );
  process.stdout.write(`vs no clients = bars/s with clients / bars/s alone (< 1: the replay went slower; paced runs go at their pace); cpu vs no clients = the same for the server's CPU per bar\n`);
  process.stdout.write(`(> 1: what streaming costs the server, whatever the clients' own CPU took from it). clients cpu = this process (all clients) from resume until every reader has the last bar.\n`);

  process.stdout.write(`\nwhat the reading clients received (window = resume → a client's last frame, median over clients; latency = receive time − sentAt, every frame of every reading client)\n`);
  process.stdout.write(
    table(
      ['scenario', 'reading', 'final bar', 'frames/client', 'merged/client', 'frames/s/client', 'frames/s total', 'msgs/s total', 'bytes/s total', 'p50 ms', 'p99 ms', 'max ms', 'tail ms'],
      [all, slow, pacedAll, pacedSlow].map((r) => [
        r.scenario,
        String(r.normal.clients),
        `${r.normal.gotFinalBar}/${r.normal.clients}`,
        r.normal.framesPerClient.toFixed(0),
        r.normal.mergedPerClient.toFixed(0),
        rate(r.normal.framesPerClientPerSec),
        rate(r.normal.framesPerSecTotal),
        rate(r.normal.messagesPerSecTotal),
        bytes(r.normal.bytesPerSecTotal),
        ms(r.normal.latencyMs.p50),
        ms(r.normal.latencyMs.p99),
        ms(r.normal.latencyMs.max),
        ms(r.normal.tailMs),
      ]),
    ) + '\n',
  );
  process.stdout.write(`frames + merged = the bars on which a subscribed node fired; merged = frames folded into a later one because the client was behind\n`);
  process.stdout.write(`(the server had over 1 MiB queued for it). final bar = clients whose last frame was the run's last bar. tail = a client's last frame\n`);
  process.stdout.write(`− the run's end: the backlog still in flight when the replay finished. sentAt is whole ms (latency up to 1 ms high).\n`);

  const s = slow.stalledClient;
  const runRatio = slow.runMs / all.runMs;
  const cpuRatio = slow.serverCpuUsPerBar / all.serverCpuUsPerBar;
  const framesRatio = slow.normal.framesPerClientPerSec / all.normal.framesPerClientPerSec;
  const p99Ratio = slow.normal.latencyMs.p99 / all.normal.latencyMs.p99;
  process.stdout.write(`\none stalled client at full speed: ${slow.scenario} against ${all.scenario} (saturated: for information, see below)\n`);
  const saturated = [
    { figure: 'run time s', a: (all.runMs / 1000).toFixed(2), b: (slow.runMs / 1000).toFixed(2), r: runRatio },
    { figure: 'server cpu µs/bar', a: all.serverCpuUsPerBar.toFixed(0), b: slow.serverCpuUsPerBar.toFixed(0), r: cpuRatio },
    { figure: 'reading clients: frames/client', a: all.normal.framesPerClient.toFixed(0), b: slow.normal.framesPerClient.toFixed(0), r: slow.normal.framesPerClient / all.normal.framesPerClient },
    { figure: 'reading clients: frames/s/client', a: rate(all.normal.framesPerClientPerSec), b: rate(slow.normal.framesPerClientPerSec), r: framesRatio },
    { figure: 'reading clients: p99 latency ms', a: ms(all.normal.latencyMs.p99), b: ms(slow.normal.latencyMs.p99), r: p99Ratio },
    { figure: 'server RSS peak MiB', a: all.rss.peakMiB.toFixed(0), b: slow.rss.peakMiB.toFixed(0), r: slow.rss.peakMiB / all.rss.peakMiB },
  ];
  process.stdout.write(table(['figure', all.scenario, slow.scenario, 'ratio'], saturated.map((c) => [c.figure, c.a, c.b, ratio(c.r)])) + '\n');
  if (s !== null) {
    process.stdout.write(`the stalled client, reading again after the run: ${s.frames.toFixed(0)} frames in ${(s.bytes / 2 ** 20).toFixed(1)} MiB, ${s.merged.toFixed(0)} merged away, final bar ${s.gotFinalBar ? 'received' : `NOT received (its last frame was bar ${s.lastIndex})`}\n`);
  }
  process.stdout.write(`at full speed the frames a reader gets (the rest merged) swing with timing from round to round, and the run's duration with them:\n`);
  process.stdout.write(`the check below is made at a pace the readers keep up with.\n`);

  // the check: paced, where the run's length is set by the speed and every reader should get every frame
  const expectedS = pacedAll.bars / pacedSpeed;
  const pacedRun = pacedSlow.runMs / pacedAll.runMs;
  const pacedCpu = pacedSlow.serverCpuUsPerBar / pacedAll.serverCpuUsPerBar;
  const pacedFrames = pacedSlow.normal.framesPerClient / pacedAll.normal.framesPerClient;
  const p99a = pacedAll.normal.latencyMs.p99;
  const p99b = pacedSlow.normal.latencyMs.p99;
  process.stdout.write(`\none stalled client, paced (${pacedAll.bars} bars at ${pacedSpeed} bars/s, ${expectedS.toFixed(1)} s): ${pacedSlow.scenario} against ${pacedAll.scenario}\n`);
  const checks = [
    { figure: 'run time s', a: (pacedAll.runMs / 1000).toFixed(2), b: (pacedSlow.runMs / 1000).toFixed(2), r: pacedRun, ok: pacedRun <= 1.05, limit: '≤ 1.05' },
    { figure: 'server cpu µs/bar', a: pacedAll.serverCpuUsPerBar.toFixed(0), b: pacedSlow.serverCpuUsPerBar.toFixed(0), r: pacedCpu, ok: pacedCpu <= 1.15, limit: '≤ 1.15' },
    { figure: 'reading clients: frames/client', a: pacedAll.normal.framesPerClient.toFixed(0), b: pacedSlow.normal.framesPerClient.toFixed(0), r: pacedFrames, ok: pacedFrames >= 0.95, limit: '≥ 0.95' },
    { figure: 'reading clients: merged/client', a: pacedAll.normal.mergedPerClient.toFixed(0), b: pacedSlow.normal.mergedPerClient.toFixed(0), r: NaN, ok: true, limit: '—' },
    { figure: 'reading clients: final bar', a: `${pacedAll.normal.gotFinalBar}/${pacedAll.normal.clients}`, b: `${pacedSlow.normal.gotFinalBar}/${pacedSlow.normal.clients}`, r: NaN, ok: pacedSlow.normal.gotFinalBar === pacedSlow.normal.clients, limit: 'all' },
    { figure: 'reading clients: p50 latency ms', a: ms(pacedAll.normal.latencyMs.p50), b: ms(pacedSlow.normal.latencyMs.p50), r: pacedSlow.normal.latencyMs.p50 / pacedAll.normal.latencyMs.p50, ok: true, limit: '—' },
    // latencies of a few ms: a ratio alone would flag a millisecond of jitter
    { figure: 'reading clients: p99 latency ms', a: ms(p99a), b: ms(p99b), r: p99b / p99a, ok: p99b <= Math.max(1.3 * p99a, p99a + 20), limit: '≤ 1.30 or +20 ms' },
  ];
  process.stdout.write(table(['figure', pacedAll.scenario, pacedSlow.scenario, 'ratio', 'as fast if', 'ok'], checks.map((c) => [c.figure, c.a, c.b, ratio(c.r), c.limit, c.limit === '—' ? '' : c.ok ? 'yes' : 'NO'])) + '\n');
  const failed = checks.filter((c) => !c.ok);
  const loaded = Math.max(loadBefore, loadAfter) > machine().availableParallelism;
  process.stdout.write(
    failed.length === 0
      ? `ASSERT the stalled client does not slow the others: yes, the paced run kept its pace and the reading clients got every frame as fast\n`
      : `ASSERT the stalled client does not slow the others: NO (${failed.map((c) => c.figure).join(', ')} out of bounds)${loaded ? ' — but the machine was loaded (see below): rerun on a quiet machine (or with more --stream-rounds) before believing it' : ''}\n`,
  );
  process.stdout.write(`load average (1 min) before / after: ${loadBefore.toFixed(1)} / ${loadAfter.toFixed(1)} on ${machine().availableParallelism} cores${loaded ? ' — LOADED: wall-clock figures are unreliable, read the cpu columns' : ''}\n`);
  process.stdout.write(`the clients run in this one process on the same machine as the server: when 'clients cpu s' is close to 'run s' they, not the\n`);
  process.stdout.write(`server, set the pace, and the latency is mostly frames waiting in socket buffers for them to be read.\n`);

  const result: StreamBenchResult = { bars, clients: n, rounds, loadAverage: { before: loadBefore, after: loadAfter }, scenarios, medians };
  const file = writeResult('stream', { part: 'stream', date: new Date().toISOString(), machine: machine(), data, pipeline: 'enygma', speed: 0, pacedSpeed, pacedBars, warmupBars: warmBars, ...result });
  process.stdout.write(`results: ${relative(REPO_ROOT, file)}\n`);
  return result;
}

if (isMain(import.meta.url)) {
  process.stdout.write(machineLine() + '\n');
  await runStreamBench(process.argv.slice(2));
}

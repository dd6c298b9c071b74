import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { BENCH_DIR, REPO_ROOT } from './common.ts';

/**
 * The server under measurement for the stream and editor parts: the real app in a child process
 * of its own (stream-server-child.ts), so that its memory and CPU time are its own, with what the
 * benchmarks read of it — its status events on its own clock, CPU time and RSS from /proc.
 */

export const BENCH_TOKEN = 'barflow-bench-token-0123456789';

export interface StatusEvent {
  event: 'status';
  id: string;
  state: string;
  barsDone: number;
  at: number;
  cpuUs: number;
  rss: number;
}

export interface ServerChild {
  proc: ChildProcess;
  pid: number;
  port: number;
  base: string;
  /** every status event the child printed, in order */
  events: StatusEvent[];
  /** resolves with the first event (already printed or to come) that satisfies `test` */
  waitFor(test: (e: StatusEvent) => boolean, timeoutMs?: number): Promise<StatusEvent>;
  /** VmRSS samples (bytes) taken every `sampleMs` while `sampling` is true */
  rss: { at: number; bytes: number }[];
  sampling: boolean;
  /** the kernel's high-water mark of the child's RSS so far (bytes) */
  hwm(): number;
  rssNow(): number;
  cpuNowUs(): number;
  post(path: string, body: unknown): Promise<unknown>;
  get(path: string): Promise<unknown>;
  stop(): Promise<{ maxRssKiB: number; cpuUs: number }>;
}

function procStatus(pid: number, field: string): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m === null ? NaN : Number(m[1]) * 1024;
  } catch {
    return NaN;
  }
}

/** user + system CPU time of a process, from /proc/<pid>/stat (µs; clock ticks assumed 100/s) */
function procCpuUs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    return NaN;
  }
}

/** Starts stream-server-child.ts and resolves once it listens. */
export async function startServerChild(sampleMs = 100, nodeFlags: readonly string[] = []): Promise<ServerChild> {
  const proc = spawn(process.execPath, ['--import', 'tsx', ...nodeFlags, join(BENCH_DIR, 'stream-server-child.ts')], {
    cwd: REPO_ROOT,
    env: { ...process.env, BARFLOW_TOKEN: BENCH_TOKEN },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const events: StatusEvent[] = [];
  const waiters: { test: (e: StatusEvent) => boolean; resolve: (e: StatusEvent) => void }[] = [];
  let onListening: (o: { port: number; pid: number }) => void = () => {};
  let onExit: (o: { maxRssKiB: number; cpuUs: number }) => void = () => {};
  const listening = new Promise<{ port: number; pid: number }>((resolve, reject) => {
    onListening = resolve;
    proc.once('exit', (code) => reject(new Error(`stream-server-child.ts exited with ${code} before listening`)));
  });
  const exited = new Promise<{ maxRssKiB: number; cpuUs: number }>((resolve) => (onExit = resolve));
  createInterface({ input: proc.stdout! }).on('line', (text) => {
    let o: { event?: string } & Record<string, unknown>;
    try {
      o = JSON.parse(text) as typeof o;
    } catch {
      process.stderr.write(`server child: ${text}\n`);
      return;
    }
    if (o.event === 'listening') onListening(o as unknown as { port: number; pid: number });
    else if (o.event === 'exit') onExit(o as unknown as { maxRssKiB: number; cpuUs: number });
    else if (o.event === 'status') {
      const e = o as unknown as StatusEvent;
      events.push(e);
      for (const w of [...waiters]) {
        if (w.test(e)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(e);
        }
      }
    }
  });
  const { port, pid } = await listening;
  const base = `http://127.0.0.1:${port}`;
  const json = async (path: string, init?: RequestInit): Promise<unknown> => {
    const res = await fetch(base + path, init);
    const body: unknown = await res.json();
    if (!res.ok) throw new Error(`${init?.method ?? 'GET'} ${path}: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
    return body;
  };
  const child: ServerChild = {
    proc,
    pid,
    port,
    base,
    events,
    rss: [],
    sampling: false,
    waitFor(test, timeoutMs = 300_000) {
      const seen = events.find(test);
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('timed out waiting for the server')), timeoutMs);
        waiters.push({ test, resolve: (e) => (clearTimeout(timer), resolve(e)) });
      });
    },
    hwm: () => procStatus(pid, 'VmHWM'),
    rssNow: () => procStatus(pid, 'VmRSS'),
    cpuNowUs: () => procCpuUs(pid),
    post: (path, body) => json(path, { method: 'POST', headers: { authorization: `Bearer ${BENCH_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    get: (path) => json(path),
    async stop() {
      clearInterval(sampler);
      proc.stdin!.end();
      const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
      const result = await Promise.race([exited, new Promise<{ maxRssKiB: number; cpuUs: number }>((resolve) => proc.once('exit', () => resolve({ maxRssKiB: NaN, cpuUs: NaN })))]);
      clearTimeout(timer);
      return result;
    },
  };
  const sampler = setInterval(() => {
    if (child.sampling) child.rss.push({ at: Date.now(), bytes: child.rssNow() });
  }, sampleMs);
  return child;
}


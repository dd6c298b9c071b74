import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { buildApp } from '../../engine/server/app.ts';
import { serverOptions } from '../../engine/server/config.ts';
import type { ServerMessage } from '../../engine/server/protocol/ws.ts';
import { NODE_DEFINITIONS, registry } from '../../nodes/index.ts';
import { nodeHelp } from '../../nodes/help.ts';
import { REPO_ROOT } from './common.ts';

/**
 * The real server for the stream and editor benchmarks, alone in its process so that its RSS is
 * its own: buildApp (no logs) listening on 127.0.0.1, port 0, with a temporary copy of pipelines/
 * (and `data` linked beside it, so the pipelines' relative data paths resolve), the token from
 * BARFLOW_TOKEN, and the built editor of the repository.
 *
 * Protocol, one JSON object per stdout line:
 *   {"event":"listening","port":…,"pid":…}                       once listening
 *   {"event":"status","id":…,"state":…,"barsDone":…,"at":…,"cpuUs":…,"rss":…}
 *                                                                 every change of a run's state (at: Date.now(),
 *                                                                 cpuUs: this process's user+system CPU so far)
 *   {"event":"exit","maxRssKiB":…,"cpuUs":…}                      when stdin closes, just before exiting
 * Closing its stdin (or SIGTERM) stops it.
 */

const root = mkdtempSync(join(tmpdir(), 'barflow-bench-server-'));
cpSync(join(REPO_ROOT, 'pipelines'), join(root, 'pipelines'), { recursive: true });
// pipelines name their data as ../../data/<file>: the same layout, the data linked, not copied
symlinkSync(join(REPO_ROOT, 'data'), join(root, 'data'), 'dir');
mkdirSync(join(root, 'uploads'));

const env = { ...process.env, BARFLOW_PIPELINES: join(root, 'pipelines'), BARFLOW_UPLOADS: join(root, 'uploads'), BARFLOW_LOG_LEVEL: 'warn' };
const options = serverOptions({ host: '127.0.0.1', port: 0 }, env);
const { app, ctx } = await buildApp(options, { registry, definitions: NODE_DEFINITIONS, help: nodeHelp, logger: false });

const line = (o: unknown) => process.stdout.write(JSON.stringify(o) + '\n');
const cpuUs = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

// every state change of a run, timed here (the run's own clock), whoever is listening on the stream
const lastState = new Map<string, string>();
const broadcast = ctx.hub.broadcastStatus.bind(ctx.hub);
ctx.hub.broadcastStatus = (message: ServerMessage) => {
  if (message.type === 'status' && lastState.get(message.run.id) !== message.run.state) {
    lastState.set(message.run.id, message.run.state);
    line({ event: 'status', id: message.run.id, state: message.run.state, barsDone: message.run.barsDone, at: Date.now(), cpuUs: cpuUs(), rss: process.memoryUsage.rss() });
  }
  broadcast(message);
};

await app.listen({ host: options.host, port: 0 });
const address = app.server.address();
line({ event: 'listening', port: typeof address === 'object' && address !== null ? address.port : 0, pid: process.pid });

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await app.close();
  rmSync(root, { recursive: true, force: true });
  line({ event: 'exit', maxRssKiB: process.resourceUsage().maxRSS, cpuUs: cpuUs() });
  process.exit(0);
};
createInterface({ input: process.stdin }).on('close', () => void stop());
process.once('SIGTERM', () => void stop());

import { accessSync, constants } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app-context.ts';

/** Liveness: the process answers. Readiness: it can read its pipelines and data. */
export async function healthPlugin(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get('/health/live', async () => ({ status: 'ok' }));
  app.get('/health/ready', async (_request, reply) => {
    const checks: Record<string, string> = {};
    for (const [name, path] of [['pipelines', ctx.options.pipelinesDir], ['data', ctx.options.dataDir]] as const) {
      try {
        accessSync(path, constants.R_OK);
        checks[name] = 'ok';
      } catch {
        checks[name] = `cannot read ${name}`;
      }
    }
    const ok = Object.values(checks).every((c) => c === 'ok');
    return reply.code(ok ? 200 : 503).send({ status: ok ? 'ready' : 'not ready', checks, runs: ctx.runs.list().length, wsClients: ctx.hub.size });
  });
}

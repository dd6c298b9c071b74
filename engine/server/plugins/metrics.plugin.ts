import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app-context.ts';

/** Prometheus text format: runs, bars processed, per-node evaluation time, ws clients, frames dropped. */
export async function metricsPlugin(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get('/metrics', async (_request, reply) => reply.type(ctx.metrics.registry.contentType).send(await ctx.metrics.registry.metrics()));
}

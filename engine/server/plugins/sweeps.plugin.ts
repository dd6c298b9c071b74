import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app-context.ts';
import { SweepForkRequest, SweepRequest } from '../protocol/rest.ts';

/**
 * Sweeps: start one on a fork (grid, random or genetic search, evaluated in worker threads), follow
 * its progress, read its ranked rows, stop it, and open a row as a new fork. The editor polls
 * GET /api/sweeps/:id while one runs.
 */
export async function sweepsPlugin(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get('/api/sweeps', async () => ctx.sweeps.list());
  app.post('/api/sweeps', async (request, reply) => {
    const body = SweepRequest.parse(request.body);
    return reply.code(201).send(ctx.sweeps.start(body).status());
  });
  app.get<{ Params: { id: string } }>('/api/sweeps/:id', async (request) => ctx.sweeps.require(request.params.id).detail());
  app.post<{ Params: { id: string } }>('/api/sweeps/:id/stop', async (request) => {
    const job = ctx.sweeps.stop(request.params.id);
    await job.ended; // its threads are gone: the answer says stopped
    return job.status();
  });
  app.post<{ Params: { id: string } }>('/api/sweeps/:id/fork', async (request, reply) => {
    const body = SweepForkRequest.parse(request.body);
    return reply.code(201).send(ctx.sweeps.forkRow(request.params.id, body.row, body.name));
  });
}

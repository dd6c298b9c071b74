import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app-context.ts';
import { ForkRequest, SaveRequest, ValidateRequest } from '../protocol/rest.ts';

/** Pipelines: list, YAML + compiled graph + lock status, validate, fork, save a fork. */
export async function pipelinesPlugin(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get('/api/pipelines', async () => ctx.pipelines.list());
  app.get<{ Params: { name: string } }>('/api/pipelines/:name', async (request) => ctx.pipelines.detail(request.params.name));
  app.post('/api/pipelines/validate', async (request) => {
    const body = ValidateRequest.parse(request.body);
    return ctx.pipelines.validate(body.yaml, body.name);
  });
  app.post<{ Params: { name: string } }>('/api/pipelines/:name/fork', async (request, reply) => {
    const body = ForkRequest.parse(request.body);
    return reply.code(201).send(ctx.pipelines.fork(request.params.name, body.name));
  });
  app.put<{ Params: { name: string } }>('/api/pipelines/:name', async (request, reply) => {
    const body = SaveRequest.parse(request.body);
    const result = ctx.pipelines.save(request.params.name, body.yaml);
    return reply.code(result.ok ? 200 : 422).send(result);
  });
}

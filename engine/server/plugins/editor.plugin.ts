import { existsSync } from 'node:fs';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app-context.ts';

/** The built editor at `/`; without a build, `/` says how to make one instead of a blank 404. */
export async function editorPlugin(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const dir = ctx.options.editorDir;
  if (existsSync(`${dir}/index.html`)) {
    await app.register(fastifyStatic, { root: dir, prefix: '/', index: ['index.html'], maxAge: '1h', immutable: false });
    return;
  }
  app.get('/', async (_request, reply) =>
    reply.code(503).type('text/plain; charset=utf-8').send('The barflow editor is not built. Run `npm run build:editor` (or `npm start`, which builds it), then reload.\nThe API is up: /api/pipelines, /api/nodes, /health/ready.\n'),
  );
}

import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app-context.ts';

export const MAX_UPLOAD_BYTES = 64 * 1024 * 1024;

/** Embedded data sets, and uploads of candle files (CSV or CSV.gz, raw body) for runs. */
export async function dataPlugin(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get('/api/data', async () => ctx.data.embedded());
  app.addContentTypeParser(['text/csv', 'application/gzip', 'application/octet-stream'], { parseAs: 'buffer', bodyLimit: MAX_UPLOAD_BYTES }, (_request, body, done) => done(null, body));
  app.post<{ Querystring: { name?: string } }>('/api/uploads', { bodyLimit: MAX_UPLOAD_BYTES }, async (request, reply) => {
    const body = request.body;
    if (!Buffer.isBuffer(body)) return reply.code(415).send({ error: 'unsupported', message: 'send the candle file as text/csv or application/gzip', problems: [] });
    const name = (request.query.name ?? 'upload.csv').replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 100);
    return reply.code(201).send(ctx.data.upload(body, name));
  });
}

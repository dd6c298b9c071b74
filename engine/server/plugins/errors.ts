import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ZodError } from 'zod';
import { BarflowError, BarflowErrors } from '../../core/errors.ts';
import { problemsOf } from '../pipelines/graph-view.ts';

const NOT_FOUND = new Set(['pipeline.not-found', 'run.not-found', 'data.unknown', 'data.upload-missing', 'node.not-found', 'sweep.not-found']);
const CONFLICT = new Set(['fork.exists', 'pipeline.read-only', 'run.locked', 'pipeline.locked', 'sweep.not-fork', 'sweep.busy', 'sweep.stale', 'sweep.not-done']);

/** One error shape for every route: `{ error, message, problems }`, problems as the editor shows them. */
export function errorHandler(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): void {
  if (error instanceof BarflowErrors || error instanceof BarflowError) {
    const problems = problemsOf(error);
    const code = error instanceof BarflowError ? error.code : problems[0]?.code ?? 'invalid';
    const status = NOT_FOUND.has(code) ? 404 : CONFLICT.has(code) ? 409 : 422;
    void reply.code(status).send({ error: code, message: problems.map((p) => p.formatted).join('\n'), problems });
    return;
  }
  if (error instanceof ZodError) {
    void reply.code(400).send({ error: 'bad-request', message: error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '), problems: [] });
    return;
  }
  const status = (error as FastifyError).statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    void reply.code(status).send({ error: (error as FastifyError).code ?? 'bad-request', message: error.message, problems: [] });
    return;
  }
  request.log.error({ err: error }, 'unhandled error');
  void reply.code(500).send({ error: 'internal', message: 'internal error (logged on the server)', problems: [] });
}

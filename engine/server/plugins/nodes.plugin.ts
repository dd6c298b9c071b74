import type { FastifyInstance } from 'fastify';
import { BarflowError } from '../../core/errors.ts';
import { describeNode } from '../../core/describe.ts';
import type { AppContext } from '../app-context.ts';

/** Node types: ports, params (with JSON Schema for forms and completion) and help. */
export async function nodesPlugin(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const all = () => ctx.definitions.map((def) => ({ ...describeNode(def), help: ctx.help(def.type) }));
  app.get('/api/nodes', async () => all());
  app.get<{ Params: { type: string } }>('/api/nodes/:type', async (request) => {
    const found = all().find((d) => d.type === request.params.type);
    if (found === undefined) throw new BarflowError('node.not-found', `no node type "${request.params.type.slice(0, 80)}"`, { field: 'type' });
    return found;
  });
}

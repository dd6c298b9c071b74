import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app-context.ts';
import { allowedOrigins } from '../auth.ts';
import { ClientMessage } from '../protocol/ws.ts';

const MAX_MESSAGE_BYTES = 64 * 1024;

/**
 * `/ws`: subscribe to a run's node values. The upgrade is refused unless the Origin is one of this
 * server's own (or explicitly allowed): a page elsewhere must not read a user's strategy. Reading
 * values changes nothing, so no token is needed; commands go through the REST routes.
 */
export async function streamPlugin(app: FastifyInstance, ctx: AppContext): Promise<void> {
  // from the port actually bound (`--port 0` asks the system for one), once the server listens
  let origins: { port: number; set: Set<string> } | null = null;
  const originsNow = (): Set<string> => {
    const address = app.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : ctx.options.port;
    if (origins?.port !== port) origins = { port, set: allowedOrigins(ctx.options.host, port, ctx.options.allowedOrigins) };
    return origins.set;
  };
  app.get('/ws', {
    websocket: true,
    preValidation: async (request, reply) => {
      const origin = request.headers.origin;
      if (origin !== undefined && !originsNow().has(origin)) {
        await reply.code(403).send({ error: 'forbidden-origin', message: `WebSocket origin ${JSON.stringify(origin.slice(0, 100))} is not allowed`, problems: [] });
      }
    },
  }, (socket) => {
    const client = ctx.hub.add(socket, { type: 'hello', server: 'barflow', runs: ctx.runs.list() });
    socket.on('message', (raw: Buffer, isBinary: boolean) => {
      if (isBinary || raw.length > MAX_MESSAGE_BYTES) {
        socket.send(JSON.stringify({ type: 'error', message: 'messages are JSON text of at most 64 KiB' }));
        return;
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw.toString('utf8'));
      } catch {
        socket.send(JSON.stringify({ type: 'error', message: 'not JSON' }));
        return;
      }
      const message = ClientMessage.safeParse(parsed);
      if (!message.success) {
        socket.send(JSON.stringify({ type: 'error', message: `not a client message: ${message.error.issues[0]?.message ?? 'invalid'}` }));
        return;
      }
      ctx.hub.handle(client, message.data);
    });
  });
}

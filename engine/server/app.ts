import websocket from '@fastify/websocket';
import Fastify, { type FastifyInstance, type RouteOptions } from 'fastify';
import type { DestinationStream } from 'pino';
import type { AnyNodeDefinition, NodeRegistry } from '../core/node-definition.ts';
import type { AppContext } from './app-context.ts';
import { requireTokenForChanges } from './auth.ts';
import type { ServerOptions } from './config.ts';
import { loggerOptions } from './logging.ts';
import { ServerMetrics } from './metrics.ts';
import { PipelineStore } from './pipelines/pipeline-store.ts';
import { dataPlugin } from './plugins/data.plugin.ts';
import { editorPlugin } from './plugins/editor.plugin.ts';
import { errorHandler } from './plugins/errors.ts';
import { healthPlugin } from './plugins/health.plugin.ts';
import { metricsPlugin } from './plugins/metrics.plugin.ts';
import { nodesPlugin } from './plugins/nodes.plugin.ts';
import { pipelinesPlugin } from './plugins/pipelines.plugin.ts';
import { runsPlugin } from './plugins/runs.plugin.ts';
import { streamPlugin } from './plugins/stream.plugin.ts';
import { sweepsPlugin } from './plugins/sweeps.plugin.ts';
import { DataStore } from './runs/data-store.ts';
import { RunManager } from './runs/run-manager.ts';
import { StreamHub } from './stream/stream-hub.ts';
import { SweepManager, type SweepManagerOptions } from './sweeps/sweep-manager.ts';

export interface AppDependencies {
  registry: NodeRegistry;
  definitions: readonly AnyNodeDefinition[];
  help(type: string): string;
  /** false in tests that inject requests and need no logs */
  logger?: boolean;
  /** where the JSON logs go (default stdout); tests capture them to check redaction */
  logStream?: DestinationStream;
  /** called for every route as it is added, before any plugin runs (tests walk the route table) */
  onRoute?: (route: RouteOptions) => void;
  /** sweeps: evaluation threads per sweep (tests keep it small) */
  sweeps?: SweepManagerOptions;
}

export const BODY_LIMIT_BYTES = 2 * 1024 * 1024;

/**
 * Builds the server without listening (tests inject requests; `barflow serve` listens). One
 * plugin per resource; mutating routes require the token by default-deny, whatever route adds them.
 */
export async function buildApp(options: ServerOptions, deps: AppDependencies): Promise<{ app: FastifyInstance; ctx: AppContext }> {
  const logger = deps.logger === false ? false : { ...loggerOptions(options.logLevel), ...(deps.logStream === undefined ? {} : { stream: deps.logStream }) };
  const app = Fastify({ logger, bodyLimit: BODY_LIMIT_BYTES, trustProxy: false });
  if (deps.onRoute !== undefined) app.addHook('onRoute', deps.onRoute);
  const metrics = new ServerMetrics();
  const pipelines = new PipelineStore(options.pipelinesDir, deps.registry);
  const data = new DataStore(options.dataDir, options.uploadDir);
  const runs = new RunManager(pipelines, data, deps.registry, metrics);
  const hub = new StreamHub(metrics, (id) => runs.get(id));
  runs.hub = hub;
  const sweeps = new SweepManager(pipelines, data, deps.registry, deps.sweeps);
  const ctx: AppContext = { options, registry: deps.registry, definitions: deps.definitions, help: deps.help, pipelines, data, runs, sweeps, hub, metrics };

  app.setErrorHandler(errorHandler);
  // Fastify's own 404 logs the raw URL, query string and all, so a ?token= would reach the logs
  app.setNotFoundHandler(async (request, reply) =>
    reply.code(404).send({ error: 'not-found', message: `no route ${request.method} ${request.url.split('?')[0]!.slice(0, 200)}`, problems: [] }),
  );
  app.addHook('onRequest', requireTokenForChanges(options.token));
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    return payload;
  });
  app.addHook('onClose', async () => {
    runs.stopAll();
    await sweeps.stopAll();
  });
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });
  for (const plugin of [healthPlugin, metricsPlugin, nodesPlugin, pipelinesPlugin, runsPlugin, sweepsPlugin, dataPlugin, streamPlugin, editorPlugin]) {
    await app.register(async (scope) => plugin(scope, ctx));
  }
  return { app, ctx };
}

import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { BarflowError } from '../../core/errors.ts';
import { parseTimeframe } from '../../core/timeframe.ts';
import type { AppContext } from '../app-context.ts';
import { RunControl, RunRequest, ValuesQuery } from '../protocol/rest.ts';
import { barIndexAt, candles, equityPoints, runResults } from '../runs/run-views.ts';

const CandlesQuery = z.object({ timeframe: z.string().max(10).default('30m'), from: z.coerce.number().int().optional(), to: z.coerce.number().int().optional(), maxBars: z.coerce.number().int().min(10).max(20_000).default(5000) });
const IndexQuery = z.object({ time: z.coerce.number().int() });
const EquityQuery = z.object({ maxPoints: z.coerce.number().int().min(10).max(20_000).default(2000) });

/** Runs: start a backtest or a replay, control it, read its results and any node's values. */
export async function runsPlugin(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.get('/api/runs', async () => ctx.runs.list());
  app.post('/api/runs', async (request, reply) => {
    const spec = RunRequest.parse(request.body);
    return reply.code(201).send(ctx.runs.start(spec).status());
  });
  app.get<{ Params: { id: string } }>('/api/runs/:id', async (request) => ctx.runs.require(request.params.id).status());
  app.post<{ Params: { id: string } }>('/api/runs/:id/control', async (request) => ctx.runs.require(request.params.id).control(RunControl.parse(request.body)));
  app.get<{ Params: { id: string } }>('/api/runs/:id/results', async (request) => runResults(ctx.runs.require(request.params.id)));
  app.get<{ Params: { id: string } }>('/api/runs/:id/equity', async (request) => equityPoints(ctx.runs.require(request.params.id), EquityQuery.parse(request.query).maxPoints));
  app.get<{ Params: { id: string } }>('/api/runs/:id/candles', async (request) => {
    const q = CandlesQuery.parse(request.query);
    let interval: number;
    try {
      interval = parseTimeframe(q.timeframe);
    } catch (error) {
      throw new BarflowError('request.timeframe', (error as Error).message, { field: 'timeframe' });
    }
    return candles(ctx.runs.require(request.params.id), interval, q.from, q.to, q.maxBars);
  });
  app.get<{ Params: { id: string } }>('/api/runs/:id/values', async (request) => {
    const session = ctx.runs.require(request.params.id);
    const q = ValuesQuery.parse(request.query);
    const ids = q.nodes.split(',').filter(Boolean);
    const indices = ids.map((id) => {
      const node = session.plan.byId.get(id);
      if (node === undefined) throw new BarflowError('node.not-found', `run ${session.id} has no node "${id.slice(0, 80)}"`, { node: id });
      return node.index;
    });
    return session.history(indices, q.from ?? session.range.start, q.to ?? session.lastIndex, q.maxPoints);
  });
  // the data index of the last committed base bar with open time ≤ time (ms UTC): a clicked candle → a bar
  app.get<{ Params: { id: string } }>('/api/runs/:id/index', async (request) => barIndexAt(ctx.runs.require(request.params.id), IndexQuery.parse(request.query).time));
  app.get<{ Params: { id: string; index: string } }>('/api/runs/:id/bars/:index', async (request) => {
    const session = ctx.runs.require(request.params.id);
    const index = Number(request.params.index);
    if (!Number.isInteger(index) || index < session.range.start || index > session.lastIndex) {
      throw new BarflowError('request.bar', `bar ${request.params.index.slice(0, 20)} is outside the committed bars ${session.range.start}..${session.lastIndex}`, { field: 'index' });
    }
    return { index, time: session.data.time[index], values: session.valuesAt(index) };
  });
}

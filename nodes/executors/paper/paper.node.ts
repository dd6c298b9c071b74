import { z } from 'zod';
import { defineNode } from '../../../engine/core/node-definition.ts';
import type { OrderCommand } from '../../../engine/core/trading.ts';
import { loadFundingSeries } from '../../../engine/venues/paper/funding.ts';
import { money } from '../../../engine/venues/paper/money.ts';
import { PaperVenue } from '../../../engine/venues/paper/paper-venue.ts';

const rate = (max: number) => z.number().min(0).max(max);

/**
 * Hands fresh order commands to the venue. It never decides anything: sizing, stops and exits
 * come from risk nodes. Its params describe the paper venue (costs, contract, starting equity),
 * which the runtime builds once per run; live executors will take the same inputs.
 */
export const paperExecutor = defineNode({
  type: 'executor.paper',
  version: 2,
  title: 'Paper executor',
  category: 'executor',
  summary: 'Executes orders on a simulated isolated-margin perpetual with fees, slippage, funding and liquidation.',
  role: 'executor',
  quiet: { wakeInputs: ['orders'] },
  pathParams: ['fundingFile'],
  params: z.object({
    initialEquity: z.number().positive().max(1e12).default(10_000).describe('starting wallet balance, USDT'),
    takerFee: rate(0.01).default(0.0006).describe('fee rate on market fills (0.0006 = 0.06%)'),
    makerFee: rate(0.01).default(0.0002).describe('fee rate on resting fills (0.0002 = 0.02%)'),
    slippage: rate(0.05).default(0.0002).describe('fraction of price every market fill moves against the trade'),
    targetOrders: z
      .enum(['market', 'limit'])
      .default('market')
      .describe('partial exits and take-profit: market (triggered at the level, taker fee, slippage) or limit (filled at the level as a maker when traded through)'),
    fundingRate: z.number().min(-0.01).max(0.01).default(0.0001).describe('constant funding rate per settlement when no funding file covers it'),
    fundingFile: z.string().min(1).optional().describe('CSV of time,funding_rate settlements (relative to the pipeline file)'),
    fundingIntervalHours: z.number().int().min(1).max(24).default(8).describe('hours between funding settlements'),
    fundingOffsetHours: z.number().int().min(0).max(23).default(0).describe('first settlement of the UTC day (0 = 00:00, 08:00, 16:00)'),
    symbol: z.string().regex(/^[A-Z0-9]{2,20}$/).default('ETHUSDTM').describe('contract traded'),
    multiplier: z.number().positive().default(0.01).describe('base-asset units per lot (ETHUSDTM 0.01, XBTUSDTM 0.001)'),
    lotSize: z.number().positive().default(1).describe('order sizes are whole multiples of this many lots'),
    tickSize: z.number().min(0).default(0.01).describe('price increment; fills are rounded to it against the trader'),
    maintenanceMargin: rate(0.5).default(0.005).describe('maintenance-margin rate for the isolated liquidation price'),
  }),
  inputs: { orders: { type: 'order', many: true, help: 'commands from risk nodes (null when none)' } },
  outputs: {
    submitted: { type: 'series', help: 'commands handed to the venue this bar' },
    last: { type: 'text', help: 'the last command submitted' },
  },
  warmup: () => 0,
  createVenue: (p, env) =>
    new PaperVenue({
      contract: { symbol: p.symbol, multiplier: p.multiplier, lotSize: p.lotSize, tickSize: p.tickSize, maintenanceMargin: p.maintenanceMargin },
      initialEquity: money(p.initialEquity),
      takerFee: money(p.takerFee),
      makerFee: money(p.makerFee),
      slippage: money(p.slippage),
      targetOrders: p.targetOrders,
      fundingRate: money(p.fundingRate),
      fundingIntervalMs: p.fundingIntervalHours * 3_600_000,
      fundingOffsetMs: p.fundingOffsetHours * 3_600_000,
      fundingSeries: p.fundingFile === undefined ? null : loadFundingSeries(env.resolvePath(p.fundingFile)),
    }),
  init: () => ({}),
  step(_s: object, inputs: { orders: (OrderCommand | null)[] }, out: { submitted: number; last: string }, _p, ctx) {
    const now = ctx.time + ctx.bar.interval;
    let submitted = 0;
    for (const order of inputs.orders) {
      // A held output from a node that did not fire this bar is not a new command.
      if (order === null || order === undefined || order.time !== now || !ctx.trading || ctx.venue === null) continue;
      ctx.venue.submit(order, now);
      out.last = `${order.kind} ${order.reason}`;
      submitted++;
    }
    out.submitted = submitted;
    return true;
  },
});

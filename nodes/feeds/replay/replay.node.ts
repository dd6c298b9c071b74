import { z } from 'zod';
import { defineNode } from '../../../engine/core/node-definition.ts';
import { isTimeframe } from '../../../engine/core/timeframe.ts';
import type { Bar } from '../../../engine/core/trading.ts';

interface ReplayOutputs {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  bar: Bar | null;
  gap: boolean;
}

/**
 * The candle source. The runtime loads the file (and `barflow run --data` replaces it); this node
 * only publishes each committed bar, so the same definition serves replay, paper and live.
 */
export const replayFeed = defineNode({
  type: 'feed.replay',
  version: 1,
  title: 'Replay feed',
  category: 'feed',
  summary: 'Candles from a CSV or CSV.gz file (time,open,high,low,close,volume; ms UTC), one bar per step.',
  role: 'candles',
  pathParams: ['file'],
  params: z.object({
    file: z.string().min(1).describe('candle file, relative to the pipeline file; `--data` replaces it'),
    symbol: z.string().regex(/^[A-Z0-9]{2,20}$/).default('ETHUSDTM').describe('instrument the candles belong to (KuCoin symbol)'),
    timeframe: z
      .string()
      .refine(isTimeframe, { message: 'not a timeframe like 5m, 15min, 1h or 4hour' })
      .optional()
      .describe('expected bar interval; the data must match (inferred from the file when omitted)'),
  }),
  inputs: {},
  outputs: {
    time: { type: 'series', help: 'bar open time, ms UTC' },
    open: { type: 'series' },
    high: { type: 'series' },
    low: { type: 'series' },
    close: { type: 'series' },
    volume: { type: 'series', help: 'base-asset volume' },
    bar: { type: 'bar', help: 'the whole candle, for resamplers' },
    gap: { type: 'bool', help: 'true when bars are missing right before this one' },
  },
  warmup: () => 0,
  init: () => ({}),
  step(_state: object, _inputs: object, out: ReplayOutputs, _params, ctx) {
    const bar = ctx.bar;
    out.time = bar.time;
    out.open = bar.open;
    out.high = bar.high;
    out.low = bar.low;
    out.close = bar.close;
    out.volume = bar.volume;
    out.bar = bar;
    out.gap = ctx.gapBefore > 0;
    return true;
  },
});

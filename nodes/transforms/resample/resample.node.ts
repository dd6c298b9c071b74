import { z } from 'zod';
import { defineNode } from '../../../engine/core/node-definition.ts';
import { BarflowError } from '../../../engine/core/errors.ts';
import { formatTimeframe, isTimeframe, parseTimeframe, periodStart } from '../../../engine/core/timeframe.ts';
import type { Bar } from '../../../engine/core/trading.ts';

interface ResampleState {
  tf: number;
  start: number; // open time of the period being built; NaN when none
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  count: number;
  /** false once a sub-bar of this period was itself incomplete (a resample of a resample) */
  subComplete: boolean;
  interval: number;
  /** finished periods not yet published (more than one only after data gaps) */
  queue: Bar[];
}

interface ResampleOutputs {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  bar: Bar | null;
  complete: boolean;
}

const timeframeParam = z.string().refine(isTimeframe, { message: 'not a timeframe like 15m, 30min, 1h, 4hour or 1d' });

/**
 * Builds higher-timeframe candles and publishes each one only once its period has closed: on the
 * base bar that ends the period, or — when a data gap swallowed that bar — on the first bar after
 * the gap, marked incomplete. So nothing downstream can see a forming higher-timeframe bar.
 */
export const resample = defineNode({
  type: 'transform.resample',
  version: 1,
  title: 'Resample',
  category: 'transform',
  summary: 'Aggregates bars to a higher timeframe (UTC-aligned), exposing each bar only after it closed.',
  params: z.object({
    timeframe: timeframeParam.describe('target timeframe, e.g. 15m, 30min, 1h, 4hour'),
  }),
  inputs: { bar: { type: 'bar' } },
  outputs: {
    time: { type: 'series', help: 'period open time, ms UTC' },
    open: { type: 'series' },
    high: { type: 'series' },
    low: { type: 'series' },
    close: { type: 'series' },
    volume: { type: 'series' },
    bar: { type: 'bar' },
    complete: { type: 'bool', help: 'false when sub-bars of this period were missing' },
  },
  outputInterval: (p) => parseTimeframe(p.timeframe),
  warmup: () => 0,
  init: (p): ResampleState => ({ tf: parseTimeframe(p.timeframe), start: NaN, open: NaN, high: NaN, low: NaN, close: NaN, volume: 0, count: 0, subComplete: true, interval: 0, queue: [] }),
  step(s: ResampleState, inputs: { bar: Bar }, out: ResampleOutputs) {
    const tf = s.tf;
    const b = inputs.bar;
    if (b.interval > 0 && (tf < b.interval || tf % b.interval !== 0)) {
      throw new BarflowError('clock.resample', `cannot resample ${formatTimeframe(b.interval)} bars to ${formatTimeframe(tf)}: the target must be a whole multiple`, {}, formatTimeframe(tf));
    }
    const start = periodStart(b.time, tf);
    if (s.start === s.start && start !== s.start) s.queue.push(finish(s, tf)); // the previous period lost its closing bar to a gap
    if (s.start !== s.start) {
      s.start = start;
      s.open = b.open;
      s.high = b.high;
      s.low = b.low;
      s.volume = 0;
      s.count = 0;
      s.subComplete = true;
    }
    if (b.high > s.high) s.high = b.high;
    if (b.low < s.low) s.low = b.low;
    s.close = b.close;
    s.volume += b.volume;
    s.count += 1;
    if (!b.complete) s.subComplete = false;
    s.interval = b.interval;
    if (b.time + b.interval >= start + tf) s.queue.push(finish(s, tf));
    const next = s.queue.shift();
    if (next === undefined) return false;
    out.time = next.time;
    out.open = next.open;
    out.high = next.high;
    out.low = next.low;
    out.close = next.close;
    out.volume = next.volume;
    out.bar = next;
    out.complete = next.complete;
    return true;
  },
});

function finish(s: ResampleState, tf: number): Bar {
  const bar: Bar = {
    time: s.start,
    open: s.open,
    high: s.high,
    low: s.low,
    close: s.close,
    volume: s.volume,
    interval: tf,
    complete: s.interval > 0 && s.count === tf / s.interval && s.subComplete,
  };
  s.start = NaN;
  return bar;
}

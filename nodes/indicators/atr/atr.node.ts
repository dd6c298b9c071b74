import { z } from 'zod';
import { defineNode } from '../../../engine/core/node-definition.ts';
import { ring, ringFull, ringPush, type Ring } from '../../_kit/ring.ts';
import { atrBatch, atrGpu } from './atr.batch.ts';

interface AtrState {
  prevClose: number; // NaN until the first bar: bar 0 has no true range (TA-Lib TRANGE)
  count: number; // true ranges seen, capped at period once the Wilder seed is taken
  sum: number; // Wilder: seed sum; sma: running window sum
  atr: number;
  window: Ring | null; // sma only
}

const settleTolerance = 1e-11; // 1e-9 with margin: the seed's offset can be a few times the ATR

/**
 * Average true range. 'wilder' reproduces TA_ATR's operation order (seed = sum of the first
 * `period` true ranges / period, then ×(period−1), +TR, ÷period); 'sma' is TA_SMA over TA_TRANGE,
 * with the running sum updated subtract-then-add as TA_SMA does.
 */
export const atr = defineNode({
  type: 'indicator.atr',
  version: 1,
  title: 'ATR',
  category: 'indicator',
  summary: 'Average true range: Wilder-smoothed (TA-Lib ATR) or simple average of the true range.',
  params: z.object({
    period: z.number().int().min(1).max(10_000).default(14).describe('number of true ranges averaged'),
    smoothing: z
      .enum(['wilder', 'sma'])
      .default('wilder')
      .describe("'wilder' (TA-Lib ATR) or 'sma' (simple mean of the last `period` true ranges)"),
  }),
  inputs: { high: { type: 'series' }, low: { type: 'series' }, close: { type: 'series' } },
  outputs: { value: { type: 'series' } },
  syncInputs: true,
  batch: atrBatch,
  gpu: atrGpu,
  warmup: (p) => p.period,
  settle: (p) =>
    p.smoothing === 'sma' || p.period === 1
      ? p.period
      : p.period + Math.ceil(Math.log(settleTolerance) / Math.log(1 - 1 / p.period)),
  init: (p): AtrState => ({
    prevClose: NaN,
    count: 0,
    sum: 0,
    atr: NaN,
    window: p.smoothing === 'sma' ? ring(p.period) : null,
  }),
  step(s: AtrState, i: { high: number; low: number; close: number }, o: { value: number }, p) {
    const h = i.high;
    const l = i.low;
    const c = i.close;
    const pc = s.prevClose;
    if (h !== h || l !== l || c !== c || pc !== pc) {
      if (c === c && h === h && l === l) s.prevClose = c; // the first valid bar only opens the series
      o.value = NaN;
      return true;
    }
    s.prevClose = c;
    let tr = h - l;
    const up = Math.abs(pc - h);
    if (up > tr) tr = up;
    const down = Math.abs(pc - l);
    if (down > tr) tr = down;

    const n = p.period;
    const w = s.window;
    if (w !== null) {
      const evicted = ringPush(w, tr);
      if (evicted === evicted) s.sum -= evicted;
      s.sum += tr;
      o.value = ringFull(w) ? s.sum / n : NaN;
      return true;
    }
    if (s.count < n) {
      s.sum += tr;
      if (++s.count < n) {
        o.value = NaN;
        return true;
      }
      s.atr = s.sum / n;
    } else {
      s.atr = (s.atr * (n - 1) + tr) / n;
    }
    o.value = s.atr;
    return true;
  },
});

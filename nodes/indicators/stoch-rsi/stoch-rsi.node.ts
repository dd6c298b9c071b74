import { z } from 'zod';
import { defineNode } from '../../../engine/core/node-definition.ts';
import { ring, ringPush, type Ring } from '../../_kit/ring.ts';
import { rsiInit, rsiSettle, rsiUpdate, type RsiState } from '../rsi/rsi.node.ts';
import { stochRsiBatch } from './stoch-rsi.batch.ts';

interface StochRsiState {
  rsi: RsiState;
  /** the last stochPeriod RSI values, in write order modulo wrap-around */
  window: number[];
  size: number;
  /** where the next RSI value is written (over the oldest one once full) */
  slot: number;
  /** slots holding the current extremes: overwriting one is the only reason to rescan */
  maxSlot: number;
  minSlot: number;
  max: number;
  min: number;
  raw: Ring;
  kRing: Ring;
}

const neutral = 50;

/**
 * Re-summed each time rather than kept as a running sum (TA-Lib's way): a running sum drifts by
 * ~1e-12 over a long run (TA-Lib's k reaches −9e-13 and 100.0000000000006 on the embedded data)
 * and ties the output to all of history. A fresh sum of values in [0, 100] stays in [0, 100].
 */
function mean(values: number[]): number {
  let sum = 0;
  for (let j = 0; j < values.length; j++) sum += values[j]!;
  return sum / values.length;
}

/**
 * Stochastic RSI: where the RSI sits in its own recent range, smoothed twice by SMAs. The running
 * extremes are rescanned only when the value holding one leaves the window (as TA-Lib's STOCH
 * does), which on market data is a small fraction of the bars.
 */
export const stochRsi = defineNode({
  type: 'indicator.stoch-rsi',
  version: 1,
  title: 'Stochastic RSI',
  category: 'indicator',
  summary: 'Stochastic oscillator of the RSI: k = SMA of where RSI sits in its recent range (0..100), d = SMA of k.',
  params: z.object({
    rsiPeriod: z.number().int().min(2).max(10_000).default(14).describe('RSI period'),
    stochPeriod: z.number().int().min(2).max(10_000).default(14).describe('number of RSI values whose range is measured'),
    kPeriod: z.number().int().min(1).max(10_000).default(3).describe('SMA smoothing of the raw stochastic (1 = none)'),
    dPeriod: z.number().int().min(1).max(10_000).default(3).describe('SMA of k'),
  }),
  inputs: { source: { type: 'series' } },
  outputs: { k: { type: 'series' }, d: { type: 'series' } },
  syncInputs: true,
  batch: stochRsiBatch,
  warmup: (p) => {
    const k = p.rsiPeriod + p.stochPeriod - 1 + p.kPeriod - 1;
    return { k, d: k + p.dPeriod - 1 };
  },
  // The stochastic divides RSI by its recent range (often a few points), which magnifies any
  // trace of the RSI seed: demand 1e-14 of it instead of 1e-11.
  settle: (p) => rsiSettle(p.rsiPeriod, 1e-14) + p.stochPeriod - 1 + p.kPeriod - 1 + p.dPeriod - 1,
  init: (p): StochRsiState => ({
    rsi: rsiInit(p.rsiPeriod),
    window: new Array<number>(p.stochPeriod).fill(0),
    size: 0,
    // slot 0 is written first, so the first step rescans
    slot: 0,
    maxSlot: 0,
    minSlot: 0,
    max: 0,
    min: 0,
    raw: ring(p.kPeriod),
    kRing: ring(p.dPeriod),
  }),
  step(s: StochRsiState, i: { source: number }, o: { k: number; d: number }, p) {
    const x = i.source;
    const r = x === x ? rsiUpdate(s.rsi, x) : NaN;
    o.k = NaN;
    o.d = NaN;
    if (r !== r) return true;

    const n = p.stochPeriod;
    const w = s.window;
    const slot = s.slot;
    w[slot] = r;
    if (s.size < n) s.size++;
    s.slot = slot + 1 === n ? 0 : slot + 1;
    // Order inside the window does not matter to an extreme, so a rescan reads it front to back.
    if (slot === s.maxSlot) {
      let max = r;
      for (let j = 0; j < s.size; j++) {
        if (w[j]! >= max) {
          max = w[j]!;
          s.maxSlot = j;
        }
      }
      s.max = max;
    } else if (r >= s.max) {
      s.max = r;
      s.maxSlot = slot;
    }
    if (slot === s.minSlot) {
      let min = r;
      for (let j = 0; j < s.size; j++) {
        if (w[j]! <= min) {
          min = w[j]!;
          s.minSlot = j;
        }
      }
      s.min = min;
    } else if (r <= s.min) {
      s.min = r;
      s.minSlot = slot;
    }
    if (s.size < n) return true;

    // Not TA-Lib's (r − min) / ((max − min) / 100), which gives 100.00000000000001 at the top of
    // the range: dividing first keeps raw within [0, 100] exactly.
    const range = s.max - s.min;
    const raw = range !== 0 ? ((r - s.min) / range) * 100 : neutral;

    ringPush(s.raw, raw);
    if (s.raw.size < p.kPeriod) return true;
    const k = mean(s.raw.items);
    o.k = k;
    ringPush(s.kRing, k);
    if (s.kRing.size === p.dPeriod) o.d = mean(s.kRing.items);
    return true;
  },
});

import { z } from 'zod';
import { defineNode } from '../../../engine/core/node-definition.ts';
import { kdjBatch } from './kdj.batch.ts';

interface KdjState {
  /** the last `period` highs and lows, in write order modulo wrap-around */
  highs: number[];
  lows: number[];
  size: number;
  /** where the next bar is written (over the oldest one once full) */
  slot: number;
  /** slots holding the current extremes: overwriting one is the only reason to rescan */
  highSlot: number;
  lowSlot: number;
  highest: number;
  lowest: number;
  /** 1/kSmoothing, 1/dSmoothing and their complements */
  a: number;
  ca: number;
  b: number;
  cb: number;
  k: number;
  d: number;
}

const neutral = 50;

/**
 * Seed influence of K and D (both start at 50, so off by at most 100) bounds J's error by
 * 3·eK + 2·eD; count the firings until that falls under 1e-10 on the 0..100 scale.
 */
function kdjSettle(p: { period: number; kSmoothing: number; dSmoothing: number }): number {
  const rk = 1 - 1 / p.kSmoothing;
  const rd = 1 - 1 / p.dSmoothing;
  let ek = 100;
  let ed = 100;
  let n = 0;
  while (3 * ek + 2 * ed > 1e-10) {
    ek *= rk;
    ed = rd * ed + (1 - rd) * ek;
    n++;
  }
  return p.period - 1 + n;
}

/**
 * KDJ (the stochastic as charted in Asian markets): RSV is where the close sits in the last
 * `period` bars' range, K and D are Wilder-style smoothings seeded at 50, J = 3K − 2D.
 * The running extremes are rescanned only when the bar holding one leaves the window.
 */
export const kdj = defineNode({
  type: 'indicator.kdj',
  version: 1,
  title: 'KDJ',
  category: 'indicator',
  summary: 'KDJ stochastic: K and D smooth the raw stochastic (seeded at 50), J = 3K − 2D.',
  params: z.object({
    period: z.number().int().min(1).max(10_000).default(9).describe('bars whose high/low range the close is placed in'),
    kSmoothing: z.number().int().min(1).max(10_000).default(3).describe('K = K·(1 − 1/kSmoothing) + RSV/kSmoothing'),
    dSmoothing: z.number().int().min(1).max(10_000).default(3).describe('D = D·(1 − 1/dSmoothing) + K/dSmoothing'),
  }),
  inputs: { high: { type: 'series' }, low: { type: 'series' }, close: { type: 'series' } },
  outputs: { k: { type: 'series' }, d: { type: 'series' }, j: { type: 'series' } },
  syncInputs: true,
  batch: kdjBatch,
  warmup: (p) => p.period - 1,
  settle: kdjSettle,
  init: (p): KdjState => ({
    highs: new Array<number>(p.period).fill(0),
    lows: new Array<number>(p.period).fill(0),
    size: 0,
    // slot 0 is written first, so the first step rescans
    slot: 0,
    highSlot: 0,
    lowSlot: 0,
    highest: 0,
    lowest: 0,
    a: 1 / p.kSmoothing,
    ca: 1 - 1 / p.kSmoothing,
    b: 1 / p.dSmoothing,
    cb: 1 - 1 / p.dSmoothing,
    k: neutral,
    d: neutral,
  }),
  step(s: KdjState, i: { high: number; low: number; close: number }, o: { k: number; d: number; j: number }, p) {
    const h = i.high;
    const l = i.low;
    const c = i.close;
    o.k = NaN;
    o.d = NaN;
    o.j = NaN;
    if (h !== h || l !== l || c !== c) return true;

    const n = p.period;
    const slot = s.slot;
    s.highs[slot] = h;
    s.lows[slot] = l;
    if (s.size < n) s.size++;
    s.slot = slot + 1 === n ? 0 : slot + 1;
    // Order inside the window does not matter to an extreme, so a rescan reads it front to back.
    if (slot === s.highSlot) {
      let best = h;
      for (let j = 0; j < s.size; j++) {
        if (s.highs[j]! >= best) {
          best = s.highs[j]!;
          s.highSlot = j;
        }
      }
      s.highest = best;
    } else if (h >= s.highest) {
      s.highest = h;
      s.highSlot = slot;
    }
    if (slot === s.lowSlot) {
      let best = l;
      for (let j = 0; j < s.size; j++) {
        if (s.lows[j]! <= best) {
          best = s.lows[j]!;
          s.lowSlot = j;
        }
      }
      s.lowest = best;
    } else if (l <= s.lowest) {
      s.lowest = l;
      s.lowSlot = slot;
    }
    if (s.size < n) return true;

    const range = s.highest - s.lowest;
    const rsv = range !== 0 ? ((c - s.lowest) / range) * 100 : neutral;
    const k = s.ca * s.k + s.a * rsv;
    const d = s.cb * s.d + s.b * k;
    s.k = k;
    s.d = d;
    o.k = k;
    o.d = d;
    o.j = 3 * k - 2 * d;
    return true;
  },
});

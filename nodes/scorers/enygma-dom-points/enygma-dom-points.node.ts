import { z } from 'zod';
import { defineNode } from '../../../engine/core/node-definition.ts';
import type { Bar, OrderBook } from '../../../engine/core/trading.ts';
import { isNum, labelPair, pointsParams, pointValue, POINTS_OUTPUTS, publish, score, type PointsOutputs } from '../_enygma/points-kit.ts';

interface DomPointsState {
  /** [bullish, bearish] label per tier, built once from the params */
  labels: { strong: [string, string]; moderate: [string, string] };
}

interface DomInputs {
  /** drives the node on its timeframe's clock; its values are not read */
  bar: Bar;
  /** unwired (undefined) or null in backtests */
  book?: OrderBook | null;
}

type DomOutputs = PointsOutputs & { imbalance: number };

/** (Σ bid sizes − Σ ask sizes) / (Σ both) over the best `depth` levels; NaN for an empty book. */
export function bookImbalance(book: OrderBook, depth: number): number {
  let bid = 0;
  let ask = 0;
  for (let k = 0; k < depth && k < book.bids.length; k++) bid += book.bids[k]![1];
  for (let k = 0; k < depth && k < book.asks.length; k++) ask += book.asks[k]![1];
  const total = bid + ask;
  return total > 0 ? (bid - ask) / total : NaN;
}

/**
 * Order-book imbalance points (research §2.3, DOM): live only. The two levels are tiers, not
 * additive (the spec's "otherwise"): beyond strongLevel scores `strong`, else beyond
 * moderateLevel scores `moderate`; sell-side imbalance mirrors. Without a book (every backtest)
 * the node is inactive: imbalance NaN, points 0, detail.value null. The ±20 microstructure cap
 * (enygma.md §3.2) is the scorer's; this node clamps to its own maxScore (2 × weight).
 */
export const enygmaDomPoints = defineNode({
  type: 'enygma.dom-points',
  version: 1,
  title: 'ENYGMA order-book (DOM) points',
  category: 'scorer',
  summary: 'ENYGMA DOM sub-signal points from order-book imbalance (live only; inactive without a book).',
  params: z.object({
    ...pointsParams(15),
    depth: z.number().int().min(1).max(1000).default(10).describe('best price levels per side summed'),
    strongLevel: z.number().min(0).max(1).default(0.3).describe('imbalance beyond ±this scores strong'),
    strong: pointValue(15, 'imbalance > strongLevel (mirror: < −strongLevel)'),
    moderateLevel: z.number().min(0).max(1).default(0.1).describe('otherwise, imbalance beyond ±this scores moderate'),
    moderate: pointValue(8, 'moderateLevel < imbalance ≤ strongLevel (mirrored)'),
  }),
  inputs: {
    bar: { type: 'bar', help: "the timeframe's candles: only the clock this node fires on" },
    book: { type: 'book', optional: true, help: 'order-book snapshot (live only; null or unwired in backtests)' },
  },
  outputs: {
    imbalance: { type: 'series', help: '(bids − asks)/(bids + asks) over the top `depth` levels; NaN without a book' },
    ...POINTS_OUTPUTS,
  },
  syncInputs: true,
  // nothing to warm up: a missing book is not a warm-up, it just leaves the node inactive
  warmup: () => 0,
  init: (p): DomPointsState => ({
    labels: {
      strong: labelPair(`bid imbalance above ${p.strongLevel}`, `ask imbalance above ${p.strongLevel}`, p.strong),
      moderate: labelPair(`bid imbalance above ${p.moderateLevel}`, `ask imbalance above ${p.moderateLevel}`, p.moderate),
    },
  }),
  step(s: DomPointsState, i: DomInputs, o: DomOutputs, p) {
    const imbalance = i.book ? bookImbalance(i.book, p.depth) : NaN;
    const active = p.enabled && isNum(imbalance);
    const conditions: string[] = [];
    const L = s.labels;
    let raw = 0;
    if (active) {
      const x = imbalance;
      raw += score(x > p.strongLevel, p.strong, L.strong[0], conditions);
      raw += score(!(x > p.strongLevel) && x > p.moderateLevel, p.moderate, L.moderate[0], conditions);
      raw -= score(x < -p.strongLevel, p.strong, L.strong[1], conditions);
      raw -= score(!(x < -p.strongLevel) && x < -p.moderateLevel, p.moderate, L.moderate[1], conditions);
    }
    o.imbalance = imbalance;
    publish(o, 'dom', p, active, imbalance, raw, conditions);
    return true;
  },
});

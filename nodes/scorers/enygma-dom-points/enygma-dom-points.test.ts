import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OrderBook } from '../../../engine/core/trading.ts';
import { describeNodeContract } from '../../_kit/contract.ts';
import { bareContext, paramsOf, type Columns } from '../../_kit/run-node.ts';
import { checkBoundedAndMirrored, eth5000, fire, last } from '../_enygma/points-testing.ts';
import { bookImbalance, enygmaDomPoints } from './enygma-dom-points.node.ts';

const bar = bareContext().bar;
/** a book with these sizes per level, best first (prices are not read) */
const book = (bids: number[], asks: number[]): OrderBook => ({ time: 0, bids: bids.map((s, k) => [100 - k, s] as const), asks: asks.map((s, k) => [101 + k, s] as const) });
const swap = (b: OrderBook): OrderBook => ({ time: b.time, bids: b.asks, asks: b.bids });
const at = (b: OrderBook | null | undefined, params: Record<string, unknown> = {}) => {
  const [fired] = fire(enygmaDomPoints, params, [b === undefined ? { bar } : { bar, book: b }]) as (ReturnType<typeof last> & { imbalance: number })[];
  return fired!;
};

describe('enygma.dom-points', () => {
  it('imbalance = (Σ bids − Σ asks)/(Σ both) over the top `depth` levels', () => {
    expect(bookImbalance(book([3, 2], [1, 1]), 10)).toBeCloseTo(3 / 7, 15);
    expect(bookImbalance(book([3, 2], [1, 1]), 1)).toBe(0.5);
    // the 11th level is outside depth 10
    expect(bookImbalance(book([...Array(10).fill(1), 100], Array(11).fill(1)), 10)).toBe(0);
    expect(bookImbalance(book([], []), 10)).toBeNaN();
  });

  it('strong bid imbalance (> 0.3): +15; moderate (> 0.1): +8; the tiers do not add', () => {
    expect(at(book([3, 2], [1, 1]))).toMatchObject({
      imbalance: 3 / 7,
      points: 15,
      detail: { indicator: 'dom', active: true, value: 3 / 7, raw: 15, maxScore: 30, conditions: ['bid imbalance above 0.3 (+15)'] },
    });
    expect(at(book([6], [4]))).toMatchObject({ points: 8, detail: { conditions: ['bid imbalance above 0.1 (+8)'] } });
  });

  it('mirrors on the ask side: -15, -8', () => {
    expect([at(book([1, 1], [3, 2])).points, at(book([4], [6])).points]).toEqual([-15, -8]);
    expect(at(book([1, 1], [3, 2])).detail.conditions).toEqual(['ask imbalance above 0.3 (-15)']);
  });

  it('levels are strict: exactly 0.3 is moderate, exactly 0.1 scores nothing', () => {
    expect([at(book([13], [7])).points, at(book([11], [9])).points, at(book([7], [13])).points, at(book([9], [11])).points]).toEqual([8, 0, -8, 0]);
  });

  it('without an order book (backtests): imbalance NaN, points 0, inactive, value null', () => {
    for (const b of [undefined, null, book([], []), book([0], [0])]) {
      const fired = at(b);
      expect(fired.imbalance).toBeNaN();
      expect(fired).toMatchObject({ points: 0, detail: { enabled: true, active: false, value: null, raw: 0, conditions: [] } });
    }
  });

  it('disabled: imbalance still measured, 0 points, inactive', () => {
    expect(at(book([3, 2], [1, 1]), { enabled: false })).toMatchObject({ imbalance: 3 / 7, points: 0, detail: { enabled: false, active: false, value: 3 / 7 } });
  });

  it('weight sets maxScore; every number is a param', () => {
    expect(at(book([3, 2], [1, 1]), { weight: 5 }).detail).toMatchObject({ raw: 15, points: 10, maxScore: 10 });
    expect(at(book([3, 2], [1, 1]), { strongLevel: 0.5, moderate: 3 }).points).toBe(3);
    expect(at(book([6], [4]), { moderateLevel: 0.25 }).points).toBe(0);
    expect(at(book([3, 2], [1, 1]), { depth: 1, strongLevel: 0.45, strong: 2 }).points).toBe(2);
  });

  it('property: |points| ≤ maxScore, and swapping bids and asks negates the points', () => {
    const side = fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 14 });
    const row = fc.oneof({ weight: 9, arbitrary: fc.tuple(side, side).map(([b, a]) => ({ bar, book: book(b, a) })) }, { weight: 1, arbitrary: fc.constant({ bar, book: null }) });
    checkBoundedAndMirrored(enygmaDomPoints, fc.array(row, { minLength: 1, maxLength: 10 }), (r) => ({ bar, book: r.book && swap(r.book) }));
  });

  it('over 5000 real ETH 5m bars with no book (a backtest): always 0 and inactive', () => {
    const eth = eth5000();
    const fired = fire(enygmaDomPoints, {}, eth.close.map((close) => ({ bar: { ...bar, close } })));
    expect(fired.every((f) => f.points === 0 && !f.detail.active && f.detail.value === null)).toBe(true);
  });

  // the contract on object inputs: a varying book every bar, a "forming" bar swaps its sides
  const n = 200;
  const books = Array.from({ length: n }, (_, k) => book([1 + Math.abs(Math.sin(k)) * 9, 2, 3], [1 + Math.abs(Math.cos(k * 0.7)) * 9, 2.5, 3]));
  const columns = { bar: Array(n).fill(bar), book: books } as unknown as Columns;
  const perturb = (row: Record<string, unknown>) => ({ ...row, book: swap(row['book'] as OrderBook) });
  describeNodeContract(enygmaDomPoints, paramsOf(enygmaDomPoints), columns, { perturb: perturb as never });
});

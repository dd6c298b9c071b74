import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeNodeContract } from '../../_kit/contract.ts';
import { columnsOf, loadEmbedded } from '../../_kit/reference-data.ts';
import { paramsOf, runNode } from '../../_kit/run-node.ts';
import { sma } from '../../indicators/sma/sma.node.ts';
import { runRows } from '../_shared/testing.ts';
import { cross } from './cross.node.ts';

type Direction = 'above' | 'below' | 'any';
const values = (params: Record<string, unknown>, a: number[], b?: number[]) =>
  runRows(cross, paramsOf(cross, params), a.map((x, k) => (b === undefined ? { a: x } : { a: x, b: b[k] }))).map((o) => o['value']);

describe('signal.cross', () => {
  it('fires above only on the firing where a rises through b', () => {
    expect(values({}, [1, 2, 3, 4, 2, 5], [2, 2, 2, 2, 2, 2])).toEqual([false, false, true, false, false, true]);
  });

  it('fires below only on the firing where a falls through b', () => {
    expect(values({ direction: 'below' }, [3, 2, 1, 0, 3, 1], [2, 2, 2, 2, 2, 2])).toEqual([false, false, true, false, false, true]);
  });

  it('any fires on both kinds of cross', () => {
    expect(values({ direction: 'any' }, [1, 3, 1, 1, 3], [2, 2, 2, 2, 2])).toEqual([false, true, true, false, true]);
  });

  it('counts a touch as below for above and as above for below (prev a <= prev b, a > b)', () => {
    // equal now is not a cross; leaving the touch upwards is
    expect(values({}, [1, 2, 3], [2, 2, 2])).toEqual([false, false, true]);
    expect(values({}, [2, 3], [2, 2])).toEqual([false, true]);
    // so a dip from above that only touches b and rises again counts as a fresh cross above
    expect(values({}, [3, 2, 3], [2, 2, 2])).toEqual([false, false, true]);
  });

  it('uses the level when b is unwired', () => {
    expect(values({ level: 50 }, [49, 50.5, 51, 49])).toEqual([false, true, false, false]);
    expect(values({ direction: 'below', level: 50 }, [49, 50.5, 51, 49])).toEqual([false, false, false, true]);
  });

  it('follows both a and b moving (fast MA crossing slow MA)', () => {
    expect(values({}, [10, 11, 12], [11, 11.5, 11.9])).toEqual([false, false, true]);
    expect(values({ direction: 'below' }, [10, 10, 10], [9, 9.5, 10.5])).toEqual([false, false, true]);
  });

  it('never crosses while any of the four numbers is NaN, and not from a bar that had none', () => {
    expect(values({}, [NaN, 3], [2, 2])).toEqual([false, false]);
    expect(values({}, [1, 3], [NaN, 2])).toEqual([false, false]);
    expect(values({}, [1, NaN], [2, 2])).toEqual([false, false]);
    expect(values({}, [1, 3], [2, NaN])).toEqual([false, false]);
    expect(values({}, [1, NaN, 3], [2, 2, 2])).toEqual([false, false, false]);
    expect(values({ level: 2 }, [NaN, 1, 3])).toEqual([false, false, true]);
  });

  it('never fires on the first firing', () => {
    for (const direction of ['above', 'below', 'any']) expect(values({ direction, level: 0 }, [5])).toEqual([false]);
  });

  it('property: above and below are never both true, any is their union, and above means a > b now', () => {
    const x = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.double({ min: -5, max: 5 }), fc.constant(NaN));
    fc.assert(
      fc.property(fc.array(fc.tuple(x, x), { minLength: 1, maxLength: 40 }), (pairs) => {
        const a = pairs.map((p) => p[0]);
        const b = pairs.map((p) => p[1]);
        const run = (direction: Direction) => values({ direction }, a, b) as boolean[];
        const [up, down, either] = [run('above'), run('below'), run('any')];
        for (let k = 0; k < pairs.length; k++) {
          expect(up[k] && down[k]).toBe(false);
          expect(either[k]).toBe(up[k] || down[k]);
          if (up[k]) expect(a[k]! > b[k]! && a[k - 1]! <= b[k - 1]!).toBe(true);
          if (down[k]) expect(a[k]! < b[k]! && a[k - 1]! >= b[k - 1]!).toBe(true);
        }
      }),
    );
  });
});

const eth = columnsOf(loadEmbedded('eth-5m'), 300);
const slow = Array.from(runNode(sma, paramsOf(sma, { period: 10 }), { source: eth.close }).value!);
describeNodeContract(cross, paramsOf(cross, { direction: 'any' }), { a: eth.close, b: slow });
describeNodeContract(cross, paramsOf(cross, { level: eth.close[20]! }), { a: eth.close });

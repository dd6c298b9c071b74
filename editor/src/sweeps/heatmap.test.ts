import { describe, expect, it } from 'vitest';
import { buildHeatmap, colourScale, legendStops, textOn, type HeatInput } from './heatmap.ts';

// params: a (3 values), b (2 values), c (2 values)
const rows: HeatInput[] = [
  { rank: 1, point: [2, 1, 0], value: 9 },
  { rank: 2, point: [2, 1, 1], value: 7 },
  { rank: 3, point: [0, 0, 0], value: 5 },
  { rank: 4, point: [0, 0, 1], value: 5 },
  { rank: 5, point: [1, 0, 0], value: -2 },
  { rank: 6, point: [1, 0, 1], value: null },
  { rank: 7, point: [0, 1, 1], value: -Infinity },
];

describe('heatmap cells', () => {
  it('holds the max over the other params, with the best-ranked row reaching it', () => {
    const h = buildHeatmap(rows, 0, 1, 3, 2);
    expect(h.width).toBe(3);
    expect(h.height).toBe(2);
    expect(h.cells[1]![2]).toEqual({ x: 2, y: 1, value: 9, rank: 1, rows: 2 });
    // a tie: the better rank wins
    expect(h.cells[0]![0]).toEqual({ x: 0, y: 0, value: 5, rank: 3, rows: 2 });
    // a row without the metric does not count, the other one does
    expect(h.cells[0]![1]).toEqual({ x: 1, y: 0, value: -2, rank: 5, rows: 2 });
    // -Infinity is a value (lower than any other)
    expect(h.cells[1]![0]).toEqual({ x: 0, y: 1, value: -Infinity, rank: 7, rows: 1 });
    // no row there
    expect(h.cells[1]![1]).toBeNull();
    expect(h.cells[0]![2]).toBeNull();
    // the scale spans the finite values only
    expect([h.min, h.max]).toEqual([-2, 9]);
  });

  it('swaps axes, and with no y param has one row', () => {
    const t = buildHeatmap(rows, 1, 0, 2, 3);
    expect(t.cells[2]![1]).toMatchObject({ value: 9, rank: 1 });
    const one = buildHeatmap(rows, 2, null, 2, 0);
    expect(one.height).toBe(1);
    expect(one.cells[0]!.map((c) => c?.value)).toEqual([9, 7]);
    expect(buildHeatmap([], 0, 1, 2, 2)).toMatchObject({ min: null, max: null });
  });
});

describe('colour scale', () => {
  it('is diverging around zero when the values cross it, symmetric', () => {
    const s = colourScale(-2, 8);
    expect(s).toMatchObject({ kind: 'diverging', low: -8, high: 8 });
    expect(s.colour(0)).toBe('rgb(58, 64, 76)');
    expect(s.colour(8)).toBe('rgb(52, 199, 123)');
    expect(s.colour(-8)).toBe('rgb(240, 96, 106)');
    expect(s.colour(Infinity)).toBe(s.colour(8));
    expect(s.colour(-Infinity)).toBe(s.colour(-8));
  });

  it('is sequential otherwise, and copes with a single value', () => {
    const s = colourScale(1, 3);
    expect(s.kind).toBe('sequential');
    expect(s.colour(1)).toBe('rgb(68, 1, 84)');
    expect(s.colour(2)).toBe('rgb(33, 145, 140)');
    expect(s.colour(3)).toBe('rgb(253, 231, 37)');
    expect(s.colour(1.5)).toBe('rgb(59, 82, 139)');
    expect(s.colour(99)).toBe(s.colour(3));
    expect(colourScale(5, 5).colour(5)).toBe('rgb(253, 231, 37)');
    expect(colourScale(null, null).kind).toBe('sequential');
  });

  it('gives legend stops from low to high and readable text colours', () => {
    const stops = legendStops(colourScale(0, 10), 3);
    expect(stops.map((s) => [s.value, s.offset])).toEqual([
      [0, 0],
      [5, 0.5],
      [10, 1],
    ]);
    expect(stops[1]!.colour).toBe('rgb(33, 145, 140)');
    expect(textOn('rgb(253, 231, 37)')).toBe('#0e1014');
    expect(textOn('rgb(68, 1, 84)')).toBe('#e4e7ec');
  });
});

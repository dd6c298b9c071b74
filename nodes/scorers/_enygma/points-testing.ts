/**
 * Test helpers for the ENYGMA points nodes (imported by their *.test.ts only): fire a node over
 * rows, the bounded-and-mirrored property, and the real-data range check.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import type { AnyNodeDefinition } from '../../../engine/core/node-definition.ts';
import { columnsOf, loadEmbedded } from '../../_kit/reference-data.ts';
import { paramsOf, runNode, type Columns } from '../../_kit/run-node.ts';
import { runRows, type Row } from '../../signals/_shared/testing.ts';
import { clampPoints, type IndicatorSignal } from './indicator-signal.ts';

export interface Fired {
  points: number;
  detail: IndicatorSignal;
}

/** Every firing's outputs, the node run from fresh state over `rows`. */
export function fire(def: AnyNodeDefinition, params: Record<string, unknown>, rows: readonly Row[]): Fired[] {
  return runRows(def, paramsOf(def, params), rows) as unknown as Fired[];
}

/** The outputs of the last firing over `rows`. */
export function last(def: AnyNodeDefinition, params: Record<string, unknown>, rows: readonly Row[]): Fired {
  return fire(def, params, rows).at(-1)!;
}

/**
 * Values on a grid (exact in float64, so mirrored inputs compare exactly): half on a coarse grid
 * of `coarse` steps, which hits thresholds and ties (touches, equal previous values) often, half
 * on a quarter grid; NaN now and then. `coarse` must be exact in float64 (a multiple of 1/4).
 */
export function grid(min: number, max: number, coarse = (max - min) / 20): fc.Arbitrary<number> {
  const fine = fc.integer({ min: min * 4, max: max * 4 }).map((n) => n / 4);
  const rough = fc.integer({ min: Math.ceil(min / coarse), max: Math.floor(max / coarse) }).map((n) => n * coarse);
  return fc.oneof({ weight: 10, arbitrary: rough }, { weight: 9, arbitrary: fine }, { weight: 1, arbitrary: fc.constant(NaN) });
}

/** Parameters the property varies: weight and the cap factor (the points stay the spec's). */
const capParams = fc.record({ weight: fc.integer({ min: 0, max: 40 }), maxScoreFactor: fc.constantFrom(0.5, 1, 2, 2.5) });

/**
 * The property every points node keeps: |points| ≤ maxScore, points = clamp(raw), detail agrees
 * with the series output, inactive means 0 and no conditions; and, where a mirror of the inputs
 * is defined, the mirrored run scores exactly the negated points.
 */
export function checkBoundedAndMirrored<R extends Row>(def: AnyNodeDefinition, rowsArb: fc.Arbitrary<R[]>, mirror: ((row: R) => R) | null, params: Record<string, unknown> = {}): void {
  fc.assert(
    fc.property(rowsArb, capParams, (rows, cap) => {
      const given = { ...params, ...cap };
      const fired = fire(def, given, rows);
      for (const { points, detail } of fired) {
        expect(Math.abs(points)).toBeLessThanOrEqual(detail.maxScore);
        expect(detail.maxScore).toBe(cap.weight * cap.maxScoreFactor);
        expect(detail.points).toBe(points);
        expect(points).toBe(clampPoints(detail.raw, detail.maxScore) + 0);
        if (!detail.active) expect([points, detail.raw, detail.conditions.length]).toEqual([0, 0, 0]);
      }
      if (mirror === null) return;
      const mirrored = fire(def, given, rows.map(mirror));
      expect(mirrored.map((f) => f.points)).toEqual(fired.map((f) => -f.points + 0));
      expect(mirrored.map((f) => f.detail.raw)).toEqual(fired.map((f) => -f.detail.raw + 0));
    }),
  );
}

/** Runs the node over real indicator columns: points stay within ±maxScore and take both signs. */
export function checkRealData(def: AnyNodeDefinition, inputs: Columns, params: Record<string, unknown> = {}): { positive: number; negative: number } {
  const parsed = paramsOf(def, params) as { weight: number; maxScoreFactor: number };
  const maxScore = parsed.weight * parsed.maxScoreFactor;
  const points = runNode(def, parsed, inputs).points!;
  let positive = 0;
  let negative = 0;
  for (const p of points) {
    expect(Math.abs(p)).toBeLessThanOrEqual(maxScore);
    if (p > 0) positive++;
    if (p < 0) negative++;
  }
  expect(positive, 'bars with positive points').toBeGreaterThan(0);
  expect(negative, 'bars with negative points').toBeGreaterThan(0);
  return { positive, negative };
}

/** A stored column as a plain array (what the contract test and runNode take). */
export const plain = (column: ArrayLike<number> | undefined): number[] => Array.from(column!);

/** The first 5000 bars of the embedded ETH 5m candles: the real-data input of the points tests. */
export function eth5000() {
  return columnsOf(loadEmbedded('eth-5m'), 5000);
}

/**
 * What the ENYGMA sub-signal "points" nodes share (enygma.md §2–3, research §2.3): the common
 * params, the two output ports, the cross tests and the one place a firing is published. Every
 * number a rule uses is a param of its node, so a fork can change it in YAML.
 */
import { z } from 'zod';
import { clampPoints, type IndicatorSignal } from './indicator-signal.ts';

/** enabled / weight / maxScoreFactor: the params every points node starts with. */
export function pointsParams(weight: number, maxScoreFactor = 2) {
  return {
    enabled: z.boolean().default(true).describe('false: points 0 and the indicator counts as inactive'),
    weight: z.number().min(0).default(weight).describe('indicator weight; maxScore = maxScoreFactor × weight'),
    maxScoreFactor: z.number().min(0).default(maxScoreFactor).describe('matched points add up, then clamp to ±maxScoreFactor × weight'),
  };
}

/** A point value: a magnitude, added for the bullish condition and subtracted for its mirror. */
export const pointValue = (points: number, what: string) => z.number().min(0).default(points).describe(what);

/** A threshold on the indicator's own scale. */
export const level = (value: number, what: string) => z.number().default(value).describe(what);

export interface PointsParams {
  enabled: boolean;
  weight: number;
  maxScoreFactor: number;
}

export interface PointsOutputs {
  points: number;
  detail: IndicatorSignal;
}

export const POINTS_OUTPUTS = {
  points: { type: 'series', help: 'matched sub-signal points added up, clamped to ±maxScore; 0 when inactive' },
  detail: { type: 'record', help: 'IndicatorSignal: value, raw and clamped points, maxScore, matched conditions' },
} as const;

/** "(+20)" / "(-20)": the points a condition label carries. */
export function signed(points: number): string {
  return points < 0 ? `(-${-points})` : `(+${points})`;
}

/** A label for a bullish condition and its bearish mirror, e.g. ["K below 20 (+10)", "K above 80 (-10)"]. */
export function labelPair(bull: string, bear: string, points: number): [string, string] {
  return [`${bull} ${signed(points)}`, `${bear} ${signed(-points)}`];
}

/** a rose through b since the previous firing; false when any of the four is NaN. */
export function crossedAbove(prevA: number, prevB: number, a: number, b: number): boolean {
  return prevA <= prevB && a > b;
}

/** a fell through b since the previous firing (the mirror of crossedAbove). */
export function crossedBelow(prevA: number, prevB: number, a: number, b: number): boolean {
  return prevA >= prevB && a < b;
}

/** When `hit`: records the label and returns the points to add; otherwise 0. */
export function score(hit: boolean, points: number, label: string, conditions: string[]): number {
  if (!hit) return 0;
  conditions.push(label);
  return points;
}

export function isNum(x: number | null | undefined): x is number {
  return typeof x === 'number' && Number.isFinite(x);
}

/**
 * Writes one firing. A new detail object every time (downstream may hold the previous one);
 * `conditions` must be the array built for this firing. Not active → points 0, raw 0, no
 * conditions. `+ 0` turns a −0 (a clamp to ±0 when weight is 0) into 0.
 */
export function publish(o: PointsOutputs, indicator: string, p: PointsParams, active: boolean, value: number, raw: number, conditions: string[]): void {
  const maxScore = p.maxScoreFactor * p.weight;
  const sum = active ? raw + 0 : 0;
  const points = active ? clampPoints(sum, maxScore) + 0 : 0;
  o.points = points;
  o.detail = {
    indicator,
    enabled: p.enabled,
    active,
    value: isNum(value) ? value : null,
    raw: sum,
    points,
    maxScore,
    conditions: active ? conditions : [],
  };
}

import { BarflowError } from '../core/errors.ts';
import type { ParamOverride } from '../pipeline/overrides.ts';
import { Rng } from './rng.ts';
import { MAX_GRID, type SweepParam } from './spec.ts';

/**
 * A parameter set is a point of the sweep's grid: one index per swept param into that param's
 * values. Its canonical order — the last tie-break of the ranking — is lexicographic on these
 * indices, i.e. the order of the grid itself.
 */
export type Point = readonly number[];

export function pointKey(point: Point): string {
  return point.join(',');
}

export function comparePoints(a: Point, b: Point): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

/** The `--set` overrides that make a point. */
export function overridesOf(params: readonly SweepParam[], point: Point): ParamOverride[] {
  return params.map((p, i) => {
    const v = p.values[point[i]!]!;
    return { node: p.node, param: p.param, value: v.value, text: `${p.name}=${v.text}` };
  });
}

export function gridSize(params: readonly SweepParam[]): number {
  return params.reduce((n, p) => n * p.values.length, 1);
}

/** Every point, in canonical order (the last param varies fastest); refused above MAX_GRID. */
export function gridPoints(params: readonly SweepParam[]): Point[] {
  const total = gridSize(params);
  if (total > MAX_GRID) {
    throw new BarflowError(
      'sweep.grid-too-large',
      `the grid has ${total.toLocaleString('en-US')} parameter sets (${params.map((p) => `${p.name}: ${p.values.length}`).join(' × ')}), above the limit of ${MAX_GRID.toLocaleString('en-US')}: ` +
        'narrow the ranges or coarsen the steps, or search it with --method random --samples N or --method genetic',
      { field: '--param' },
      total,
    );
  }
  const sizes = params.map((p) => p.values.length);
  const points: Point[] = [];
  const current = sizes.map(() => 0);
  for (let n = 0; n < total; n++) {
    points.push([...current]);
    for (let i = sizes.length - 1; i >= 0; i--) {
      if (++current[i]! < sizes[i]!) break;
      current[i] = 0;
    }
  }
  return points;
}

/**
 * `samples` distinct points drawn uniformly from the grid (without enumerating it unless the
 * sample covers much of it), in the order drawn. All of them, shuffled, when `samples` ≥ the grid.
 */
export function randomPoints(params: readonly SweepParam[], samples: number, seed: number): Point[] {
  const sizes = params.map((p) => p.values.length);
  const total = gridSize(params);
  const rng = new Rng(seed);
  if (samples * 2 >= total && total <= MAX_GRID) {
    const all = gridPoints(params);
    const n = Math.min(samples, total);
    for (let i = 0; i < n; i++) {
      const j = i + rng.int(total - i);
      [all[i], all[j]] = [all[j]!, all[i]!];
    }
    return all.slice(0, n);
  }
  if (samples > MAX_GRID) throw new BarflowError('sweep.samples', `--samples ${samples} is above the limit of ${MAX_GRID.toLocaleString('en-US')}`, { field: '--samples' }, samples);
  const seen = new Set<string>();
  const points: Point[] = [];
  while (points.length < samples) {
    const p = sizes.map((s) => rng.int(s));
    const key = pointKey(p);
    if (seen.has(key)) continue;
    seen.add(key);
    points.push(p);
  }
  return points;
}

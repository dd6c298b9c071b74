import { describe, expect, it } from 'vitest';
import { DEFAULTS, type GeneticOptions } from './spec.ts';
import { geneticSearch } from './genetic.ts';
import { pointKey, type Point } from './methods.ts';

const options = (o: Partial<GeneticOptions> = {}, seed = 1) => ({ ...DEFAULTS.genetic, ...o, seed });

/** a toy objective with one peak at (13, 4, 7) on a 25 × 10 × 12 grid: higher is better */
const sizes = [25, 10, 12];
const toy = (p: Point) => -((p[0]! - 13) ** 2) - 2 * (p[1]! - 4) ** 2 - Math.abs(p[2]! - 7) * 3;
const better = (a: number, b: number) => b - a;

async function run(seed: number, o: Partial<GeneticOptions> = {}) {
  const batches: Point[][] = [];
  const result = await geneticSearch(sizes, options(o, seed), async (points) => {
    batches.push(points);
    return points.map(toy);
  }, better);
  return { result, batches };
}

describe('genetic search', () => {
  it('is deterministic for a seed: same sets, same order', async () => {
    const a = await run(11);
    const b = await run(11);
    expect(b.result.evaluated.map((e) => pointKey(e.point))).toEqual(a.result.evaluated.map((e) => pointKey(e.point)));
    expect(b.batches).toEqual(a.batches);
  });

  it('differs for different seeds', async () => {
    const a = await run(1);
    const b = await run(2);
    expect(b.result.evaluated.map((e) => pointKey(e.point))).not.toEqual(a.result.evaluated.map((e) => pointKey(e.point)));
  });

  it('evaluates each distinct set once, in batches of at most a population', async () => {
    const { result, batches } = await run(3, { population: 16, generations: 12 });
    const keys = batches.flat().map(pointKey);
    expect(new Set(keys).size).toBe(keys.length);
    expect(result.evaluated).toHaveLength(keys.length);
    for (const batch of batches) expect(batch.length).toBeLessThanOrEqual(16);
    expect(keys.length).toBeLessThanOrEqual(16 * 12);
    for (const e of result.evaluated) expect(e.score).toBe(toy(e.point));
  });

  it('finds the optimum of a toy objective on a small grid (3000 sets, a fraction evaluated)', async () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const { result } = await run(seed, { population: 24, generations: 25 });
      const best = result.evaluated.reduce((a, b) => (b.score > a.score ? b : a));
      expect(best.point, `seed ${seed}`).toEqual([13, 4, 7]);
      expect(result.evaluated.length).toBeLessThan(3000 / 3);
    }
  });

  it('stops once the whole grid is evaluated', async () => {
    const seen: string[] = [];
    const result = await geneticSearch([3, 2], options({ population: 4, generations: 50 }), async (points) => {
      seen.push(...points.map(pointKey));
      return points.map((p) => p[0]! + p[1]!);
    }, better);
    expect(new Set(seen).size).toBe(6);
    expect(result.evaluated).toHaveLength(6);
    expect(result.generations).toBeLessThan(50);
  });
});

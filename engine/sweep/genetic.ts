/**
 * Genetic search over a sweep's grid (docs/how-to/sweeps.md).
 *
 * A genome is a grid point: one index per swept param into that param's values, so every child
 * is a valid, reproducible parameter set and ranges keep their order (mutation can step to a
 * neighbouring value). The algorithm, all of it driven by one seeded generator (rng.ts):
 *
 * 1. **Initial population**: `population` distinct points drawn uniformly from the grid (the
 *    whole grid if it is smaller).
 * 2. **Evaluation**: each distinct point is evaluated once; a point met again (an elite carried
 *    over, a child equal to an earlier set) reuses the cached result. Each generation's new points
 *    are evaluated together, as one batch (so they run in parallel and share signal work).
 * 3. **Ranking**: by the objective, ties broken by net PnL and then by the grid's canonical order
 *    (objective.ts) — a total order, so selection never depends on evaluation order.
 * 4. **Elitism**: the best `elitism` members pass unchanged into the next generation.
 * 5. **Selection**: tournament — `tournament` members drawn with replacement, the best-ranked wins;
 *    two tournaments give two parents.
 * 6. **Crossover**: with probability `crossoverRate`, uniform crossover (each gene from either
 *    parent with equal chance); otherwise a copy of the first parent.
 * 7. **Mutation**: each gene, with probability `mutationRate` (default 1 / number of params),
 *    either steps one value up or down (half the time; reflected at the ends) or jumps to a
 *    uniformly drawn other value.
 * 8. A child equal to a member already in the next generation is mutated again (up to 20 tries)
 *    so that the population stays distinct; a generation is full at `population` members or when
 *    no new distinct child can be found.
 * 9. Stop after `generations` generations (the initial population is generation 1), or as soon
 *    as every point of the grid has been evaluated.
 *
 * Same seed, same grid, same results → same sets in the same order. The result is every distinct
 * set evaluated, in the order first evaluated.
 */
import { Rng } from './rng.ts';
import { comparePoints, pointKey, type Point } from './methods.ts';
import type { GeneticOptions } from './spec.ts';

export interface GeneticResult<T> {
  /** every distinct point evaluated, in the order first evaluated */
  evaluated: { point: Point; score: T }[];
  generations: number;
}

/**
 * `evaluate` scores a batch of new points (same order); `compare(a, b)` < 0 when `a` is better
 * (it must be a total order — objective.ts's compareRows is).
 */
export async function geneticSearch<T>(sizes: readonly number[], options: GeneticOptions & { seed: number }, evaluate: (points: Point[]) => Promise<T[]>, compare: (a: T, b: T) => number): Promise<GeneticResult<T>> {
  const rng = new Rng(options.seed);
  const total = sizes.reduce((n, s) => n * s, 1);
  const genes = sizes.length;
  const mutationRate = options.mutationRate ?? 1 / Math.max(1, genes);
  const cache = new Map<string, { point: Point; score: T }>();
  const evaluated: { point: Point; score: T }[] = [];

  const score = async (points: Point[]) => {
    const fresh: Point[] = [];
    const queued = new Set<string>();
    for (const p of points) {
      const key = pointKey(p);
      if (!cache.has(key) && !queued.has(key)) {
        queued.add(key);
        fresh.push(p);
      }
    }
    if (fresh.length > 0) {
      const scores = await evaluate(fresh);
      fresh.forEach((point, i) => {
        const entry = { point, score: scores[i]! };
        cache.set(pointKey(point), entry);
        evaluated.push(entry);
      });
    }
    return points.map((p) => cache.get(pointKey(p))!);
  };
  const rank = (members: { point: Point; score: T }[]) => [...members].sort((a, b) => compare(a.score, b.score) || comparePoints(a.point, b.point));

  // 1. initial population: distinct uniform draws
  const size = Math.min(options.population, total);
  const first: Point[] = [];
  const firstKeys = new Set<string>();
  while (first.length < size) {
    const p = sizes.map((s) => rng.int(s));
    const key = pointKey(p);
    if (firstKeys.has(key)) continue;
    firstKeys.add(key);
    first.push(p);
  }
  let population = rank(await score(first));
  let generation = 1;

  const tournament = () => {
    let best = rng.int(population.length);
    for (let i = 1; i < options.tournament; i++) best = Math.min(best, rng.int(population.length));
    return population[best]!.point;
  };
  const mutate = (child: number[], rate: number) => {
    for (let g = 0; g < genes; g++) {
      const n = sizes[g]!;
      if (n < 2 || rng.next() >= rate) continue;
      if (rng.next() < 0.5) {
        const up = rng.next() < 0.5;
        child[g] = up ? (child[g]! + 1 < n ? child[g]! + 1 : child[g]! - 1) : child[g]! > 0 ? child[g]! - 1 : child[g]! + 1;
      } else {
        const other = rng.int(n - 1);
        child[g] = other >= child[g]! ? other + 1 : other;
      }
    }
  };

  while (generation < options.generations && cache.size < total) {
    const next: Point[] = population.slice(0, Math.min(options.elitism, population.length)).map((m) => m.point);
    const keys = new Set(next.map(pointKey));
    let stalled = 0;
    while (next.length < size && stalled < size * 20) {
      const a = tournament();
      const b = tournament();
      const child = rng.next() < options.crossoverRate ? a.map((g, i) => (rng.next() < 0.5 ? g : b[i]!)) : [...a];
      mutate(child, mutationRate);
      let tries = 0;
      while (keys.has(pointKey(child)) && tries < 20) {
        mutate(child, Math.max(mutationRate, 1 / Math.max(1, genes)));
        tries++;
      }
      const key = pointKey(child);
      if (keys.has(key)) {
        stalled++;
        continue;
      }
      keys.add(key);
      next.push(child);
    }
    population = rank(await score(next));
    generation++;
  }
  return { evaluated, generations: generation };
}

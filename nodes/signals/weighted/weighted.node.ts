import { z } from 'zod';
import { defineNode } from '../../../engine/core/node-definition.ts';

const params = z
  .object({
    weights: z.array(z.number().min(0).max(1)).min(1).describe('one weight per wired score, each in [0, 1], summing to at most 1'),
    temperatureLevels: z
      .tuple([z.number(), z.number(), z.number()])
      .default([0.25, 0.5, 0.75])
      .describe('[cool, warm, hot]: |score| thresholds for the temperature label'),
  })
  .superRefine((p, ctx) => {
    let sum = 0;
    for (const w of p.weights) sum += w;
    // the slack absorbs rounding: 0.2 + 0.4 + 0.3 + 0.1 sums to 1.0000000000000002
    if (sum > 1 + 1e-12) ctx.addIssue({ code: 'custom', path: ['weights'], message: `weights must sum to at most 1, got ${sum}` });
    const [cool, warm, hot] = p.temperatureLevels;
    if (!(0 < cool && cool < warm && warm < hot && hot <= 1)) {
      ctx.addIssue({ code: 'custom', path: ['temperatureLevels'], message: `temperatureLevels must be strictly increasing within (0, 1], got [${cool}, ${warm}, ${hot}]` });
    }
  });

interface WeightedOutputs {
  score: number;
  temperature: string;
}

/**
 * Weighted sum of scores in −1..+1. With weights summing to at most 1 the result stays in −1..+1,
 * so the temperature thresholds mean the same whatever the number of scores.
 */
export const weighted = defineNode({
  type: 'signal.weighted',
  version: 1,
  title: 'Weighted score',
  category: 'signal',
  summary: 'Weighted sum of scores (each −1..+1) with a temperature label: frozen, cool, warm or hot.',
  params,
  inputs: { scores: { type: 'series', many: true, help: 'scores in −1..+1, e.g. from signal.scale or signal.vote' } },
  outputs: {
    score: { type: 'series', help: 'Σ weightᵢ · scoreᵢ; NaN while any score has no value' },
    temperature: { type: 'text', help: "'frozen' | 'cool' | 'warm' | 'hot' by |score|; '' while score is NaN" },
  },
  warmup: () => 0,
  check(p: z.output<typeof params>, connections) {
    const wired = connections['scores'] ?? 0;
    if (p.weights.length !== wired) {
      return `weights has ${p.weights.length} ${p.weights.length === 1 ? 'entry' : 'entries'} but ${wired} ${wired === 1 ? 'score is' : 'scores are'} wired; give one weight per score, in the same order`;
    }
    return undefined;
  },
  init: () => ({}),
  step(_s: object, i: { scores: readonly number[] }, o: WeightedOutputs, p: z.output<typeof params>) {
    const w = p.weights;
    const scores = i.scores;
    let sum = 0;
    // a missing score (fewer wired than weights) reads as NaN, like one still warming up
    for (let k = 0; k < w.length; k++) sum += w[k]! * (scores[k] ?? NaN);
    o.score = sum;
    const level = sum < 0 ? -sum : sum;
    const t = p.temperatureLevels;
    o.temperature = sum !== sum ? '' : level < t[0] ? 'frozen' : level < t[1] ? 'cool' : level < t[2] ? 'warm' : 'hot';
    return true;
  },
});

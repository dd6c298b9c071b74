import { z } from 'zod';

const points = (d: number, what: string) => z.number().positive().max(10_000).default(d).describe(what);
const penalty = (d: number, what: string) => z.number().min(0).max(1).default(d).describe(what);
const cut = (d: number) => z.number().positive().max(10_000).default(d);

/** Params of enygma.scorer: every number of enygma.md §3.2, §3.4 and §3.6, so a fork can change it. */
export const scorerParams = z
  .object({
    indicatorCap: points(200, 'Σ of the directional indicators is clamped to ± this'),
    microCap: points(20, 'Σ of the microstructure signals (DOM) is clamped to ± this'),
    totalCap: points(220, 'indicator + micro, and again after the ATR modifier, is clamped to ± this'),
    microIndicators: z.array(z.string().min(1)).default(['dom']).describe('indicator keys that count as microstructure (capped by microCap)'),
    classes: z
      .object({ extreme: cut(130), strong: cut(95), plain: cut(65), weak: cut(40) })
      .default({ extreme: 130, strong: 95, plain: 65, weak: 40 })
      .describe('lower-inclusive classification cut-points, mirrored for sells'),
    confidenceBase: z.number().min(0).max(1).default(1).describe('confidence before penalties'),
    chopPenalty: penalty(0.05, 'penalty when the regime is LOW and |total| < chopScore'),
    chopScore: points(80, '|total| below which a LOW regime counts as chop'),
    atrPctHigh: points(6, 'ATR% above which atrPctHighPenalty applies'),
    atrPctHighPenalty: penalty(0.06, 'penalty for ATR% > atrPctHigh (replaces the elevated one)'),
    atrPctElevated: points(4, 'ATR% above which atrPctElevatedPenalty applies (up to atrPctHigh)'),
    atrPctElevatedPenalty: penalty(0.03, 'penalty for atrPctElevated < ATR% ≤ atrPctHigh'),
    conflictPenalty: penalty(0.02, 'penalty per conflict: × min(#bullish, #bearish)'),
    weakScore: points(60, '|total| below which weakScorePenalty applies'),
    weakScorePenalty: penalty(0.1, 'penalty for a weak total'),
    lowConfluencePct: z.number().min(0).max(100).default(60).describe('confluence % below which lowConfluencePenalty applies'),
    lowConfluencePenalty: penalty(0.05, 'penalty for low confluence'),
  })
  .superRefine((p, ctx) => {
    const c = p.classes;
    if (!(c.weak < c.plain && c.plain < c.strong && c.strong < c.extreme)) {
      ctx.addIssue({ code: 'custom', path: ['classes'], message: `classes must rise: weak < plain < strong < extreme, got ${c.weak}, ${c.plain}, ${c.strong}, ${c.extreme}` });
    }
    if (!(p.atrPctElevated < p.atrPctHigh)) {
      ctx.addIssue({ code: 'custom', path: ['atrPctElevated'], message: `atrPctElevated must be below atrPctHigh, got ${p.atrPctElevated} and ${p.atrPctHigh}` });
    }
  });

export type ScorerParams = z.output<typeof scorerParams>;

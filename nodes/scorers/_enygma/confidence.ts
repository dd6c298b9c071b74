import type { Regime } from './indicator-signal.ts';

/** The confidence penalties of enygma.md §3.6 (research §3.8), every number a param. */
export interface ConfidenceParams {
  confidenceBase: number;
  chopPenalty: number;
  chopScore: number;
  atrPctHigh: number;
  atrPctHighPenalty: number;
  atrPctElevated: number;
  atrPctElevatedPenalty: number;
  conflictPenalty: number;
  weakScore: number;
  weakScorePenalty: number;
  lowConfluencePct: number;
  lowConfluencePenalty: number;
}

export interface Penalty {
  name: 'chop' | 'volatility' | 'conflict' | 'weakScore' | 'lowConfluence';
  amount: number;
  reason: string;
}

export interface ConfidenceInputs {
  total: number;
  regime: Regime | '';
  atrPct: number;
  bullish: number;
  bearish: number;
  confluencePct: number;
}

/** The penalties that apply (amount > 0), in the order the spec lists them. */
export function confidencePenalties(x: ConfidenceInputs, p: ConfidenceParams): Penalty[] {
  const out: Penalty[] = [];
  const size = Math.abs(x.total);
  if (x.regime === 'LOW' && size < p.chopScore) out.push({ name: 'chop', amount: p.chopPenalty, reason: `LOW volatility and |total| ${size} < ${p.chopScore}` });
  // the two ATR% tiers are not cumulative: the higher one replaces the lower
  if (x.atrPct > p.atrPctHigh) out.push({ name: 'volatility', amount: p.atrPctHighPenalty, reason: `ATR% ${round(x.atrPct)} > ${p.atrPctHigh}` });
  else if (x.atrPct > p.atrPctElevated) out.push({ name: 'volatility', amount: p.atrPctElevatedPenalty, reason: `ATR% ${round(x.atrPct)} > ${p.atrPctElevated}` });
  const conflicts = Math.min(x.bullish, x.bearish);
  if (conflicts > 0) out.push({ name: 'conflict', amount: p.conflictPenalty * conflicts, reason: `${x.bullish} bullish vs ${x.bearish} bearish: ${conflicts} × ${p.conflictPenalty}` });
  if (size < p.weakScore) out.push({ name: 'weakScore', amount: p.weakScorePenalty, reason: `|total| ${size} < ${p.weakScore}` });
  if (x.confluencePct < p.lowConfluencePct) out.push({ name: 'lowConfluence', amount: p.lowConfluencePenalty, reason: `confluence ${round(x.confluencePct)}% < ${p.lowConfluencePct}%` });
  return out.filter((q) => q.amount > 0);
}

/**
 * base − Σ penalties, clamped to [0, 1]. Rounded to 12 decimals because the penalties are decimal
 * fractions that float64 cannot hold: 1 − 0.05 − 0.05 would be 0.8999999999999999 and fail a
 * "≥ 0.90" gate that the spec's arithmetic passes.
 */
export function confidenceOf(penalties: readonly Penalty[], base: number): number {
  let sum = 0;
  for (const q of penalties) sum += q.amount;
  const c = Math.round((base - sum) * 1e12) / 1e12;
  return c < 0 ? 0 : c > 1 ? 1 : c;
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

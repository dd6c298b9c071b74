/** Score classes of an ENYGMA total (enygma.md §3.4), strongest buy first. */
export type ScoreClass =
  | 'EXTREME_BUY'
  | 'STRONG_BUY'
  | 'BUY'
  | 'BUY_WEAK'
  | 'NEUTRAL'
  | 'SELL_WEAK'
  | 'SELL'
  | 'STRONG_SELL'
  | 'EXTREME_SELL';

/** Positive cut-points, mirrored for sells: 0 < weak < plain < strong < extreme. */
export interface ClassCuts {
  extreme: number;
  strong: number;
  plain: number;
  weak: number;
}

/**
 * Lower-inclusive cut-points, mirrored: ≥ 130 EXTREME_BUY … ≥ 40 BUY_WEAK, > −40 NEUTRAL,
 * > −65 SELL_WEAK … ≤ −130 EXTREME_SELL. Every real number has exactly one class (research §3.6's
 * integer ranges leave 39.5 in a gap), and the sign decides the side: the TS port's bug of
 * classifying |score| (negative scores as BUY) is not copied. NaN → ''.
 */
export function classifyScore(total: number, c: ClassCuts): ScoreClass | '' {
  if (total !== total) return '';
  if (total >= c.weak) {
    if (total >= c.extreme) return 'EXTREME_BUY';
    if (total >= c.strong) return 'STRONG_BUY';
    return total >= c.plain ? 'BUY' : 'BUY_WEAK';
  }
  if (total > -c.weak) return 'NEUTRAL';
  if (total > -c.plain) return 'SELL_WEAK';
  if (total > -c.strong) return 'SELL';
  return total > -c.extreme ? 'STRONG_SELL' : 'EXTREME_SELL';
}

import type { Side } from '../../../engine/core/trading.ts';

/**
 * ENYGMA's protective-stop candidates for an open position (enygma.md §5), as pure price maths in
 * float64 (signal land; the venue turns the chosen price into decimal). ROI(P) = side × (P − E)/E ×
 * lev × 100, and the price at ROI r is E × (1 + side × r/lev/100).
 */
export interface StopRules {
  stopLossRoi: number;
  /** the literal S1 fee term: the initial stop sits at (stopLossRoi − 2 × stopFeeTerm) ROI */
  stopFeeTerm: number;
  hardLimitRoi: number;
  breakEvenActivationRoi: number;
  breakEvenBufferRoi: number;
  profitLocks: readonly { reached: number; lock: number }[];
  trailingActivationRoi: number;
  trailingRoi: number;
}

export interface StopCandidate {
  price: number;
  reason: string;
}

export function priceAtRoi(entry: number, side: Side, leverage: number, roi: number): number {
  return entry * (1 + (side * roi) / leverage / 100);
}

export function roiAt(entry: number, side: Side, leverage: number, price: number): number {
  return ((side * (price - entry)) / entry) * leverage * 100;
}

/** Initial stop (literal S1) bounded by the hard limit: long E × (1 − (6 − 2×0.06)/lev/100) = 99.02 at E 100, 6x. */
export function initialStop(entry: number, side: Side, leverage: number, r: StopRules): StopCandidate {
  const initial = priceAtRoi(entry, side, leverage, -(r.stopLossRoi - 2 * r.stopFeeTerm));
  const hard = priceAtRoi(entry, side, leverage, -r.hardLimitRoi);
  return better(side, { price: initial, reason: 'stop' }, { price: hard, reason: 'hard limit' });
}

/**
 * The candidates due at a bar close, given the best ROI reached at a close so far: break-even
 * (activation max(1.0, 2×fee×lev×100 + buffer); price E × (1 + side × (2×fee + buffer/lev/100))),
 * the highest profit lock reached, and the trailing stop P × (1 − side × trail/lev/100).
 */
export function dueCandidates(entry: number, side: Side, leverage: number, close: number, maxRoi: number, takerFee: number, r: StopRules): StopCandidate[] {
  const out: StopCandidate[] = [];
  const breakEvenAt = Math.max(r.breakEvenActivationRoi, 2 * takerFee * leverage * 100 + r.breakEvenBufferRoi);
  if (maxRoi >= breakEvenAt) {
    out.push({ price: entry * (1 + side * (2 * takerFee + r.breakEvenBufferRoi / leverage / 100)), reason: 'break-even' });
  }
  let lock: { reached: number; lock: number } | undefined;
  for (const l of r.profitLocks) if (maxRoi >= l.reached && (lock === undefined || l.lock > lock.lock)) lock = l;
  if (lock !== undefined) out.push({ price: priceAtRoi(entry, side, leverage, lock.lock), reason: `lock ${lock.lock} ROI` });
  if (maxRoi >= r.trailingActivationRoi) out.push({ price: close * (1 - (side * r.trailingRoi) / leverage / 100), reason: 'trail' });
  return out;
}

/** The better stop for the position: higher for a long, lower for a short. */
export function better(side: Side, a: StopCandidate, b: StopCandidate): StopCandidate {
  return side * (b.price - a.price) > 0 ? b : a;
}

/**
 * The next stop: the best of the current stop and every due candidate that sits on the protective
 * side of the close (a candidate at or through the market is deferred, research A5). Never worse
 * than the current stop: a stop only moves in the position's favour.
 */
export function nextStop(side: Side, current: StopCandidate, close: number, candidates: readonly StopCandidate[]): StopCandidate {
  let best = current;
  for (const c of candidates) {
    if (side * (close - c.price) <= 0) continue;
    best = better(side, best, c);
  }
  return best;
}

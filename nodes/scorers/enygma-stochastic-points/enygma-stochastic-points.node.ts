import { kdZoneNode } from '../_enygma/kd-zone.ts';

/** The Stochastic's points (research §2.3): cross in zone ±18, in zone ±10; weight 20 (S2) → maxScore 40. */
export const enygmaStochasticPoints = kdZoneNode({
  type: 'enygma.stochastic-points',
  indicator: 'stochastic',
  title: 'ENYGMA Stochastic points',
  of: 'Stochastic',
  weight: 20,
  crossInZone: 18,
  inZone: 10,
});

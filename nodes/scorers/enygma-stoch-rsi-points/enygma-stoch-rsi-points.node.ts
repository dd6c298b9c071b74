import { kdZoneNode } from '../_enygma/kd-zone.ts';

/** StochRSI's points (research §2.3): cross in zone ±20, in zone ±10; weight 20 → maxScore 40. */
export const enygmaStochRsiPoints = kdZoneNode({
  type: 'enygma.stoch-rsi-points',
  indicator: 'stochRsi',
  title: 'ENYGMA StochRSI points',
  of: 'StochRSI',
  weight: 20,
  crossInZone: 20,
  inZone: 10,
});

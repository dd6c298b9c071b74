import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeNodeContract } from '../../_kit/contract.ts';
import { paramsOf, runNode } from '../../_kit/run-node.ts';
import { bollinger } from '../../indicators/bollinger/bollinger.node.ts';
import { checkBoundedAndMirrored, checkRealData, eth5000, grid, last, plain } from '../_enygma/points-testing.ts';
import { enygmaBollingerPoints } from './enygma-bollinger-points.node.ts';

type Row = { close: number; upper: number; middle: number; lower: number; percentB: number };
/** closes against fixed bands 90 / 100 / 110, %B from the close */
const rows = (...closes: number[]): Row[] => closes.map((close) => ({ close, upper: 110, middle: 100, lower: 90, percentB: (close - 90) / 20 }));
/** the mirror image: prices negated, so the bands swap and %B → 1 − %B */
const mirror = (r: Row): Row => ({ close: -r.close, upper: -r.lower, middle: -r.middle, lower: -r.upper, percentB: 1 - r.percentB });
const at = (r: Row[], params: Record<string, unknown> = {}) => last(enygmaBollingerPoints, params, r);
const WALK_LOW = 'walking lower band (%B < 0.2) (-5)';

describe('enygma.bollinger-points', () => {
  it('below the lower band: +10, less the lower-band walk (-5) it also is: +5', () => {
    expect(at(rows(88))).toMatchObject({
      points: 5,
      detail: { indicator: 'bollinger', value: -0.1, raw: 5, maxScore: 40, conditions: ['close below lower band (+10)', WALK_LOW] },
    });
  });

  it('a bounce below the lower band (close up) adds +20: 10 + 20 - 5 = 25', () => {
    expect(at(rows(86, 88)).detail.conditions).toEqual(['close below lower band (+10)', 'bounce below lower band (close up) (+20)', WALK_LOW]);
    expect(at(rows(86, 88)).points).toBe(25);
    expect([at(rows(88, 86)).points, at(rows(88, 88)).points]).toEqual([5, 5]);
  });

  it('walking the upper band (close > middle, %B > 0.8): +5', () => {
    expect(at(rows(108))).toMatchObject({ points: 5, detail: { conditions: ['walking upper band (%B > 0.8) (+5)'] } });
    expect(at(rows(105)).points).toBe(0);
  });

  it('mirrors above the upper band: -10 + 5 (walk) = -5; a rejection: -25', () => {
    expect(at(rows(112))).toMatchObject({ points: -5, detail: { conditions: ['walking upper band (%B > 0.8) (+5)', 'close above upper band (-10)'] } });
    expect(at(rows(114, 112)).points).toBe(-25);
    expect(at(rows(86, 88).map(mirror)).points).toBe(-25);
  });

  it('edges are strict: on a band is not outside, %B = 0.8 / 0.2 is no walk', () => {
    expect(at(rows(90)).detail.conditions).toEqual([WALK_LOW]);
    expect(at(rows(110)).detail.conditions).toEqual(['walking upper band (%B > 0.8) (+5)']);
    const withB = (close: number, percentB: number) => [{ close, upper: 110, middle: 100, lower: 90, percentB }];
    expect([at(withB(106, 0.8)).points, at(withB(94, 0.2)).points, at(withB(100, 0.9)).points]).toEqual([0, 0, 0]);
  });

  it('is inactive while an input is NaN, and reads no bounce across a NaN close', () => {
    expect(at([{ ...rows(88)[0]!, percentB: NaN }])).toMatchObject({ points: 0, detail: { active: false, value: null, conditions: [] } });
    expect(at([...rows(86), { ...rows(87)[0]!, close: NaN }, ...rows(88)]).points).toBe(5);
  });

  it('disabled: 0 and inactive; weight sets maxScore; every number is a param', () => {
    expect(at(rows(86, 88), { enabled: false })).toMatchObject({ points: 0, detail: { enabled: false, active: false, raw: 0 } });
    expect(at(rows(86, 88), { weight: 10 }).detail).toMatchObject({ raw: 25, points: 20, maxScore: 20 });
    expect(at(rows(86, 88), { outside: 1, reversal: 2, walk: 3 }).points).toBe(0);
    expect(at(rows(105), { walkUpper: 0.7 }).points).toBe(5);
    expect(at(rows(95), { walkLower: 0.3 }).points).toBe(-5);
  });

  it('property: |points| ≤ maxScore, and the mirror image negates the points', () => {
    const price = grid(80, 120, 2);
    // half with %B from the bands (a power-of-two width keeps it exact), half free
    const width = fc.constantFrom(1, 2, 4, 8, 16);
    const consistent = fc.tuple(price, price, width).map(([close, middle, w]) => ({ close, upper: middle + w, middle, lower: middle - w, percentB: (close - middle + w) / (2 * w) }));
    // %B on quarters: 1 − 0.8 is not 0.2 in float64, so the walk levels themselves do not mirror exactly
    const free = fc.record({ close: price, upper: price, middle: price, lower: price, percentB: grid(-1, 2, 0.25) });
    checkBoundedAndMirrored(enygmaBollingerPoints, fc.array(fc.oneof(consistent, free), { minLength: 1, maxLength: 30 }), mirror);
  });

  const eth = eth5000();
  const bands = runNode(bollinger, paramsOf(bollinger, { period: 20, stdDev: 2 }), { source: eth.close });
  const inputs = { close: eth.close, upper: plain(bands.upper), middle: plain(bands.middle), lower: plain(bands.lower), percentB: plain(bands.percentB) };

  it('on real Bollinger(20, 2) of ETH 5m: within ±40, both signs', () => {
    checkRealData(enygmaBollingerPoints, inputs);
  });

  const first = (n: number) => Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, v.slice(0, n)]));
  describeNodeContract(enygmaBollingerPoints, paramsOf(enygmaBollingerPoints), first(300));
});

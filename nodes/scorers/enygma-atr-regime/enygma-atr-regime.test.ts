import { describe, expect, it } from 'vitest';
import { describeNodeContract } from '../../_kit/contract.ts';
import { columnsOf, loadEmbedded } from '../../_kit/reference-data.ts';
import { paramsOf, runNode } from '../../_kit/run-node.ts';
import { atr } from '../../indicators/atr/atr.node.ts';
import { compileErrors, runRows, type Row } from '../../signals/_shared/testing.ts';
import { resample } from '../../transforms/resample/resample.node.ts';
import { nextRegime } from '../_enygma/regime-hysteresis.ts';
import { enygmaAtrRegime } from './enygma-atr-regime.node.ts';

const CLOSE = 100; // with close 100, ATR% = the ATR value (up to rounding)
const run = (atrValues: readonly number[], params: Record<string, unknown> = {}): Row[] =>
  runRows(enygmaAtrRegime, paramsOf(enygmaAtrRegime, params), atrValues.map((a) => ({ atr: a, close: CLOSE })));

/**
 * ATR values whose percentile (lookback 100) after a 99-bar warm-up is exactly each target: the new
 * value is placed between the sorted previous 99 so that exactly target − 1 of them are ≤ it.
 */
function seriesForPercentiles(targets: readonly number[]): number[] {
  const values = Array.from({ length: 99 }, (_, k) => 1000 + k);
  for (const target of targets) {
    const prev = values.slice(-99).sort((a, b) => a - b);
    const below = target - 1; // previous values that must be ≤ the new one
    values.push(below === 0 ? prev[0]! - 1 : below === 99 ? prev[98]! + 1 : (prev[below - 1]! + prev[below]!) / 2);
  }
  return values;
}
const regimesFor = (targets: readonly number[], params: Record<string, unknown> = {}) => {
  const rows = run(seriesForPercentiles(targets), params).slice(99);
  expect(rows.map((r) => r['percentile'])).toEqual(targets);
  return rows.map((r) => r['regime']);
};

describe('enygma.atr-regime', () => {
  it('defaults to the ENYGMA v5.2.6 numbers', () => {
    expect(paramsOf(enygmaAtrRegime)).toEqual({
      lookback: 100,
      lowPercentile: 25,
      highPercentile: 75,
      hysteresis: 3,
      scoreModifier: { LOW: 15, MEDIUM: 5, HIGH: -15 },
      sizeMultiplier: { LOW: 1.5, MEDIUM: 1, HIGH: 0.5 },
      leverageCap: { LOW: 20, MEDIUM: 15, HIGH: 10 },
    });
    expect((paramsOf(enygmaAtrRegime, { scoreModifier: { HIGH: -20 } }) as Record<string, unknown>)['scoreModifier']).toEqual({ LOW: 15, MEDIUM: 5, HIGH: -20 });
  });

  it('rejects a low percentile not below the high one, and a window of 1', () => {
    expect(enygmaAtrRegime.params.safeParse({ lowPercentile: 75 }).success).toBe(false);
    expect(enygmaAtrRegime.params.safeParse({ lowPercentile: 80, highPercentile: 20 }).success).toBe(false);
    expect(enygmaAtrRegime.params.safeParse({ lookback: 1 }).success).toBe(false);
    expect(enygmaAtrRegime.params.safeParse({ leverageCap: { LOW: 0 } }).success).toBe(false);
  });

  it('computes ATR% = ATR / close × 100 from the first finite ATR', () => {
    const rows = runRows(enygmaAtrRegime, paramsOf(enygmaAtrRegime), [{ atr: NaN, close: 2000 }, { atr: 30, close: 2000 }, { atr: 2, close: 0 }]);
    expect(rows.map((r) => r['atrPct'])).toEqual([NaN, 1.5, NaN]);
  });

  it('ranks the current value as 100 × (values ≤ current) / lookback, ties included', () => {
    // windows: [3 1 2 2] → 3 of 4 ≤ 2; [1 2 2 1.5] → 2 of 4 ≤ 1.5; [2 2 1.5 2] → all 4 ≤ 2 (ties count)
    const rows = run([3, 1, 2, 2, 1.5, 2], { lookback: 4 });
    expect(rows.map((r) => r['percentile'])).toEqual([NaN, NaN, NaN, 75, 50, 100]);
    // the lowest value ranks 1/lookback, never 0
    expect(run([5, 4, 3, 2, 1], { lookback: 4 }).map((r) => r['percentile'])).toEqual([NaN, NaN, NaN, 25, 25]);
  });

  it('warms up after lookback − 1 finite ATRs; a NaN ATR is not consumed', () => {
    const values = seriesForPercentiles([50]);
    const plain = run(values);
    expect(plain.slice(0, 99).every((r) => Number.isNaN(r['percentile']) && r['regime'] === '' && Number.isNaN(r['scoreModifier']))).toBe(true);
    expect(plain[99]).toMatchObject({ percentile: 50, regime: 'MEDIUM', scoreModifier: 5, sizeMultiplier: 1, leverageCap: 15 });
    expect(enygmaAtrRegime.warmup(paramsOf(enygmaAtrRegime) as never)).toMatchObject({ atrPct: 0, percentile: 99, scoreModifier: 99 });

    const gapped = run([NaN, ...values.slice(0, 50), NaN, ...values.slice(50)]);
    expect(gapped[51]).toEqual({ atrPct: NaN, percentile: NaN, regime: '', scoreModifier: NaN, sizeMultiplier: NaN, leverageCap: NaN });
    expect(gapped[101]).toEqual(plain[99]);
  });

  it('classifies the first valid bar without hysteresis: LOW < 25 ≤ MEDIUM ≤ 75 < HIGH', () => {
    expect(regimesFor([24])).toEqual(['LOW']);
    expect(regimesFor([25])).toEqual(['MEDIUM']);
    expect(regimesFor([75])).toEqual(['MEDIUM']);
    expect(regimesFor([76])).toEqual(['HIGH']);
  });

  it('enters LOW below 25 and leaves it only at 28 (25 + hysteresis 3)', () => {
    expect(regimesFor([50, 25, 24, 25, 27, 28, 27, 25, 24])).toEqual(['MEDIUM', 'MEDIUM', 'LOW', 'LOW', 'LOW', 'MEDIUM', 'MEDIUM', 'MEDIUM', 'LOW']);
  });

  it('enters HIGH above 75 and leaves it only at 72 (75 − hysteresis 3)', () => {
    expect(regimesFor([50, 75, 76, 75, 73, 72, 73, 75, 76])).toEqual(['MEDIUM', 'MEDIUM', 'HIGH', 'HIGH', 'HIGH', 'MEDIUM', 'MEDIUM', 'MEDIUM', 'HIGH']);
  });

  it('jumps LOW → HIGH above 75 and HIGH → LOW below 25 without passing MEDIUM', () => {
    expect(regimesFor([10, 76, 24, 90])).toEqual(['LOW', 'HIGH', 'LOW', 'HIGH']);
  });

  it('worked example of the help: 50, 24, 27, 28, 76, 73, 72, 20', () => {
    expect(regimesFor([50, 24, 27, 28, 76, 73, 72, 20])).toEqual(['MEDIUM', 'LOW', 'LOW', 'MEDIUM', 'HIGH', 'HIGH', 'MEDIUM', 'LOW']);
  });

  it('hysteresis 0 switches at the plain cut-points', () => {
    expect(regimesFor([24, 25, 76, 75], { hysteresis: 0 })).toEqual(['LOW', 'MEDIUM', 'HIGH', 'MEDIUM']);
  });

  it('keeps the hysteresis rule exact for fractional percentiles', () => {
    const b = { lowPercentile: 25, highPercentile: 75, hysteresis: 3 };
    expect(nextRegime('LOW', 27.999, b)).toBe('LOW');
    expect(nextRegime('LOW', 28, b)).toBe('MEDIUM');
    expect(nextRegime('HIGH', 72.001, b)).toBe('HIGH');
    expect(nextRegime('HIGH', 72, b)).toBe('MEDIUM');
    expect(nextRegime('MEDIUM', 24.999, b)).toBe('LOW');
    expect(nextRegime('MEDIUM', 75.001, b)).toBe('HIGH');
    expect(nextRegime('', 27, b)).toBe('MEDIUM');
  });

  it('compiles from YAML with partial tables, and refuses ATR and close from different timeframes', () => {
    const defs = [resample, atr, enygmaAtrRegime];
    const head = `tf30: { type: transform.resample, params: { timeframe: 30min }, in: { bar: candles.bar } }
atr30: { type: indicator.atr, params: { smoothing: sma }, in: { high: tf30.high, low: tf30.low, close: tf30.close } }`;
    expect(compileErrors(defs, `${head}\nregime: { type: enygma.atr-regime, params: { scoreModifier: { HIGH: -20 } }, in: { atr: atr30.value, close: tf30.close } }`)).toEqual([]);
    const mixed = compileErrors(defs, `${head}\nregime: { type: enygma.atr-regime, in: { atr: atr30.value, close: candles.close } }`);
    expect(mixed.map((e) => e.code)).toEqual(['clock.mixed']);
    const bad = compileErrors(defs, `${head}\nregime: { type: enygma.atr-regime, params: { lowPercentile: 80 }, in: { atr: atr30.value, close: tf30.close } }`);
    expect(bad.map((e) => e.code)).toEqual(['param.invalid']);
  });

  it("publishes the regime's table values, defaults and overrides", () => {
    const rows = run(seriesForPercentiles([10, 50, 90]), { sizeMultiplier: { LOW: 2 }, leverageCap: { HIGH: 5 } }).slice(99);
    expect(rows.map((r) => [r['regime'], r['scoreModifier'], r['sizeMultiplier'], r['leverageCap']])).toEqual([
      ['LOW', 15, 2, 20],
      ['MEDIUM', 5, 1, 15],
      ['HIGH', -15, 0.5, 5],
    ]);
  });
});

// the contract on a real ATR series (eth-5m, SMA-smoothed ATR 14), from its first value
const eth = columnsOf(loadEmbedded('eth-5m'), 3000);
const ethAtr = runNode(atr, paramsOf(atr, { period: 14, smoothing: 'sma' }), eth).value!;
const first = ethAtr.findIndex((v) => Number.isFinite(v));
describeNodeContract(enygmaAtrRegime, paramsOf(enygmaAtrRegime), { atr: Array.from(ethAtr.subarray(first)), close: eth.close.slice(first) });

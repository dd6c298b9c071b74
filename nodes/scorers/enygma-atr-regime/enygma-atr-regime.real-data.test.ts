import { describe, expect, it } from 'vitest';
import type { AnyNodeDefinition } from '../../../engine/core/node-definition.ts';
import type { Bar } from '../../../engine/core/trading.ts';
import { loadEmbedded } from '../../_kit/reference-data.ts';
import { bareContext, paramsOf, runNode } from '../../_kit/run-node.ts';
import { atr } from '../../indicators/atr/atr.node.ts';
import { runRows } from '../../signals/_shared/testing.ts';
import { resample as resampleNode } from '../../transforms/resample/resample.node.ts';
import { enygmaAtrRegime } from './enygma-atr-regime.node.ts';

const resample: AnyNodeDefinition = resampleNode;

/** eth-5m resampled to 30min with the pipeline's own resample node (closed bars only). */
function thirtyMinute(): { high: number[]; low: number[]; close: number[] } {
  const s = loadEmbedded('eth-5m');
  const params = paramsOf(resample, { timeframe: '30min' });
  const state = resample.init(params);
  const out: Record<string, unknown> = {};
  const cols = { high: [] as number[], low: [] as number[], close: [] as number[] };
  for (let i = 0; i < s.length; i++) {
    const bar: Bar = { time: s.time[i]!, open: s.open[i]!, high: s.high[i]!, low: s.low[i]!, close: s.close[i]!, volume: s.volume[i]!, interval: s.intervalMs, complete: true };
    if (!resample.step(state, { bar }, out, params, bareContext())) continue;
    const b = out['bar'] as Bar;
    cols.high.push(b.high);
    cols.low.push(b.low);
    cols.close.push(b.close);
  }
  return cols;
}

const bars = thirtyMinute();
const atr30 = Array.from(runNode(atr, paramsOf(atr, { period: 14, smoothing: 'sma' }), bars).value!);
const regimes = (hysteresis: number) =>
  runRows(enygmaAtrRegime, paramsOf(enygmaAtrRegime, { hysteresis }), atr30.map((a, k) => ({ atr: a, close: bars.close[k]! })));
const changes = (labels: readonly unknown[]) => labels.filter((r, k) => k > 0 && r !== '' && labels[k - 1] !== '' && r !== labels[k - 1]).length;

describe('enygma.atr-regime on real 30min ETH data', () => {
  const withH = regimes(3);
  const without = regimes(0);

  it('matches a brute-force percentile of ATR% over the last 100 bars', () => {
    const pct = atr30.map((a, k) => (a / bars.close[k]!) * 100);
    let compared = 0;
    for (let k = 0; k < pct.length; k++) {
      const window = pct.slice(Math.max(0, k - 99), k + 1).filter((v) => Number.isFinite(v));
      const expected = Number.isFinite(pct[k]) && window.length === 100 ? (100 * window.filter((v) => v <= pct[k]!).length) / 100 : NaN;
      expect(withH[k]!['percentile'], `bar ${k}`).toEqual(expected);
      if (Number.isFinite(expected)) compared++;
    }
    expect(compared).toBeGreaterThan(1000);
  });

  it('visits all three regimes, and changes regime less often with hysteresis than without', () => {
    const labels = withH.map((r) => r['regime']);
    const plain = without.map((r) => r['regime']);
    for (const regime of ['LOW', 'MEDIUM', 'HIGH']) expect(labels, regime).toContain(regime);
    const [h, p] = [changes(labels), changes(plain)];
    expect(h).toBeGreaterThan(0);
    expect(h).toBeLessThan(p);
    // they differ only where hysteresis holds LOW in [25, 28) or HIGH in (72, 75] while the plain run says MEDIUM
    let held = 0;
    labels.forEach((r, k) => {
      if (r === plain[k]) return;
      const q = withH[k]!['percentile'] as number;
      expect(plain[k]).toBe('MEDIUM');
      expect(r).toBe(labels[k - 1]);
      expect((r === 'LOW' && q >= 25 && q < 28) || (r === 'HIGH' && q > 72 && q <= 75), `bar ${k}: ${r} at ${q}`).toBe(true);
      held++;
    });
    expect(held).toBeGreaterThan(0);
  });
});

import { describe, it } from 'vitest';
import type { AnyNodeDefinition } from '../../engine/core/node-definition.ts';
import { batchCases, expectBatchMatchesStep } from '../_kit/contract.ts';
import { loadEmbedded } from '../_kit/reference-data.ts';
import { paramsOf } from '../_kit/run-node.ts';
import { adx } from './adx/adx.node.ts';
import { ao } from './ao/ao.node.ts';
import { atr } from './atr/atr.node.ts';
import { bollinger } from './bollinger/bollinger.node.ts';
import { cci } from './cci/cci.node.ts';
import { cmf } from './cmf/cmf.node.ts';
import { ema } from './ema/ema.node.ts';
import { kdj } from './kdj/kdj.node.ts';
import { macd } from './macd/macd.node.ts';
import { obv } from './obv/obv.node.ts';
import { rsi } from './rsi/rsi.node.ts';
import { sma } from './sma/sma.node.ts';
import { stochRsi } from './stoch-rsi/stoch-rsi.node.ts';
import { stochastic } from './stochastic/stochastic.node.ts';
import { williamsR } from './williams-r/williams-r.node.ts';

/**
 * Every indicator's batch kernel ≡ its step loop (Object.is per value) beyond the one parameter set
 * each node's contract uses: edge periods (1, 2), long ones, the other ATR smoothing, on the
 * embedded ETH 5m series (with NaN runs and a flat stretch injected, see batchCases) and on BTC 4h.
 */
const PARAMS: [AnyNodeDefinition, Record<string, unknown>[]][] = [
  [sma, [{ period: 1 }, { period: 2 }, { period: 50 }, { period: 500 }]],
  [ema, [{ period: 1 }, { period: 2 }, { period: 26 }, { period: 200 }]],
  [rsi, [{ period: 2 }, { period: 7 }, { period: 30 }]],
  [stochRsi, [{ rsiPeriod: 2, stochPeriod: 2, kPeriod: 1, dPeriod: 1 }, { rsiPeriod: 21, stochPeriod: 9, kPeriod: 5, dPeriod: 4 }]],
  [stochastic, [{ kPeriod: 1, smoothK: 1, dPeriod: 1 }, { kPeriod: 5, smoothK: 2, dPeriod: 4 }, { kPeriod: 50, smoothK: 5, dPeriod: 5 }]],
  [williamsR, [{ period: 2 }, { period: 60 }]],
  [ao, [{ fast: 1, slow: 2 }, { fast: 3, slow: 10 }, { fast: 20, slow: 100 }]],
  [macd, [{ fast: 2, slow: 3, signal: 1 }, { fast: 5, slow: 35, signal: 5 }]],
  [bollinger, [{ period: 2, stdDev: 1 }, { period: 50, stdDev: 2.5 }, { period: 300, stdDev: 3 }]],
  [atr, [{ period: 1 }, { period: 1, smoothing: 'sma' }, { period: 20 }, { period: 20, smoothing: 'sma' }, { period: 100 }]],
  [kdj, [{ period: 1, kSmoothing: 1, dSmoothing: 1 }, { period: 14, kSmoothing: 5, dSmoothing: 2 }]],
  [obv, [{}]],
  [cmf, [{ period: 1 }, { period: 5 }, { period: 60 }]],
  [cci, [{ period: 2 }, { period: 14 }, { period: 100 }]],
  [adx, [{ period: 2 }, { period: 7 }, { period: 30 }]],
];

describe('indicator batch kernels ≡ step loops', () => {
  const btc4h = loadEmbedded('btc-4h');
  const btcColumns = { open: btc4h.open, high: btc4h.high, low: btc4h.low, close: btc4h.close, volume: btc4h.volume };
  for (const [def, sets] of PARAMS) {
    for (const given of sets) {
      it(`${def.type} ${JSON.stringify(given)}`, () => {
        const params = paramsOf(def, given);
        const inputs = Object.fromEntries(Object.keys(def.inputs).map((p) => [p, p === 'source' ? btcColumns.close : btcColumns[p as keyof typeof btcColumns]]));
        for (const [label, columns] of batchCases(def, inputs)) expectBatchMatchesStep(def, params, columns, label.replace('given inputs', 'BTC 4h'));
      });
    }
  }
});

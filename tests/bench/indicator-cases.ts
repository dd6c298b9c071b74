import { IndicatorsSync } from '@ixjb94/indicators';
import * as TI from 'technicalindicators';
import * as TS from 'trading-signals';
import { adx } from '../../nodes/indicators/adx/adx.node.ts';
import { ao } from '../../nodes/indicators/ao/ao.node.ts';
import { atr } from '../../nodes/indicators/atr/atr.node.ts';
import { bollinger } from '../../nodes/indicators/bollinger/bollinger.node.ts';
import { cci } from '../../nodes/indicators/cci/cci.node.ts';
import { cmf } from '../../nodes/indicators/cmf/cmf.node.ts';
import { ema } from '../../nodes/indicators/ema/ema.node.ts';
import { kdj } from '../../nodes/indicators/kdj/kdj.node.ts';
import { macd } from '../../nodes/indicators/macd/macd.node.ts';
import { obv } from '../../nodes/indicators/obv/obv.node.ts';
import { rsi } from '../../nodes/indicators/rsi/rsi.node.ts';
import { sma } from '../../nodes/indicators/sma/sma.node.ts';
import { stochRsi } from '../../nodes/indicators/stoch-rsi/stoch-rsi.node.ts';
import { stochastic } from '../../nodes/indicators/stochastic/stochastic.node.ts';
import { williamsR } from '../../nodes/indicators/williams-r/williams-r.node.ts';
import { sumOf, type Pass } from './indicator-cases/bench-data.ts';
import { oursPasses } from './indicator-cases/ours.ts';
import { tiHlc, tiPass, tsPass, type Peer } from './indicator-cases/peers.ts';

export { benchData, type BenchData, type Pass } from './indicator-cases/bench-data.ts';
export { PEERS, PEER_MODE, PEER_VERSION, type Peer } from './indicator-cases/peers.ts';

/**
 * The indicator benchmark's cases: for each indicator node, one full streaming pass over the data
 * by our node (state from init, one reused inputs object and out object, one step per bar), one
 * call of its CPU batch kernel over the typed columns (what the batch executor runs; the like for
 * like peer of @ixjb94's batch functions), and one pass by each peer library that has the
 * indicator, with the same parameters (our defaults). Every pass
 * returns a checksum (the sum of its primary output, skipping warm-up gaps) so that no engine can
 * drop the work as dead code; the checksums are printed.
 *
 * Our passes are in indicator-cases/ours.ts, the peers' streaming loops in indicator-cases/peers.ts.
 * Each case is measured in its own process (indicators-child.ts), so every loop sees one
 * indicator class only and its call sites stay monomorphic, as they would in a real run.
 */

/** 'ours': the node's step, streaming; 'ours batch': its CPU batch kernel over the whole columns */
export type Impl = 'ours' | 'ours batch' | Peer;

export interface IndicatorCase {
  id: string;
  node: string;
  /** our params (the node's defaults), as printed */
  params: Record<string, unknown>;
  /** which of our outputs the checksum sums */
  primary: string;
  ours: Pass;
  /** the node's CPU batch kernel (engine's batch executor path): one call over the typed columns */
  oursBatch: Pass;
  peers: Partial<Record<Peer, Pass>>;
  /** where a peer's convention or work differs from ours */
  notes: string[];
}

const ix = new IndicatorsSync();

export const CASES: readonly IndicatorCase[] = [
  {
    id: 'sma',
    params: { period: 20 },
    ...oursPasses(sma, { period: 20 }, 'source', 'value'),
    peers: {
      'trading-signals': tsPass('closes', () => new TS.SMA(20)),
      technicalindicators: tiPass('closes', () => new TI.SMA({ period: 20, values: [] })),
      '@ixjb94/indicators': (d) => sumOf(ix.sma(d.closes, 20)),
    },
    notes: [],
  },
  {
    id: 'ema',
    params: { period: 20 },
    ...oursPasses(ema, { period: 20 }, 'source', 'value'),
    peers: {
      // answers from the first value on (the library reports isStable only from the 20th)
      'trading-signals': tsPass('closes', () => new TS.EMA(20)),
      technicalindicators: tiPass('closes', () => new TI.EMA({ period: 20, values: [] })),
      '@ixjb94/indicators': (d) => sumOf(ix.ema(d.closes, 20)),
    },
    notes: ['ema: trading-signals and @ixjb94 seed with the first value, ours (TA-Lib) and technicalindicators with the SMA of the first 20'],
  },
  {
    id: 'rsi',
    params: { period: 14 },
    ...oursPasses(rsi, { period: 14 }, 'source', 'value'),
    peers: {
      'trading-signals': tsPass('closes', () => new TS.RSI(14)),
      technicalindicators: tiPass('closes', () => new TI.RSI({ period: 14, values: [] })),
      '@ixjb94/indicators': (d) => sumOf(ix.rsi(d.closes, 14)),
    },
    notes: [],
  },
  {
    id: 'stoch-rsi',
    params: { rsiPeriod: 14, stochPeriod: 14, kPeriod: 3, dPeriod: 3 },
    ...oursPasses(stochRsi, {}, 'source', 'k'),
    peers: {
      // one period for the RSI and its window; k and d are SMA(3)s kept inside, add() answers the raw value
      'trading-signals': tsPass('closes', () => new TS.StochasticRSI(14)),
      technicalindicators: tiPass(
        'closes',
        () => new TI.StochasticRSI({ values: [], rsiPeriod: 14, stochasticPeriod: 14, kPeriod: 3, dPeriod: 3 }),
        (r: { k: number }) => r.k,
      ),
      '@ixjb94/indicators': (d) => sumOf(ix.stochrsi(d.closes, 14)),
    },
    notes: [
      'stoch-rsi: trading-signals returns the raw 0..1 value (k, d smoothed inside); @ixjb94 computes the raw value only (no k/d smoothing: less work)',
    ],
  },
  {
    id: 'stochastic',
    params: { kPeriod: 14, smoothK: 3, dPeriod: 3 },
    ...oursPasses(stochastic, {}, 'hlc', 'k'),
    peers: {
      'trading-signals': tsPass('candles', () => new TS.StochasticOscillator({ kPeriod: 14, kSlowingPeriod: 3, dPeriod: 3 }), (r) => r.stochK),
      technicalindicators: tiPass('candles', () => new TI.Stochastic({ period: 14, signalPeriod: 3, ...tiHlc() }), (r: { k: number }) => r.k),
      '@ixjb94/indicators': (d) => sumOf(ix.stoch(d.highs, d.lows, d.closes, 14, 3, 3)[0]!),
    },
    notes: ['stochastic: technicalindicators is the fast stochastic (no %K smoothing: less work)'],
  },
  {
    id: 'williams-r',
    params: { period: 14 },
    ...oursPasses(williamsR, {}, 'hlc', 'value'),
    peers: {
      'trading-signals': tsPass('candles', () => new TS.WilliamsR(14)),
      technicalindicators: tiPass('candles', () => new TI.WilliamsR({ period: 14, ...tiHlc() })),
      '@ixjb94/indicators': (d) => sumOf(ix.willr(d.highs, d.lows, d.closes, 14)),
    },
    notes: [],
  },
  {
    id: 'ao',
    params: { fast: 5, slow: 34 },
    ...oursPasses(ao, {}, 'hl', 'value'),
    peers: {
      'trading-signals': tsPass('candles', () => new TS.AO(5, 34)),
      technicalindicators: tiPass('candles', () => new TI.AwesomeOscillator({ high: [], low: [], fastPeriod: 5, slowPeriod: 34 })),
      '@ixjb94/indicators': (d) => sumOf(ix.ao(d.highs, d.lows)),
    },
    notes: [],
  },
  {
    id: 'macd',
    params: { fast: 12, slow: 26, signal: 9 },
    ...oursPasses(macd, {}, 'source', 'macd'),
    peers: {
      'trading-signals': tsPass('closes', () => new TS.MACD(new TS.EMA(12), new TS.EMA(26), new TS.EMA(9)), (r) => r.macd),
      technicalindicators: tiPass(
        'closes',
        () => new TI.MACD({ values: [], fastPeriod: 12, slowPeriod: 26, signalPeriod: 9, SimpleMAOscillator: false, SimpleMASignal: false }),
        (r: { MACD?: number }) => r.MACD ?? NaN,
      ),
      '@ixjb94/indicators': (d) => sumOf(ix.macd(d.closes, 12, 26, 9)[0]!),
    },
    notes: ['macd: trading-signals and @ixjb94 seed the EMAs with the first value; technicalindicators with SMAs that both start at bar 0 (TA-Lib and ours align the fast seed to bar slow−1)'],
  },
  {
    id: 'bollinger',
    params: { period: 20, stdDev: 2 },
    ...oursPasses(bollinger, {}, 'source', 'middle'),
    peers: {
      'trading-signals': tsPass('closes', () => new TS.BollingerBands(20, 2), (r) => r.middle),
      technicalindicators: tiPass('closes', () => new TI.BollingerBands({ period: 20, stdDev: 2, values: [] }), (r: { middle: number }) => r.middle),
      '@ixjb94/indicators': (d) => sumOf(ix.bbands(d.closes, 20, 2)[1]!),
    },
    notes: ['bollinger: ours also outputs %B and bandwidth; the peers give the three bands only'],
  },
  {
    id: 'atr (wilder)',
    params: { period: 14, smoothing: 'wilder' },
    ...oursPasses(atr, { smoothing: 'wilder' }, 'hlc', 'value'),
    peers: {
      'trading-signals': tsPass('candles', () => new TS.ATR(14)),
      technicalindicators: tiPass('candles', () => new TI.ATR({ period: 14, ...tiHlc() })),
      '@ixjb94/indicators': (d) => sumOf(ix.atr(d.highs, d.lows, d.closes, 14)),
    },
    notes: [],
  },
  {
    id: 'atr (sma)',
    params: { period: 14, smoothing: 'sma' },
    ...oursPasses(atr, { smoothing: 'sma' }, 'hlc', 'value'),
    peers: {
      'trading-signals': tsPass('candles', () => new TS.ATR(14, TS.SMA)),
    },
    notes: [],
  },
  {
    id: 'kdj',
    params: { period: 9, kSmoothing: 3, dSmoothing: 3 },
    ...oursPasses(kdj, {}, 'hlc', 'k'),
    peers: {},
    notes: ["kdj: no peer has it (trading-signals' StochasticOscillator J is 3K − 2D of SMA-smoothed lines, i.e. indicator.stochastic's work)"],
  },
  {
    id: 'obv',
    params: {},
    ...oursPasses(obv, {}, 'cv', 'value'),
    peers: {
      // the interval only sizes the candle buffer; 2 keeps the previous candle, which is all OBV needs
      'trading-signals': tsPass('candles', () => new TS.OBV(2)),
      technicalindicators: tiPass('candles', () => new TI.OBV({ close: [], volume: [] })),
      '@ixjb94/indicators': (d) => sumOf(ix.obv(d.closes, d.volumes)),
    },
    notes: ['obv: ours starts the total at the first volume (TA-Lib); the peers start at 0'],
  },
  {
    id: 'cmf',
    params: { period: 20 },
    ...oursPasses(cmf, {}, 'hlcv', 'value'),
    peers: {
      'trading-signals': tsPass('candles', () => new TS.CMF(20)),
      '@ixjb94/indicators': (d) => sumOf(ix.cmf(d.highs, d.lows, d.closes, d.volumes, 20)),
    },
    notes: [],
  },
  {
    id: 'cci',
    params: { period: 20 },
    ...oursPasses(cci, {}, 'hlc', 'value'),
    peers: {
      'trading-signals': tsPass('candles', () => new TS.CCI(20)),
      technicalindicators: tiPass('candles', () => new TI.CCI({ period: 20, ...tiHlc() })),
      '@ixjb94/indicators': (d) => sumOf(ix.cci(d.highs, d.lows, d.closes, 20)),
    },
    notes: [],
  },
  {
    id: 'adx',
    params: { period: 14 },
    ...oursPasses(adx, {}, 'hlc', 'adx'),
    peers: {
      'trading-signals': tsPass('candles', () => new TS.ADX(14)),
      technicalindicators: tiPass('candles', () => new TI.ADX({ period: 14, ...tiHlc() }), (r: { adx: number }) => r.adx),
      '@ixjb94/indicators': (d) => sumOf(ix.adx(d.highs, d.lows, 14)),
    },
    notes: ['adx: @ixjb94 reads high and low only (no true range, no +DI/−DI outputs: less work)'],
  },
];

export function indicatorCase(id: string): IndicatorCase {
  const found = CASES.find((c) => c.id === id);
  if (found === undefined) throw new Error(`no indicator case "${id}" (have: ${CASES.map((c) => c.id).join(', ')})`);
  return found;
}

import { IndicatorsSync } from '@ixjb94/indicators';
import * as TI from 'technicalindicators';
import * as TS from 'trading-signals';
import type { AnyNodeDefinition } from '../../engine/core/node-definition.ts';
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
import { bareContext } from '../../nodes/_kit/run-node.ts';
import type { Columns } from './common.ts';

/**
 * The indicator benchmark's cases: for each indicator node, one full streaming pass over the data
 * by our node (state from init, one reused inputs object and out object, one step per bar), one
 * call of its CPU batch kernel over the typed columns (what the batch executor runs; the like for
 * like peer of @ixjb94's batch functions), and one pass by each peer library that has the
 * indicator, with the same parameters (our defaults). Every pass
 * returns a checksum (the sum of its primary output, skipping warm-up gaps) so that no engine can
 * drop the work as dead code; the checksums are printed.
 *
 * Each case is measured in its own process (indicators-child.ts), so every loop below sees one
 * indicator class only and its call sites stay monomorphic, as they would in a real run.
 */

export const PEERS = ['trading-signals', 'technicalindicators', '@ixjb94/indicators'] as const;
export type Peer = (typeof PEERS)[number];
/** 'ours': the node's step, streaming; 'ours batch': its CPU batch kernel over the whole columns */
export type Impl = 'ours' | 'ours batch' | Peer;

/** how a peer is driven: value by value, or one call over the whole series */
export const PEER_MODE: Record<Peer, 'streaming' | 'batch'> = {
  'trading-signals': 'streaming',
  technicalindicators: 'streaming',
  '@ixjb94/indicators': 'batch',
};

export const PEER_VERSION: Record<Peer, string> = {
  'trading-signals': '8.3',
  technicalindicators: '3.1',
  '@ixjb94/indicators': '1.2.4',
};

/** What the passes read: typed columns for our nodes, plain arrays for the batch library, candle objects for the streaming ones. */
export interface BenchData {
  length: number;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
  highs: number[];
  lows: number[];
  closes: number[];
  volumes: number[];
  /** one object per bar, built once, handed to the streaming libraries (they may keep them) */
  candles: { open: number; high: number; low: number; close: number; volume: number }[];
}

export function benchData(series: Columns): BenchData {
  const candles = [];
  for (let i = 0; i < series.length; i++) {
    candles.push({ open: series.open[i]!, high: series.high[i]!, low: series.low[i]!, close: series.close[i]!, volume: series.volume[i]! });
  }
  return {
    length: series.length,
    high: series.high,
    low: series.low,
    close: series.close,
    volume: series.volume,
    highs: Array.from(series.high),
    lows: Array.from(series.low),
    closes: Array.from(series.close),
    volumes: Array.from(series.volume),
    candles,
  };
}

export type Pass = (d: BenchData) => number;

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

// ── our nodes: one loop per input shape ────────────────────────────────────────────────────────

type Shape = 'source' | 'hl' | 'hlc' | 'cv' | 'hlcv';

/** The runner's initial outputs: series NaN, bool false, text '', others null. */
function initialOutputs(def: AnyNodeDefinition): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [port, spec] of Object.entries(def.outputs)) out[port] = spec.type === 'series' ? NaN : spec.type === 'bool' ? false : spec.type === 'text' ? '' : null;
  return out;
}

function ours(def: AnyNodeDefinition, given: Record<string, unknown>, shape: Shape, primary: string): Pass {
  const params = def.params.parse(given);
  const ctx = bareContext();
  switch (shape) {
    case 'source':
      return (d) => {
        const state = def.init(params);
        const inputs = { source: NaN };
        const out = initialOutputs(def);
        const x = d.close;
        let sum = 0;
        for (let i = 0; i < d.length; i++) {
          inputs.source = x[i]!;
          def.step(state, inputs, out, params, ctx);
          const v = out[primary] as number;
          if (v === v) sum += v;
        }
        return sum;
      };
    case 'hl':
      return (d) => {
        const state = def.init(params);
        const inputs = { high: NaN, low: NaN };
        const out = initialOutputs(def);
        const { high, low } = d;
        let sum = 0;
        for (let i = 0; i < d.length; i++) {
          inputs.high = high[i]!;
          inputs.low = low[i]!;
          def.step(state, inputs, out, params, ctx);
          const v = out[primary] as number;
          if (v === v) sum += v;
        }
        return sum;
      };
    case 'hlc':
      return (d) => {
        const state = def.init(params);
        const inputs = { high: NaN, low: NaN, close: NaN };
        const out = initialOutputs(def);
        const { high, low, close } = d;
        let sum = 0;
        for (let i = 0; i < d.length; i++) {
          inputs.high = high[i]!;
          inputs.low = low[i]!;
          inputs.close = close[i]!;
          def.step(state, inputs, out, params, ctx);
          const v = out[primary] as number;
          if (v === v) sum += v;
        }
        return sum;
      };
    case 'cv':
      return (d) => {
        const state = def.init(params);
        const inputs = { close: NaN, volume: NaN };
        const out = initialOutputs(def);
        const { close, volume } = d;
        let sum = 0;
        for (let i = 0; i < d.length; i++) {
          inputs.close = close[i]!;
          inputs.volume = volume[i]!;
          def.step(state, inputs, out, params, ctx);
          const v = out[primary] as number;
          if (v === v) sum += v;
        }
        return sum;
      };
    case 'hlcv':
      return (d) => {
        const state = def.init(params);
        const inputs = { high: NaN, low: NaN, close: NaN, volume: NaN };
        const out = initialOutputs(def);
        const { high, low, close, volume } = d;
        let sum = 0;
        for (let i = 0; i < d.length; i++) {
          inputs.high = high[i]!;
          inputs.low = low[i]!;
          inputs.close = close[i]!;
          inputs.volume = volume[i]!;
          def.step(state, inputs, out, params, ctx);
          const v = out[primary] as number;
          if (v === v) sum += v;
        }
        return sum;
      };
  }
}

/** Our batch kernel: one call over the typed columns, then the checksum of the primary output. */
function oursBatch(def: AnyNodeDefinition, given: Record<string, unknown>, primary: string): Pass {
  const params = def.params.parse(given);
  const kernel = def.batch;
  if (kernel === undefined) throw new Error(`${def.type} has no batch kernel`);
  const ports = Object.keys(def.inputs);
  return (d) => {
    const inputs: Record<string, Float64Array> = {};
    for (const p of ports) inputs[p] = p === 'source' ? d.close : (d as unknown as Record<string, Float64Array>)[p]!;
    const values = kernel(inputs, params)[primary]!;
    let sum = 0;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (v === v) sum += v;
    }
    return sum;
  };
}

// ── peers ──────────────────────────────────────────────────────────────────────────────────────

/** technicalindicators' declarations get several nextValue inputs wrong; this is what they take. */
interface TiStream<I, R> {
  nextValue(input: I): R | undefined;
}
type Hlc = { high: number; low: number; close: number };
function ti<I, R>(indicator: unknown): TiStream<I, R> {
  return indicator as TiStream<I, R>;
}
const tiHlc = () => ({ high: [] as number[], low: [] as number[], close: [] as number[] });

/** sum of a batch result, skipping the NaN the library may pad with */
function sumOf(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v === v) sum += v;
  }
  return sum;
}

const ix = new IndicatorsSync();

export const CASES: readonly IndicatorCase[] = [
  {
    id: 'sma',
    node: sma.type,
    params: { period: 20 },
    primary: 'value',
    ours: ours(sma, { period: 20 }, 'source', 'value'),
    oursBatch: oursBatch(sma, { period: 20 }, 'value'),
    peers: {
      'trading-signals': (d) => {
        const ind = new TS.SMA(20);
        let sum = 0;
        for (let i = 0; i < d.length; i++) {
          const r = ind.add(d.closes[i]!);
          if (r !== null) sum += r;
        }
        return sum;
      },
      technicalindicators: (d) => {
        const ind = ti<number, number>(new TI.SMA({ period: 20, values: [] }));
        let sum = 0;
        for (let i = 0; i < d.length; i++) {
          const r = ind.nextValue(d.closes[i]!);
          if (r !== undefined) sum += r;
        }
        return sum;
      },
      '@ixjb94/indicators': (d) => sumOf(ix.sma(d.closes, 20)),
    },
    notes: [],
  },
  {
    id: 'ema',
    node: ema.type,
    params: { period: 20 },
    primary: 'value',
    ours: ours(ema, { period: 20 }, 'source', 'value'),
    oursBatch: oursBatch(ema, { period: 20 }, 'value'),
    peers: {
      'trading-signals': (d) => {
        const ind = new TS.EMA(20);
        let sum = 0;
        for (let i = 0; i < d.length; i++) {
          // answers from the first value on (the library reports isStable only from the 20th)
          const r = ind.add(d.closes[i]!);
          if (r !== null) sum += r;
        }
        return sum;
      },
      technicalindicators: (d) => {
        const ind = ti<number, number>(new TI.EMA({ period: 20, values: [] }));
        let sum = 0;
        for (let i = 0; i < d.length; i++) {
          const r = ind.nextValue(d.closes[i]!);
          if (r !== undefined) sum += r;
        }
        return sum;
      },
      '@ixjb94/indicators': (d) => sumOf(ix.ema(d.closes, 20)),
    },
    notes: ['ema: trading-signals and @ixjb94 seed with the first value, ours (TA-Lib) and technicalindicators with the SMA of the first 20'],
  },
  {
    id: 'rsi',
    node: rsi.type,
    params: { period: 14 },
    primary: 'value',
    ours: ours(rsi, { period: 14 }, 'source', 'value'),
    oursBatch: oursBatch(rsi, { period: 14 }, 'value'),
    peers: {
      'trading-signals': (d) => {
        const ind = new TS.RSI(14);
        let sum = 0;
        for (let i = 0; i < d.length; i++) {
          const r = ind.add(d.closes[i]!);
          if (r !== null) sum += r;
        }
        return sum;
      },
      technicalindicators: (d) => {
        const ind = ti<number, number>(new TI.RSI({ period: 14, values: [] }));
        let sum = 0;
        for (let i = 0; i < d.length; i++) {
          const r = ind.nextValue(d.closes[i]!);
          if (r !== undefined) sum += r;
        }
        return sum;
      },
      '@ixjb94/indicators': (d) => sumOf(ix.rsi(d.closes, 14)),
    },
    notes: [],
  },
  {
    id: 'stoch-rsi',
    node: stochRsi.type,
    params: { rsiPeriod: 14, stochPeriod: 14, kPeriod: 3, dPeriod: 3 },
    primary: 'k',
    ours: ours(stochRsi, {}, 'source', 'k'),
    oursBatch: oursBatch(stochRsi, {}, 'k'),
    peers: {
      'trading-signals': (d) => {
        // one period for the RSI and its window; k and d are SMA(3)s kept inside, add() answers the raw value
        const ind = new TS.StochasticRSI(14);
        let sum = 0;
        for (let i = 0; i < d.length; i++) {
          const r = ind.add(d.closes[i]!);
          if (r !== null) sum += r;
        }
        return sum;
      },
      technicalindicators: (d) => {
        const ind = ti<number, { k: number }>(new TI.StochasticRSI({ values: [], rsiPeriod: 14, stochasticPeriod: 14, kPeriod: 3, dPeriod: 3 }));
        let sum = 0;
        for (let i = 0; i < d.length; i++) {
          const r = ind.nextValue(d.closes[i]!);
          if (r !== undefined) sum += r.k;
        }
        return sum;
      },
      '@ixjb94/indicators': (d) => sumOf(ix.stochrsi(d.closes, 14)),
    },
    notes: [
      'stoch-rsi: trading-signals returns the raw 0..1 value (k, d smoothed inside); @ixjb94 computes the raw value only (no k/d smoothing: less work)',
    ],
  },
  {
    id: 'stochastic',
    node: stochastic.type,
    params: { kPeriod: 14, smoothK: 3, dPeriod: 3 },
    primary: 'k',
    ours: ours(stochastic, {}, 'hlc', 'k'),
    oursBatch: oursBatch(stochastic, {}, 'k'),
    peers: {
      'trading-signals': (d) => {
        const ind = new TS.StochasticOscillator({ kPeriod: 14, kSlowingPeriod: 3, dPeriod: 3 });
        let sum = 0;
        for (let i = 0; i < d.length; i++) {
          const r = ind.add(d.candles[i]!);
          if (r !== null) sum += r.stochK;
        }
        return sum;
      },
      technicalindicators: (d) => {
        const ind = ti<Hlc, { k: number }>(new TI.Stochastic({ period: 14, signalPeriod: 3, ...tiHlc() }));
        let sum = 0;
        for (let i = 0; i < d.length; i++) {
          const r = ind.nextValue(d.candles[i]!);
          if (r !== undefined) sum += r.k;
        }
        return sum;
      },
      '@ixjb94/indicators': (d) => sumOf(ix.stoch(d.highs, d.lows, d.closes, 14, 3, 3)[0]!),
    },
    notes: ['stochastic: technicalindicators is the fast stochastic (no %K smoothing: less work)'],
  },
  {
    id: 'williams-r',
    node: williamsR.type,
    params: { period: 14 },
    primary: 'value',
    ours: ours(williamsR, {}, 'hlc', 'value'),
    oursBatch: oursBatch(williamsR, {}, 'value'),
    peers: {
      'trading-signals': (d) => {
        const ind = new TS.WilliamsR(14);
        let sum = 0;
        for (let i = 0; i < d.length; i++) {
          const r = ind.add(d.candles[i]!);
          if (r !== null) sum += r;
        }
        return sum;
      },
      technicalindicators: (d) => {
        const ind = ti<Hlc, number>(new TI.WilliamsR({ period: 14, ...tiHlc() }));
        let sum = 0;
        for (let i = 0; i < d.length; i++) {
          const r = ind.nextValue(d.candles[i]!);
          if (r !== undefined && r === r) sum += r;
        }
        return sum;
      },
      '@ixjb94/indicators': (d) => sumOf(ix.willr(d.highs, d.lows, d.closes, 14)),
    },
    notes: [],
  },
  {
    id: 'ao',
    node: ao.type,
    params: { fast: 5, slow: 34 },
    primary: 'value',
    ours: ours(ao, {}, 'hl', 'value'),
    oursBatch: oursBatch(ao, {}, 'value'),
    peers: {
      'trading-signals': (d) => {
        const ind = new TS.AO(5, 34);
        let sum = 0;
        for (let i = 0; i < d.length; i++) {
          const r = ind.add(d.candles[i]!);
          if (r !== null) sum += r;
        }
        return sum;
      },
      technicalindicators: (d) => {
        const ind = ti<{ high: number; low: number }, number>(new TI.AwesomeOscillator({ high: [], low: [], fastPeriod: 5, slowPeriod: 34 }));
        let sum = 0;
        for (let i = 0; i < d.length; i++) {
          const r = ind.nextValue(d.candles[i]!);
          if (r !== undefined) sum += r;
        }
        return sum;
      },
      '@ixjb94/indicators': (d) => sumOf(ix.ao(d.highs, d.lows)),
    },
    notes: [],
  },
  {
    id: 'macd',
    node: macd.type,
    params: { fast: 12, slow: 26, signal: 9 },
    primary: 'macd',
    ours: ours(macd, {}, 'source', 'macd'),
    oursBatch: oursBatch(macd, {}, 'macd'),
    peers: {
      'trading-signals': (d) => {
        const ind = new TS.MACD(new TS.EMA(12), new TS.EMA(26), new TS.EMA(9));
        let sum = 0;
        for (let i = 0; i < d.length; i++) {
          const r = ind.add(d.closes[i]!);
          if (r !== null) sum += r.macd;
        }
        return sum;
      },
      technicalindicators: (d) => {
        const ind = ti<number, { MACD?: number }>(
          new TI.MACD({ values: [], fastPeriod: 12, slowPeriod: 26, signalPeriod: 9, SimpleMAOscillator: false, SimpleMASignal: false }),
        );
        let sum = 0;
        for (let i = 0; i < d.length; i++) {
          const r = ind.nextValue(d.closes[i]!);
          if (r !== undefined && r.MACD !== undefined) sum += r.MACD;
        }
        return sum;
      },
      '@ixjb94/indicators': (d) => sumOf(ix.macd(d.closes, 12, 26, 9)[0]!),
    },
    notes: ['macd: trading-signals and @ixjb94 seed the EMAs with the first value; technicalindicators with SMAs that both start at bar 0 (TA-Lib and ours align the fast seed to bar slow−1)'],
  },
  {
    id: 'bollinger',
    node: bollinger.type,
    params: { period: 20, stdDev: 2 },
    primary: 'middle',
    ours: ours(bollinger, {}, 'source', 'middle'),
    oursBatch: oursBatch(bollinger, {}, 'middle'),
    peers: {
      'trading-signals': (d) => {
        const ind = new TS.BollingerBands(20, 2);
        let sum = 0;
        for (let i = 0; i < d.length; i++) {
          const r = ind.add(d.closes[i]!);
          if (r !== null) sum += r.middle;
        }
        return sum;
      },
      technicalindicators: (d) => {
        const ind = ti<number, { middle: number }>(new TI.BollingerBands({ period: 20, stdDev: 2, values: [] }));
        let sum = 0;
        for (let i = 0; i < d.length; i++) {
          const r = ind.nextValue(d.closes[i]!);
          if (r !== undefined) sum += r.middle;
        }
        return sum;
      },
      '@ixjb94/indicators': (d) => sumOf(ix.bbands(d.closes, 20, 2)[1]!),
    },
    notes: ['bollinger: ours also outputs %B and bandwidth; the peers give the three bands only'],
  },
  {
    id: 'atr (wilder)',
    node: atr.type,
    params: { period: 14, smoothing: 'wilder' },
    primary: 'value',
    ours: ours(atr, { smoothing: 'wilder' }, 'hlc', 'value'),
    oursBatch: oursBatch(atr, { smoothing: 'wilder' }, 'value'),
    peers: {
      'trading-signals': (d) => {
        const ind = new TS.ATR(14);
        let sum = 0;
        for (let i = 0; i < d.length; i++) {
          const r = ind.add(d.candles[i]!);
          if (r !== null) sum += r;
        }
        return sum;
      },
      technicalindicators: (d) => {
        const ind = ti<Hlc, number>(new TI.ATR({ period: 14, ...tiHlc() }));
        let sum = 0;
        for (let i = 0; i < d.length; i++) {
          const r = ind.nextValue(d.candles[i]!);
          if (r !== undefined) sum += r;
        }
        return sum;
      },
      '@ixjb94/indicators': (d) => sumOf(ix.atr(d.highs, d.lows, d.closes, 14)),
    },
    notes: [],
  },
  {
    id: 'atr (sma)',
    node: atr.type,
    params: { period: 14, smoothing: 'sma' },
    primary: 'value',
    ours: ours(atr, { smoothing: 'sma' }, 'hlc', 'value'),
    oursBatch: oursBatch(atr, { smoothing: 'sma' }, 'value'),
    peers: {
      'trading-signals': (d) => {
        const ind = new TS.ATR(14, TS.SMA);
        let sum = 0;
        for (let i = 0; i < d.length; i++) {
          const r = ind.add(d.candles[i]!);
          if (r !== null) sum += r;
        }
        return sum;
      },
    },
    notes: [],
  },
  {
    id: 'kdj',
    node: kdj.type,
    params: { period: 9, kSmoothing: 3, dSmoothing: 3 },
    primary: 'k',
    ours: ours(kdj, {}, 'hlc', 'k'),
    oursBatch: oursBatch(kdj, {}, 'k'),
    peers: {},
    notes: ["kdj: no peer has it (trading-signals' StochasticOscillator J is 3K − 2D of SMA-smoothed lines, i.e. indicator.stochastic's work)"],
  },
  {
    id: 'obv',
    node: obv.type,
    params: {},
    primary: 'value',
    ours: ours(obv, {}, 'cv', 'value'),
    oursBatch: oursBatch(obv, {}, 'value'),
    peers: {
      'trading-signals': (d) => {
        // the interval only sizes the candle buffer; 2 keeps the previous candle, which is all OBV needs
        const ind = new TS.OBV(2);
        let sum = 0;
        for (let i = 0; i < d.length; i++) {
          const r = ind.add(d.candles[i]!);
          if (r !== null) sum += r;
        }
        return sum;
      },
      technicalindicators: (d) => {
        const ind = ti<{ close: number; volume: number }, number>(new TI.OBV({ close: [], volume: [] }));
        let sum = 0;
        for (let i = 0; i < d.length; i++) {
          const r = ind.nextValue(d.candles[i]!);
          if (r !== undefined) sum += r;
        }
        return sum;
      },
      '@ixjb94/indicators': (d) => sumOf(ix.obv(d.closes, d.volumes)),
    },
    notes: ['obv: ours starts the total at the first volume (TA-Lib); the peers start at 0'],
  },
  {
    id: 'cmf',
    node: cmf.type,
    params: { period: 20 },
    primary: 'value',
    ours: ours(cmf, {}, 'hlcv', 'value'),
    oursBatch: oursBatch(cmf, {}, 'value'),
    peers: {
      'trading-signals': (d) => {
        const ind = new TS.CMF(20);
        let sum = 0;
        for (let i = 0; i < d.length; i++) {
          const r = ind.add(d.candles[i]!);
          if (r !== null) sum += r;
        }
        return sum;
      },
      '@ixjb94/indicators': (d) => sumOf(ix.cmf(d.highs, d.lows, d.closes, d.volumes, 20)),
    },
    notes: [],
  },
  {
    id: 'cci',
    node: cci.type,
    params: { period: 20 },
    primary: 'value',
    ours: ours(cci, {}, 'hlc', 'value'),
    oursBatch: oursBatch(cci, {}, 'value'),
    peers: {
      'trading-signals': (d) => {
        const ind = new TS.CCI(20);
        let sum = 0;
        for (let i = 0; i < d.length; i++) {
          const r = ind.add(d.candles[i]!);
          if (r !== null && r === r) sum += r;
        }
        return sum;
      },
      technicalindicators: (d) => {
        const ind = ti<Hlc, number>(new TI.CCI({ period: 20, ...tiHlc() }));
        let sum = 0;
        for (let i = 0; i < d.length; i++) {
          const r = ind.nextValue(d.candles[i]!);
          if (r !== undefined && r === r) sum += r;
        }
        return sum;
      },
      '@ixjb94/indicators': (d) => sumOf(ix.cci(d.highs, d.lows, d.closes, 20)),
    },
    notes: [],
  },
  {
    id: 'adx',
    node: adx.type,
    params: { period: 14 },
    primary: 'adx',
    ours: ours(adx, {}, 'hlc', 'adx'),
    oursBatch: oursBatch(adx, {}, 'adx'),
    peers: {
      'trading-signals': (d) => {
        const ind = new TS.ADX(14);
        let sum = 0;
        for (let i = 0; i < d.length; i++) {
          const r = ind.add(d.candles[i]!);
          if (r !== null) sum += r;
        }
        return sum;
      },
      technicalindicators: (d) => {
        const ind = ti<Hlc, { adx: number }>(new TI.ADX({ period: 14, ...tiHlc() }));
        let sum = 0;
        for (let i = 0; i < d.length; i++) {
          const r = ind.nextValue(d.candles[i]!);
          if (r !== undefined) sum += r.adx;
        }
        return sum;
      },
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

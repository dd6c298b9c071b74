import type { Columns } from '../common.ts';

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
  candles: Candle[];
}

export interface Candle {
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/** One full pass over the data by one implementation; returns its checksum. */
export type Pass = (d: BenchData) => number;

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

/** The checksum of a column: its sum, skipping the NaN of warm-up gaps. */
export function sumOf(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v === v) sum += v;
  }
  return sum;
}

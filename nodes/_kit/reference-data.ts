import { fileURLToPath } from 'node:url';
import { loadCandles, type CandleSeries } from '../../engine/data/candles-csv.ts';

/** The embedded real candles, by short name, for reference tests and benchmarks. */
export const EMBEDDED = {
  'eth-5m': 'data/ethusdt-binance-spot-5m.csv.gz',
  'btc-5m': 'data/btcusdt-binance-spot-5m.csv.gz',
  'eth-4h': 'data/ethusd-coinbase-4h.csv.gz',
  'btc-4h': 'data/btcusd-coinbase-4h.csv.gz',
} as const;

export type EmbeddedName = keyof typeof EMBEDDED;

const cache = new Map<string, CandleSeries>();

export function embeddedPath(name: EmbeddedName): string {
  return fileURLToPath(new URL(`../../${EMBEDDED[name]}`, import.meta.url));
}

export function loadEmbedded(name: EmbeddedName): CandleSeries {
  let series = cache.get(name);
  if (series === undefined) {
    series = loadCandles(embeddedPath(name));
    cache.set(name, series);
  }
  return series;
}

/** Plain arrays of a series' columns, the shape the reference libraries take. */
export function columnsOf(series: CandleSeries, limit = series.length) {
  const take = (a: Float64Array) => Array.from(a.subarray(0, limit));
  return {
    time: take(series.time),
    open: take(series.open),
    high: take(series.high),
    low: take(series.low),
    close: take(series.close),
    volume: take(series.volume),
  };
}

import type { BenchData, Candle, Pass } from './bench-data.ts';

/**
 * The peer libraries' side of an indicator case: which libraries, how they are driven, and the
 * streaming loops that feed them value by value. Each case runs in its own process, so the loops
 * below see one indicator class only; trading-signals and technicalindicators keep a loop each, so
 * the two never share a call site.
 */

export const PEERS = ['trading-signals', 'technicalindicators', '@ixjb94/indicators'] as const;
export type Peer = (typeof PEERS)[number];

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

/** what a streaming peer is fed each bar: the close, or the bar's candle object */
interface Fed {
  closes: number;
  candles: Candle;
}

const itself = (r: unknown) => r as number;

/** trading-signals: add() per bar, null until the indicator answers. */
interface TsStream<I, R> {
  add(input: I): R | null;
}

export function tsPass<K extends keyof Fed>(fed: K, make: () => TsStream<Fed[K], number>): Pass;
export function tsPass<K extends keyof Fed, R>(fed: K, make: () => TsStream<Fed[K], R>, pick: (r: R) => number): Pass;
export function tsPass<K extends keyof Fed, R>(fed: K, make: () => TsStream<Fed[K], R>, pick: (r: R) => number = itself): Pass {
  return (d: BenchData) => {
    const ind = make();
    const xs = d[fed] as Fed[K][];
    let sum = 0;
    for (let i = 0; i < d.length; i++) {
      const r = ind.add(xs[i]!);
      if (r !== null) {
        const v = pick(r);
        if (v === v) sum += v;
      }
    }
    return sum;
  };
}

/**
 * technicalindicators: nextValue() per bar, undefined until the indicator answers. Its
 * declarations get several nextValue inputs wrong, so `make` is taken as it comes.
 */
interface TiStream<R> {
  nextValue(input: unknown): R | undefined;
}

export function tiPass(fed: keyof Fed, make: () => unknown): Pass;
export function tiPass<R>(fed: keyof Fed, make: () => unknown, pick: (r: R) => number): Pass;
export function tiPass<R>(fed: keyof Fed, make: () => unknown, pick: (r: R) => number = itself): Pass {
  return (d: BenchData) => {
    const ind = make() as TiStream<R>;
    const xs = d[fed];
    let sum = 0;
    for (let i = 0; i < d.length; i++) {
      const r = ind.nextValue(xs[i]!);
      if (r !== undefined) {
        const v = pick(r);
        if (v === v) sum += v;
      }
    }
    return sum;
  };
}

/** the high, low and close arrays technicalindicators' constructors want (empty: it is fed by nextValue) */
export const tiHlc = () => ({ high: [] as number[], low: [] as number[], close: [] as number[] });

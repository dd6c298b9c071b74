import { createRequire } from 'node:module';

/**
 * TA-Lib (the C library, through the `talib` 1.1.6 native binding) is the independent reference
 * for indicator tests. Only tests and benchmarks import this.
 */
const require = createRequire(import.meta.url);
const talib = require('talib') as {
  execute(args: Record<string, unknown>): { begIndex: number; nbElement: number; result: Record<string, number[]>; error?: string };
};

/** Runs a TA-Lib function over whole arrays and returns its outputs aligned to the input length. */
export function talibRun(name: string, args: Record<string, unknown>, length: number): Record<string, Float64Array> {
  const result = talib.execute({ name, startIdx: 0, endIdx: length - 1, ...args });
  if (result.error) throw new Error(`TA-Lib ${name}: ${result.error}`);
  const out: Record<string, Float64Array> = {};
  for (const [key, values] of Object.entries(result.result)) {
    const column = new Float64Array(length).fill(NaN);
    for (let i = 0; i < values.length; i++) column[result.begIndex + i] = values[i]!;
    out[key] = column;
  }
  return out;
}

/** TA-Lib's MA types, for functions that take one (STOCH, BBANDS, MACDEXT). */
export const TA_MA = { SMA: 0, EMA: 1 } as const;

/**
 * Shared by the cross-cutting tests (look-ahead, warm-up, determinism, CLI): the shipped pipelines
 * and the embedded ETH 5m data, loaded once per test file.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCandles, sliceCandles, type CandleSeries } from '../../engine/data/candles-csv.ts';
import { compilePipelineFile } from '../../engine/pipeline/compile.ts';
import type { CompiledPipeline } from '../../engine/pipeline/plan.ts';
import { registry } from '../../nodes/index.ts';

export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const BIN = join(ROOT, 'bin', 'barflow.js');
export const ETH_5M = join(ROOT, 'data', 'ethusdt-binance-spot-5m.csv.gz');

/** Every pipeline the project ships: pipelines/examples/*.yaml and pipelines/canonical/*.yaml. */
export function shippedPipelines(): string[] {
  const files: string[] = [];
  for (const folder of ['pipelines/examples', 'pipelines/canonical']) {
    const dir = join(ROOT, folder);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).sort()) if (name.endsWith('.yaml') || name.endsWith('.yml')) files.push(join(dir, name));
  }
  return files;
}

export function compileShipped(file: string): CompiledPipeline {
  return compilePipelineFile(file, registry);
}

let eth: CandleSeries | undefined;

/** The ETH 5m series, or its first `bars` bars. */
export function ethBars(bars?: number): CandleSeries {
  eth ??= loadCandles(ETH_5M);
  return bars === undefined ? eth : sliceCandles(eth, 0, bars);
}

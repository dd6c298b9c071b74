import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BarflowError, quote } from '../../core/errors.ts';
import { formatTimeframe } from '../../core/timeframe.ts';
import { loadCandles, parseCandlesCsv, type CandleSeries } from '../../data/candles-csv.ts';
import { gunzipSync } from 'node:zlib';

/** Embedded data by short name (the same names the tests and benches use). */
export const EMBEDDED_DATA: Record<string, string> = {
  'eth-5m': 'ethusdt-binance-spot-5m.csv.gz',
  'btc-5m': 'btcusdt-binance-spot-5m.csv.gz',
  'eth-4h': 'ethusd-coinbase-4h.csv.gz',
  'btc-4h': 'btcusd-coinbase-4h.csv.gz',
};

/** Most bytes an upload may decompress to: a small gzip must not expand into gigabytes (zip bomb). */
export const MAX_UNZIPPED_BYTES = 256 * 1024 * 1024;

/**
 * Candle data for runs: the embedded files, and files users upload. An upload is parsed with the
 * same loader (so a corrupted file is refused with its line numbers) and stored under its content
 * hash, which is also its id — an id can therefore never name a path.
 */
export class DataStore {
  private readonly cache = new Map<string, CandleSeries>();

  constructor(
    private readonly dataDir: string,
    private readonly uploadDir: string,
  ) {}

  embedded(): { name: string; file: string }[] {
    return Object.entries(EMBEDDED_DATA)
      .filter(([, file]) => existsSync(join(this.dataDir, file)))
      .map(([name, file]) => ({ name, file }));
  }

  /** The file behind a reference (sweep workers load it themselves); throws as `load` does for an unknown one. */
  file(ref: { embedded: string } | { upload: string }): string {
    return 'embedded' in ref ? this.embeddedFile(ref.embedded) : this.uploadFile(ref.upload);
  }

  load(ref: { embedded: string } | { upload: string }): CandleSeries {
    const file = this.file(ref);
    let series = this.cache.get(file);
    if (series === undefined) {
      series = loadCandles(file);
      this.cache.set(file, series);
    }
    return series;
  }

  upload(bytes: Buffer, originalName: string) {
    const id = createHash('sha256').update(bytes).digest('hex').slice(0, 32);
    const gz = bytes[0] === 0x1f && bytes[1] === 0x8b;
    let text: string;
    try {
      text = (gz ? gunzipSync(bytes, { maxOutputLength: MAX_UNZIPPED_BYTES }) : bytes).toString('utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
        throw new BarflowError('data.too-large', `upload decompresses to more than ${MAX_UNZIPPED_BYTES / 1024 / 1024} MiB`, { file: originalName });
      }
      throw new BarflowError('data.gzip', `upload looks gzipped but does not decompress: ${(error as Error).message}`, { file: originalName });
    }
    const series = parseCandlesCsv(text, originalName);
    mkdirSync(this.uploadDir, { recursive: true });
    writeFileSync(join(this.uploadDir, `${id}.csv${gz ? '.gz' : ''}`), bytes);
    return { id, file: originalName, bars: series.length, timeframe: formatTimeframe(series.intervalMs), gaps: series.gaps.length, duplicates: series.duplicates.length };
  }

  private embeddedFile(name: string): string {
    const file = EMBEDDED_DATA[name];
    if (file === undefined) throw new BarflowError('data.unknown', `no embedded data named ${quote(name)} (known: ${Object.keys(EMBEDDED_DATA).join(', ')})`, { field: 'data' }, name);
    return join(this.dataDir, file);
  }

  private uploadFile(id: string): string {
    if (!/^[a-f0-9]{16,64}$/.test(id)) throw new BarflowError('data.upload-id', `${quote(id)} is not an upload id`, { field: 'data' }, id);
    const found = existsSync(this.uploadDir) ? readdirSync(this.uploadDir).find((f) => f.startsWith(`${id}.csv`)) : undefined;
    if (found === undefined) throw new BarflowError('data.upload-missing', `no upload ${quote(id)}`, { field: 'data' }, id);
    return join(this.uploadDir, found);
  }
}

import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { BarflowError, BarflowErrors, quote } from '../core/errors.ts';
import { formatTimeframe, isoTime } from '../core/timeframe.ts';
import { sha256Hex } from '../pipeline/normalise.ts';

/**
 * Candle files: `time,open,high,low,close,volume`, time = bar open in ms UTC, optionally gzipped.
 * Policy (docs/concepts/data.md): gaps are kept and flagged; duplicate timestamps keep the last row
 * and are reported; rows out of order, off the timeframe grid, or not a sane candle are errors
 * naming the file, line and field. Nothing is dropped without being reported.
 */
export const CANDLE_HEADER = ['time', 'open', 'high', 'low', 'close', 'volume'] as const;
const MAX_REPORTED_ERRORS = 20;
/** the last instant a JS Date can represent: later times cannot even be printed in an error */
const MAX_TIME_MS = 8_640_000_000_000_000;
/** plain decimal numbers only: `Number()` alone would also read "0x1f", "0b11" or " " */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export interface Gap {
  /** index of the first bar after the gap */
  index: number;
  from: number;
  to: number;
  missing: number;
}

export interface Duplicate {
  time: number;
  keptLine: number;
  replacedLine: number;
}

export interface CandleSeries {
  file: string;
  sha256: string;
  length: number;
  intervalMs: number;
  time: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
  /** base bars missing right before each bar (0 when contiguous) */
  gapBefore: Int32Array;
  gaps: Gap[];
  duplicates: Duplicate[];
}

export function loadCandles(file: string, intervalMs?: number): CandleSeries {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new BarflowError('data.read', `cannot read candle file: ${(error as Error).message}`, { file });
  }
  const sha256 = sha256Hex(bytes);
  let text: string;
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      text = gunzipSync(bytes).toString('utf8');
    } catch (error) {
      throw new BarflowError('data.gzip', `file looks gzipped but does not decompress: ${(error as Error).message}`, { file });
    }
  } else text = bytes.toString('utf8');
  return parseCandlesCsv(text, file, sha256, intervalMs);
}

interface Row {
  line: number;
  values: [number, number, number, number, number, number];
}

export function parseCandlesCsv(text: string, file: string, sha256 = sha256Hex(text), intervalMs?: number): CandleSeries {
  const errors: BarflowError[] = [];
  const fail = (line: number, field: string | undefined, message: string, value?: unknown) => {
    if (errors.length < MAX_REPORTED_ERRORS) errors.push(new BarflowError('data.row', message, { file, line, field }, value));
  };
  if (text.trim() === '') throw new BarflowError('data.empty', 'the file is empty (not even a header)', { file });
  const lines = text.split('\n');
  const header = (lines[0] ?? '').replace(/\r$/, '').replace(/^\uFEFF/, '').trim();
  if (header !== CANDLE_HEADER.join(',')) {
    throw new BarflowError('data.header', `header must be ${quote(CANDLE_HEADER.join(','))}, got ${quote(header)}`, { file, line: 1 }, header);
  }
  const rows: Row[] = [];
  const duplicates: Duplicate[] = [];
  for (let i = 1; i < lines.length; i++) {
    const raw = lines[i]!.replace(/\r$/, '');
    if (raw.trim() === '') continue;
    const line = i + 1;
    const cells = raw.split(',');
    if (cells.length !== 6) {
      fail(line, undefined, `expected 6 fields, got ${cells.length}: ${quote(raw)}`, raw);
      continue;
    }
    const values = cells.map((cell) => (DECIMAL.test(cell.trim()) ? Number(cell) : NaN)) as Row['values'];
    let bad = false;
    values.forEach((v, k) => {
      if (!Number.isFinite(v)) {
        fail(line, CANDLE_HEADER[k], `${CANDLE_HEADER[k]} ${quote(cells[k])} is not a finite number`, cells[k]);
        bad = true;
      }
    });
    if (bad) continue;
    const [time, open, high, low, close, volume] = values;
    if (!Number.isInteger(time) || time < 0 || time > MAX_TIME_MS) fail(line, 'time', `time ${quote(cells[0])} must be a whole number of ms since 1970 UTC`, cells[0]);
    else if (time < 100_000_000_000) fail(line, 'time', `time ${quote(cells[0])} looks like seconds; expected milliseconds`, cells[0]);
    else if (open <= 0 || high <= 0 || low <= 0 || close <= 0) {
      const k = values.findIndex((v, i) => i >= 1 && i <= 4 && v <= 0);
      fail(line, CANDLE_HEADER[k], `prices must be positive, got ${CANDLE_HEADER[k]} ${quote(cells[k])} in ${quote(raw)}`, raw);
    }
    else if (volume < 0) fail(line, 'volume', `volume ${quote(cells[5])} is negative`, cells[5]);
    else if (high < Math.max(open, close, low) || low > Math.min(open, close)) fail(line, 'high', `not a candle: high must be ≥ open, close, low and low ≤ open, close (${quote(raw)})`, raw);
    else {
      const prev = rows[rows.length - 1];
      if (prev !== undefined && time < prev.values[0]) {
        fail(line, 'time', `out of order: ${isoTime(time)} comes after ${isoTime(prev.values[0])} (line ${prev.line})`, cells[0]);
      } else if (prev !== undefined && time === prev.values[0]) {
        duplicates.push({ time, keptLine: line, replacedLine: prev.line });
        rows[rows.length - 1] = { line, values };
      } else rows.push({ line, values });
    }
  }
  if (errors.length > 0) throw new BarflowErrors(errors);
  if (rows.length === 0) throw new BarflowError('data.empty', 'no candles in file', { file });

  const interval = intervalMs ?? inferInterval(rows);
  const n = rows.length;
  const series: CandleSeries = {
    file,
    sha256,
    length: n,
    intervalMs: interval,
    time: new Float64Array(n),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
    gapBefore: new Int32Array(n),
    gaps: [],
    duplicates,
  };
  for (let i = 0; i < n; i++) {
    const { line, values } = rows[i]!;
    const time = values[0];
    if (time % interval !== 0) fail(line, 'time', `${isoTime(time)} is off the ${formatTimeframe(interval)} grid`, time);
    if (i > 0) {
      const delta = time - rows[i - 1]!.values[0];
      if (delta > interval) {
        const missing = Math.round(delta / interval) - 1;
        series.gapBefore[i] = missing;
        series.gaps.push({ index: i, from: rows[i - 1]!.values[0] + interval, to: time - interval, missing });
      }
    }
    series.time[i] = time;
    series.open[i] = values[1];
    series.high[i] = values[2];
    series.low[i] = values[3];
    series.close[i] = values[4];
    series.volume[i] = values[5];
  }
  if (errors.length > 0) throw new BarflowErrors(errors);
  return series;
}

/** The most common spacing between consecutive bars (gaps make larger spacings rarer). */
function inferInterval(rows: Row[]): number {
  if (rows.length < 2) return 60_000;
  const counts = new Map<number, number>();
  for (let i = 1; i < rows.length; i++) {
    const d = rows[i]!.values[0] - rows[i - 1]!.values[0];
    counts.set(d, (counts.get(d) ?? 0) + 1);
  }
  let best = 0;
  let bestCount = -1;
  for (const [d, c] of counts) if (c > bestCount || (c === bestCount && d < best)) [best, bestCount] = [d, c];
  return best;
}

/** A slice [from, to) of a series, sharing nothing with it. */
export function sliceCandles(series: CandleSeries, from: number, to: number): CandleSeries {
  const gaps = series.gaps.filter((g) => g.index > from && g.index < to).map((g) => ({ ...g, index: g.index - from }));
  const gapBefore = series.gapBefore.slice(from, to);
  if (gapBefore.length > 0) gapBefore[0] = 0;
  return {
    ...series,
    length: Math.max(0, Math.min(to, series.length) - from),
    time: series.time.slice(from, to),
    open: series.open.slice(from, to),
    high: series.high.slice(from, to),
    low: series.low.slice(from, to),
    close: series.close.slice(from, to),
    volume: series.volume.slice(from, to),
    gapBefore,
    gaps,
    duplicates: series.duplicates.map((d) => ({ ...d })),
  };
}

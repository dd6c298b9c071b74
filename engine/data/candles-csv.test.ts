import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { BarflowError, BarflowErrors } from '../core/errors.ts';
import { loadCandles, parseCandlesCsv, sliceCandles, type CandleSeries } from './candles-csv.ts';

const dataFile = (name: string) => fileURLToPath(new URL(`../../data/${name}`, import.meta.url));
const FIVE_MIN = 300_000;
const FOUR_HOURS = 14_400_000;
const T0 = Date.UTC(2021, 0, 4); // a Monday, on every grid
const HEADER = 'time,open,high,low,close,volume';

/** `n` contiguous, sane 5m rows starting at T0 + k·5m */
function rows(n: number, from = 0): string[] {
  return Array.from({ length: n }, (_, i) => {
    const k = from + i;
    const open = 100 + k;
    return `${T0 + k * FIVE_MIN},${open},${open + 2},${open - 1},${open + 1},${10 + k}`;
  });
}
const csv = (...lines: string[]) => [HEADER, ...lines].join('\n') + '\n';

function rejection(run: () => unknown): BarflowError[] {
  try {
    run();
  } catch (error) {
    if (error instanceof BarflowErrors) return error.errors;
    if (error instanceof BarflowError) return [error];
    throw error;
  }
  throw new Error('expected the candles to be rejected, they loaded');
}
const messages = (text: string, interval?: number) => rejection(() => parseCandlesCsv(text, 'c.csv', undefined, interval)).map((e) => e.format());

/** An independent reading of a candle CSV text: rows as numbers, no policy. */
function naiveRows(text: string): number[][] {
  return text
    .split('\n')
    .slice(1)
    .filter((l) => l.trim() !== '')
    .map((l) => l.split(',').map(Number));
}

const scratch = mkdtempSync(join(tmpdir(), 'barflow-candles-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
function scratchFile(name: string, content: string | Uint8Array): string {
  const path = join(scratch, name);
  writeFileSync(path, content);
  return path;
}

describe('loading the embedded candle files', () => {
  const files = [
    { name: 'btcusdt-binance-spot-5m.csv.gz', rows: 65741, interval: FIVE_MIN },
    { name: 'ethusdt-binance-spot-5m.csv.gz', rows: 65742, interval: FIVE_MIN },
    { name: 'btcusd-coinbase-4h.csv.gz', rows: 20695, interval: FOUR_HOURS },
    { name: 'ethusd-coinbase-4h.csv.gz', rows: 20675, interval: FOUR_HOURS },
  ];
  const loaded = new Map<string, { series: CandleSeries; bytes: Buffer; raw: number[][] }>();
  const get = (name: string) => {
    let entry = loaded.get(name);
    if (entry === undefined) {
      const bytes = readFileSync(dataFile(name));
      entry = { series: loadCandles(dataFile(name)), bytes, raw: naiveRows(gunzipSync(bytes).toString('utf8')) };
      loaded.set(name, entry);
    }
    return entry;
  };

  for (const file of files) {
    it(`loads ${file.name}: ${file.rows} rows, interval inferred, sha256 of the file, every value as written`, () => {
      const { series, bytes, raw } = get(file.name);
      expect(series.length).toBe(file.rows);
      expect(raw.length).toBe(file.rows);
      expect(series.intervalMs).toBe(file.interval);
      expect(series.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
      expect(series.file).toBe(dataFile(file.name));
      expect(series.duplicates).toEqual([]);
      const columns = [series.time, series.open, series.high, series.low, series.close, series.volume];
      let mismatches = 0;
      for (let i = 0; i < series.length; i++) for (let c = 0; c < 6; c++) if (columns[c]![i] !== raw[i]![c]) mismatches++;
      expect(mismatches).toBe(0);
    });

    it(`flags exactly the gaps of ${file.name} that an independent scan finds`, () => {
      const { series, raw } = get(file.name);
      const expected: { index: number; from: number; to: number; missing: number }[] = [];
      for (let i = 1; i < raw.length; i++) {
        const delta = raw[i]![0]! - raw[i - 1]![0]!;
        if (delta !== file.interval) expected.push({ index: i, from: raw[i - 1]![0]! + file.interval, to: raw[i]![0]! - file.interval, missing: delta / file.interval - 1 });
      }
      expect(series.gaps).toEqual(expected);
      for (let i = 0; i < series.length; i++) {
        const gap = expected.find((g) => g.index === i);
        if (series.gapBefore[i] !== (gap?.missing ?? 0)) throw new Error(`gapBefore[${i}] = ${series.gapBefore[i]}`);
      }
    });
  }

  it('finds the 6 known gaps (177 missing bars) in both 5m files', () => {
    const known = [
      { index: 5930, from: '2020-12-21T14:10:00Z', to: '2020-12-21T17:55:00Z', missing: 46 },
      { index: 6890, from: '2020-12-25T02:00:00Z', to: '2020-12-25T02:55:00Z', missing: 12 },
      { index: 20723, from: '2021-02-11T03:45:00Z', to: '2021-02-11T04:55:00Z', missing: 15 },
      { index: 27311, from: '2021-03-06T02:00:00Z', to: '2021-03-06T03:25:00Z', missing: 18 },
      { index: 40253, from: '2021-04-20T02:00:00Z', to: '2021-04-20T04:25:00Z', missing: 30 },
      { index: 41688, from: '2021-04-25T04:05:00Z', to: '2021-04-25T08:40:00Z', missing: 56 },
    ].map((g) => ({ index: g.index, from: Date.parse(g.from), to: Date.parse(g.to), missing: g.missing }));
    for (const name of ['btcusdt-binance-spot-5m.csv.gz', 'ethusdt-binance-spot-5m.csv.gz']) {
      const { series } = get(name);
      expect(series.gaps).toEqual(known);
      expect(series.gaps.reduce((total, g) => total + g.missing, 0)).toBe(177);
      expect(Array.from(series.gapBefore).reduce((a, b) => a + b, 0)).toBe(177);
      expect((series.time[series.length - 1]! - series.time[0]!) / FIVE_MIN + 1).toBe(series.length + 177);
    }
  });

  it('accepts an explicit interval that matches the data', () => {
    const { series } = get('btcusd-coinbase-4h.csv.gz');
    const again = loadCandles(dataFile('btcusd-coinbase-4h.csv.gz'), FOUR_HOURS);
    expect(again.intervalMs).toBe(FOUR_HOURS);
    expect(again.gaps).toEqual(series.gaps);
  });

  it('slices a series into an independent copy with gaps re-indexed', () => {
    const { series } = get('ethusdt-binance-spot-5m.csv.gz');
    const slice = sliceCandles(series, 5900, 6000);
    expect(slice.length).toBe(100);
    expect(slice.time[30]).toBe(series.time[5930]);
    expect(slice.gaps).toEqual([{ ...series.gaps[0]!, index: 30 }]);
    expect(slice.gapBefore[30]).toBe(46);
    slice.close[0] = -1;
    expect(series.close[5900]).not.toBe(-1);
    expect(slice.duplicates).not.toBe(series.duplicates);
    // a slice starting right after a gap does not claim the gap
    const after = sliceCandles(series, 5930, 5940);
    expect(after.gapBefore[0]).toBe(0);
    expect(after.gaps).toEqual([]);
  });
});

describe('duplicates', () => {
  it('keeps the last of two rows with the same time and reports both line numbers', () => {
    const [a, b, c] = rows(3);
    const replacement = `${T0 + FIVE_MIN},200,210,190,205,99`;
    const series = parseCandlesCsv(csv(a!, b!, replacement, c!), 'c.csv');
    expect(series.length).toBe(3);
    expect(series.duplicates).toEqual([{ time: T0 + FIVE_MIN, keptLine: 4, replacedLine: 3 }]);
    expect([series.open[1], series.high[1], series.low[1], series.close[1], series.volume[1]]).toEqual([200, 210, 190, 205, 99]);
    expect(series.gaps).toEqual([]);
  });

  it('reports a run of three equal times as two replacements, each naming its lines', () => {
    const [a, b] = rows(2);
    const series = parseCandlesCsv(csv(a!, b!, b!.replace(',103,', ',104,'), b!.replace(',103,', ',105,')), 'c.csv');
    expect(series.length).toBe(2);
    expect(series.duplicates).toEqual([
      { time: T0 + FIVE_MIN, keptLine: 4, replacedLine: 3 },
      { time: T0 + FIVE_MIN, keptLine: 5, replacedLine: 4 },
    ]);
    expect(series.high[1]).toBe(105);
  });
});

describe('rows the loader rejects', () => {
  it('rejects a row out of order, naming its line and the line it should follow', () => {
    const [a, b, c, d] = rows(4);
    expect(messages(csv(a!, c!, b!, d!))).toEqual([
      'c.csv:4: field "time": out of order: 2021-01-04T00:05:00Z comes after 2021-01-04T00:10:00Z (line 3) [data.row]',
    ]);
  });

  it('names the line and the column of a NaN, an empty and a non-numeric cell', () => {
    const [a, b, c, d] = rows(4);
    const text = csv(a!, b!.replace(',102,', ',NaN,'), c!.replace(/,\d+$/, ','), d!.replace(',104,', ',abc,'));
    expect(messages(text)).toEqual([
      'c.csv:3: field "close": close "NaN" is not a finite number [data.row]',
      'c.csv:4: field "volume": volume "" is not a finite number [data.row]',
      'c.csv:5: field "close": close "abc" is not a finite number [data.row]',
    ]);
  });

  it('reads only plain decimal numbers: hex, binary and Infinity are not prices', () => {
    const [a, b, c] = rows(3);
    const text = csv(a!.replace(/,\d+$/, ',0x1f'), b!.replace(',102,', ',0b11,'), c!.replace(',103,', ',Infinity,'));
    expect(messages(text)).toEqual([
      'c.csv:2: field "volume": volume "0x1f" is not a finite number [data.row]',
      'c.csv:3: field "close": close "0b11" is not a finite number [data.row]',
      'c.csv:4: field "close": close "Infinity" is not a finite number [data.row]',
    ]);
  });

  it('accepts decimals with exponents and surrounding spaces', () => {
    const series = parseCandlesCsv(csv(`${T0}, 1.5e2 ,151,149.5,+150,.25`), 'c.csv');
    expect([series.open[0], series.high[0], series.low[0], series.close[0], series.volume[0]]).toEqual([150, 151, 149.5, 150, 0.25]);
  });

  it('rejects a row with the wrong number of fields, quoting it', () => {
    const [a, b] = rows(2);
    expect(messages(csv(a!, `${b!},7`))).toEqual([`c.csv:3: expected 6 fields, got 7: "${b!},7" [data.row]`]);
  });

  it('rejects a wrong header, quoting it', () => {
    const text = ['Time,Open,High,Low,Close,Volume', ...rows(2)].join('\n');
    expect(messages(text)).toEqual(['c.csv:1: header must be "time,open,high,low,close,volume", got "Time,Open,High,Low,Close,Volume" [data.header]']);
  });

  it('rejects times in seconds instead of milliseconds', () => {
    const text = csv(`${T0 / 1000},1,2,0.5,1.5,3`);
    expect(messages(text)).toEqual([`c.csv:2: field "time": time "${T0 / 1000}" looks like seconds; expected milliseconds [data.row]`]);
  });

  it('rejects fractional and negative times', () => {
    expect(messages(csv(`${T0}.5,1,2,0.5,1.5,3`, `-${T0},1,2,0.5,1.5,3`))).toEqual([
      `c.csv:2: field "time": time "${T0}.5" must be a whole number of ms since 1970 UTC [data.row]`,
      `c.csv:3: field "time": time "-${T0}" must be a whole number of ms since 1970 UTC [data.row]`,
    ]);
  });

  it('rejects a time beyond what a date can hold as a row error rather than crashing', () => {
    const [a, b] = rows(2);
    expect(messages(csv(a!, b!, '100000000000000000000,1,2,0.5,1.5,3'))).toEqual([
      'c.csv:4: field "time": time "100000000000000000000" must be a whole number of ms since 1970 UTC [data.row]',
    ]);
  });

  it('rejects a time off the inferred grid, naming its line', () => {
    const lines = rows(12);
    lines[6] = lines[6]!.replace(String(T0 + 6 * FIVE_MIN), String(T0 + 6 * FIVE_MIN + 60_000));
    expect(messages(csv(...lines))).toEqual(['c.csv:8: field "time": 2021-01-04T00:31:00Z is off the 5m grid [data.row]']);
  });

  it('rejects times off an explicitly given grid', () => {
    expect(messages(csv(...rows(3)), FOUR_HOURS)).toEqual([
      'c.csv:3: field "time": 2021-01-04T00:05:00Z is off the 4h grid [data.row]',
      'c.csv:4: field "time": 2021-01-04T00:10:00Z is off the 4h grid [data.row]',
    ]);
  });

  it('rejects high below low (not a candle), quoting the row', () => {
    const row = `${T0},10,9,9.5,9.8,1`;
    expect(messages(csv(row))).toEqual([`c.csv:2: field "high": not a candle: high must be ≥ open, close, low and low ≤ open, close ("${row}") [data.row]`]);
  });

  it('rejects high below open and low above close', () => {
    const [a] = rows(1, 1);
    expect(rejection(() => parseCandlesCsv(csv(`${T0},10,9.9,9,9.5,1`, a!), 'c.csv'))[0]!.location).toMatchObject({ line: 2, field: 'high' });
    expect(rejection(() => parseCandlesCsv(csv(`${T0},10,11,9.8,9.7,1`, a!), 'c.csv'))[0]!.location).toMatchObject({ line: 2, field: 'high' });
  });

  it('rejects a negative volume, quoting it', () => {
    expect(messages(csv(`${T0},10,11,9,10.5,-3`))).toEqual(['c.csv:2: field "volume": volume "-3" is negative [data.row]']);
  });

  it('accepts a zero volume (quiet markets have them)', () => {
    expect(parseCandlesCsv(csv(`${T0},10,11,9,10.5,0`), 'c.csv').volume[0]).toBe(0);
  });

  it('rejects a zero price, naming the column that holds it', () => {
    expect(messages(csv(`${T0},10,11,9,0,5`))).toEqual([`c.csv:2: field "close": prices must be positive, got close "0" in "${T0},10,11,9,0,5" [data.row]`]);
  });

  it('reports every bad row (up to 20) in one error', () => {
    const lines = rows(30).map((l) => l.replace(/,\d+$/, ',-1'));
    const errors = rejection(() => parseCandlesCsv(csv(...lines), 'c.csv'));
    expect(errors).toHaveLength(20);
    expect(errors.map((e) => e.location.line)).toEqual(Array.from({ length: 20 }, (_, i) => i + 2));
  });
});

describe('file handling', () => {
  it('reads CRLF line endings exactly like LF', () => {
    const text = csv(...rows(5));
    const lf = parseCandlesCsv(text, 'c.csv');
    const crlf = parseCandlesCsv(text.replace(/\n/g, '\r\n'), 'c.csv');
    expect({ ...crlf, sha256: '' }).toEqual({ ...lf, sha256: '' });
    expect(crlf.length).toBe(5);
  });

  it('accepts a UTF-8 byte-order mark before the header', () => {
    expect(parseCandlesCsv('\uFEFF' + csv(...rows(2)), 'c.csv').length).toBe(2);
  });

  it('skips blank lines (they are not rows) but keeps counting lines', () => {
    const [a, b, c] = rows(3);
    const text = [HEADER, a, '', b, '   ', c!.replace(',102,', ',x,')].join('\n');
    expect(messages(text)).toEqual(['c.csv:6: field "open": open "x" is not a finite number [data.row]']);
  });

  it('loads a gzipped file and a plain one to the same series, each with the sha256 of its own bytes', () => {
    const text = csv(...rows(20));
    const plain = scratchFile('plain.csv', text);
    const gz = gzipSync(Buffer.from(text));
    const zipped = scratchFile('zipped.csv.gz', gz);
    const a = loadCandles(plain);
    const b = loadCandles(zipped);
    expect(a.sha256).toBe(createHash('sha256').update(text).digest('hex'));
    expect(b.sha256).toBe(createHash('sha256').update(gz).digest('hex'));
    expect({ ...b, file: '', sha256: '' }).toEqual({ ...a, file: '', sha256: '' });
  });

  it('rejects a gzip file that does not decompress, naming the file', () => {
    const path = scratchFile('broken.csv.gz', Buffer.from([0x1f, 0x8b, 0x08, 0x00, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
    const [error] = rejection(() => loadCandles(path));
    expect(error!.code).toBe('data.gzip');
    expect(error!.format()).toMatch(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: file looks gzipped but does not decompress: .+ \\[data\\.gzip\\]$`));
  });

  it('rejects a truncated gzip file', () => {
    const gz = gzipSync(Buffer.from(csv(...rows(200))));
    const path = scratchFile('truncated.csv.gz', gz.subarray(0, gz.length >> 1));
    expect(rejection(() => loadCandles(path)).map((e) => e.code)).toEqual(['data.gzip']);
  });

  it('rejects an empty file, naming it', () => {
    const path = scratchFile('empty.csv', '');
    expect(rejection(() => loadCandles(path)).map((e) => e.format())).toEqual([`${path}: the file is empty (not even a header) [data.empty]`]);
  });

  it('rejects a file with a header and no rows', () => {
    expect(messages(HEADER + '\n')).toEqual(['c.csv: no candles in file [data.empty]']);
  });

  it('rejects a missing file, naming it', () => {
    const path = join(scratch, 'nope.csv');
    const [error] = rejection(() => loadCandles(path));
    expect(error!.code).toBe('data.read');
    expect(error!.format().startsWith(`${path}: cannot read candle file: `)).toBe(true);
  });
});

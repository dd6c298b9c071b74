import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BarflowError, BarflowErrors } from '../core/errors.ts';
import { parseCandlesCsv } from './candles-csv.ts';

/** The real ETH 5m rows (header dropped); slices of them are corrupted below. */
const REAL = gunzipSync(readFileSync(fileURLToPath(new URL('../../data/ethusdt-binance-spot-5m.csv.gz', import.meta.url))))
  .toString('utf8')
  .split('\n')
  .filter((line) => line.trim() !== '');
const HEADER = REAL[0]!;
const BODY = REAL.slice(1);

type Corruption =
  | { kind: 'swap'; a: number; b: number }
  | { kind: 'duplicate'; row: number; at: number }
  | { kind: 'delete-cell'; row: number; cell: number; withComma: boolean }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'edit-cell'; row: number; cell: number; text: string }
  /** the exchange restating a candle: a copy with another volume right after it (a legal duplicate) */
  | { kind: 'restate'; row: number; volume: number };

const GARBAGE = [
  '', '   ', ',,,,,', 'time,open,high,low,close,volume', 'NaN,NaN,NaN,NaN,NaN,NaN', '1,2,3', '0x10,1,2,0.5,1,1', 'Infinity,1,1,1,1,1',
  '1e20,1,2,0.5,1,1', '-1,1,2,0.5,1,1', '1609459200,1,2,0.5,1,1', '1609459200000,1,2,0.5,1,1', '1609459200001,1,2,0.5,1,1',
  '9999999999999999999999,1,2,0.5,1,1', '"1609459200000",1,2,0.5,1,1', '\r', '\u0000', '🙂,🙂,🙂,🙂,🙂,🙂',
];
const CELL_TEXT = ['', ' ', 'NaN', '-1', '0', '1e400', '0x1f', 'abc', '1,5', '3.', '.5', '-0', '+7', '1e-7', '99999999'];

const corruption = (rows: number): fc.Arbitrary<Corruption> =>
  fc.oneof(
    fc.record({ kind: fc.constant('swap' as const), a: fc.nat({ max: rows - 1 }), b: fc.nat({ max: rows - 1 }) }),
    fc.record({ kind: fc.constant('duplicate' as const), row: fc.nat({ max: rows - 1 }), at: fc.nat({ max: rows }) }),
    fc.record({ kind: fc.constant('delete-cell' as const), row: fc.nat({ max: rows - 1 }), cell: fc.nat({ max: 5 }), withComma: fc.boolean() }),
    fc.record({ kind: fc.constant('insert' as const), at: fc.nat({ max: rows + 1 }), text: fc.oneof(fc.constantFrom(...GARBAGE), fc.string({ maxLength: 40 })) }),
    fc.record({ kind: fc.constant('edit-cell' as const), row: fc.nat({ max: rows - 1 }), cell: fc.nat({ max: 5 }), text: fc.constantFrom(...CELL_TEXT) }),
    { arbitrary: fc.record({ kind: fc.constant('restate' as const), row: fc.nat({ max: rows - 1 }), volume: fc.double({ min: 0, max: 1e6, noNaN: true }) }), weight: 4 },
  );

const ROWS = 60;
/** a slice of real rows (sometimes one spanning a known gap), the header, and 1–4 corruptions */
const corrupted = fc
  .record({
    start: fc.oneof(fc.integer({ min: 0, max: BODY.length - ROWS }), fc.integer({ min: 5930 - ROWS + 5, max: 5930 - 5 })),
    corruptions: fc.array(corruption(ROWS), { minLength: 1, maxLength: 4 }),
  })
  .map(({ start, corruptions }) => {
    const lines = [HEADER, ...BODY.slice(start, start + ROWS)];
    for (const c of corruptions) {
      // indices are 1-based into `lines` for rows (0 is the header), clamped to what is there now
      const pick = (n: number) => 1 + (n % Math.max(1, lines.length - 1));
      if (c.kind === 'swap') {
        const a = pick(c.a);
        const b = pick(c.b);
        [lines[a], lines[b]] = [lines[b]!, lines[a]!];
      } else if (c.kind === 'duplicate') {
        lines.splice(1 + (c.at % lines.length), 0, lines[pick(c.row)]!);
      } else if (c.kind === 'delete-cell') {
        const r = pick(c.row);
        const cells = lines[r]!.split(',');
        if (c.withComma) cells.splice(c.cell % cells.length, 1);
        else cells[c.cell % cells.length] = '';
        lines[r] = cells.join(',');
      } else if (c.kind === 'insert') {
        lines.splice(c.at % (lines.length + 1), 0, c.text);
      } else if (c.kind === 'edit-cell') {
        const r = pick(c.row);
        const cells = lines[r]!.split(',');
        cells[c.cell % cells.length] = c.text;
        lines[r] = cells.join(',');
      } else {
        const r = pick(c.row);
        const cells = lines[r]!.split(',');
        cells[5] = String(c.volume);
        lines.splice(r + 1, 0, cells.join(','));
      }
    }
    return lines.join('\n');
  });

describe('the candle loader on corrupted real data', () => {
  it('either accounts for every row (duplicates listed) or throws BarflowError(s) naming a line', () => {
    let accepted = 0;
    let rejected = 0;
    fc.assert(
      fc.property(corrupted, (text) => {
        let series;
        try {
          series = parseCandlesCsv(text, 'slice.csv');
        } catch (error) {
          if (!(error instanceof BarflowErrors) && !(error instanceof BarflowError)) throw new Error(`loader threw ${String(error)}`);
          const errors = error instanceof BarflowErrors ? error.errors : [error];
          const lineCount = text.split('\n').length;
          expect(errors.length).toBeGreaterThan(0);
          for (const e of errors) {
            expect(e).toBeInstanceOf(BarflowError);
            expect(e.location.file).toBe('slice.csv');
            expect(e.location.line, e.format()).toBeGreaterThanOrEqual(1);
            expect(e.location.line, e.format()).toBeLessThanOrEqual(lineCount);
            expect(e.format()).toMatch(/^slice\.csv:\d+: /);
          }
          rejected++;
          return;
        }
        accepted++;
        // every non-blank line after the header is a row: either kept, or replaced by a later duplicate
        const lines = text.split('\n');
        const dataLines = lines.map((line, i) => ({ line: i + 1, text: line.replace(/\r$/, '') })).filter((l, i) => i > 0 && l.text.trim() !== '');
        expect(series.length + series.duplicates.length).toBe(dataLines.length);
        const timeOfLine = new Map(dataLines.map((l) => [l.line, Number(l.text.split(',')[0])]));
        for (const d of series.duplicates) {
          expect(d.replacedLine).toBeLessThan(d.keptLine);
          expect(timeOfLine.get(d.keptLine)).toBe(d.time);
          expect(timeOfLine.get(d.replacedLine)).toBe(d.time);
        }
        // what was kept is, for each time, the last row written with it, in file order
        const last = new Map<number, number[]>();
        for (const l of dataLines) last.set(Number(l.text.split(',')[0]), l.text.split(',').map(Number));
        expect(series.length).toBe(last.size);
        let k = 0;
        for (const [time, values] of last) {
          const got = [series.time[k], series.open[k], series.high[k], series.low[k], series.close[k], series.volume[k]];
          if (got.some((v, c) => v !== values[c])) throw new Error(`row ${k} (${time}) is ${got.join(',')}, expected ${values.join(',')}`);
          k++;
        }
      }),
      { seed: 42, numRuns: 400 },
    );
    // the generator exercises both outcomes
    expect(accepted).toBeGreaterThan(60);
    expect(rejected).toBeGreaterThan(100);
  });
});

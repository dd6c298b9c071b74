import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { Decimal } from 'decimal.js';
import { BarflowError, quote } from '../../core/errors.ts';
import { money } from './money.ts';

/**
 * Funding settles at fixed instants (every 8 h from 00:00 UTC on the spec's venue). The settlements
 * due when a bar opens are those after the previous bar's open and up to this bar's open, so a
 * settlement that falls inside a data gap is still booked, on the first bar after it.
 */
export function settlementsBetween(previousOpen: number, open: number, intervalMs: number, offsetMs: number): number[] {
  const out: number[] = [];
  let k = Math.floor((previousOpen - offsetMs) / intervalMs) + 1;
  for (let t = k * intervalMs + offsetMs; t <= open; t = ++k * intervalMs + offsetMs) out.push(t);
  return out;
}

/** A funding-rate file: `time,funding_rate` rows, time in ms UTC on the settlement grid. */
export function loadFundingSeries(file: string): Map<number, Decimal> {
  let text: string;
  try {
    const bytes = readFileSync(file);
    text = (bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes).toString('utf8');
  } catch (error) {
    throw new BarflowError('funding.read', `cannot read funding file: ${(error as Error).message}`, { file });
  }
  const lines = text.split('\n');
  const header = (lines[0] ?? '').trim();
  if (header !== 'time,funding_rate') throw new BarflowError('funding.header', `header must be "time,funding_rate", got ${quote(header)}`, { file, line: 1 });
  const rates = new Map<number, Decimal>();
  let previous = -Infinity;
  for (let i = 1; i < lines.length; i++) {
    const row = lines[i]!.trim();
    if (row === '') continue;
    const [timeText, rateText, extra] = row.split(',');
    const time = Number(timeText);
    const rate = Number(rateText);
    if (extra !== undefined || !Number.isInteger(time) || !Number.isFinite(rate) || rateText === undefined || rateText.trim() === '') {
      throw new BarflowError('funding.row', `expected time,funding_rate with a whole ms time and a finite rate, got ${quote(row)}`, { file, line: i + 1 }, row);
    }
    if (time <= previous) throw new BarflowError('funding.order', `settlement ${time} is not after the previous one (${previous})`, { file, line: i + 1 }, time);
    previous = time;
    rates.set(time, money(rateText.trim()));
  }
  return rates;
}

import type { Decimal } from 'decimal.js';
import type { Mark } from './ledger.ts';
import { Money } from './money.ts';

/**
 * The equity at each bar's close, kept as what determines it (see Ledger): the float columns of
 * every bar — open time, float equity, close, signed lots — in typed arrays grown by doubling, and
 * the decimal money — cash and the open position's mark — as runs, since it changes only at fills
 * and settlements (a few hundred times in a run of 65k bars). So a bar costs four stores, and a run
 * leaves a handful of flat arrays instead of six growing arrays of pointers for the GC to trace:
 * this is the batch executor's inner loop (engine/batch), once per bar and parameter set.
 */
export class EquityTape {
  length = 0;
  private timeColumn = new Float64Array(INITIAL);
  private equityColumn = new Float64Array(INITIAL);
  private closeColumn = new Float64Array(INITIAL);
  private lotsColumn = new Float64Array(INITIAL);
  /** run r covers bars runFrom[r] .. runFrom[r + 1] − 1 */
  private readonly runFrom: number[] = [];
  private readonly runCash: Decimal[] = [];
  private readonly runMark: (Mark | null)[] = [];
  /** the run last looked up: reports read bars in order */
  private hint = 0;

  push(time: number, equity: number, cash: Decimal, mark: Mark | null, close: number, lots: number): void {
    const n = this.length;
    if (n === this.timeColumn.length) this.grow();
    this.timeColumn[n] = time;
    this.equityColumn[n] = equity;
    this.closeColumn[n] = close;
    this.lotsColumn[n] = lots;
    const last = this.runFrom.length - 1;
    if (last < 0 || this.runCash[last] !== cash || this.runMark[last] !== mark) {
      this.runFrom.push(n);
      this.runCash.push(cash);
      this.runMark.push(mark);
    }
    this.length = n + 1;
  }

  /** Makes room for `bars` bars in all (a run that knows its length grows its columns once). */
  reserve(bars: number): void {
    if (bars > this.timeColumn.length) this.resize(bars);
  }

  timeAt(i: number): number {
    return this.timeColumn[this.check(i)]!;
  }

  equityAt(i: number): number {
    return this.equityColumn[this.check(i)]!;
  }

  closeAt(i: number): number {
    return this.closeColumn[this.check(i)]!;
  }

  lotsAt(i: number): number {
    return this.lotsColumn[this.check(i)]!;
  }

  cashAt(i: number): Decimal {
    return this.runCash[this.runOf(this.check(i))]!;
  }

  markAt(i: number): Mark | null {
    return this.runMark[this.runOf(this.check(i))]!;
  }

  /** Exact equity at bar `i`: cash + close × k − base. */
  exactAt(i: number): Decimal {
    const r = this.runOf(this.check(i));
    const mark = this.runMark[r]!;
    const cash = this.runCash[r]!;
    return mark === null ? cash : cash.plus(new Money(this.closeColumn[i]!).times(mark.k).minus(mark.base));
  }

  /** Copies of bars from .. to − 1 of a column. */
  times(from = 0, to = this.length): Float64Array {
    return this.timeColumn.slice(from, Math.min(to, this.length));
  }

  equities(from = 0, to = this.length): Float64Array {
    return this.equityColumn.slice(from, Math.min(to, this.length));
  }

  positionLots(from = 0, to = this.length): Float64Array {
    return this.lotsColumn.slice(from, Math.min(to, this.length));
  }

  /** Forgets every bar from `length` on (a venue restoring a snapshot). */
  truncate(length: number): void {
    if (length > this.length) throw new RangeError(`cannot truncate an equity tape of ${this.length} bars to ${length}`);
    this.length = length;
    while (this.runFrom.length > 0 && this.runFrom[this.runFrom.length - 1]! >= length) {
      this.runFrom.pop();
      this.runCash.pop();
      this.runMark.pop();
    }
    this.hint = 0;
  }

  private check(i: number): number {
    if (!(i >= 0 && i < this.length)) throw new RangeError(`bar ${i} is outside the equity tape (0 .. ${this.length - 1})`);
    return i;
  }

  private runOf(i: number): number {
    const from = this.runFrom;
    let r = this.hint;
    if (r >= from.length || from[r]! > i) r = 0;
    // sequential reads move a run or two; anything else binary-searches
    if (r + 1 < from.length && from[r + 1]! <= i) {
      if (r + 2 < from.length && from[r + 2]! <= i) r = lastRunAtOrBefore(from, i);
      else r++;
    }
    this.hint = r;
    return r;
  }

  private grow(): void {
    this.resize(this.timeColumn.length * 2);
  }

  private resize(size: number): void {
    this.timeColumn = grown(this.timeColumn, size);
    this.equityColumn = grown(this.equityColumn, size);
    this.closeColumn = grown(this.closeColumn, size);
    this.lotsColumn = grown(this.lotsColumn, size);
  }
}

const INITIAL = 1024;

function grown(column: Float64Array, size: number): Float64Array<ArrayBuffer> {
  const next = new Float64Array(size);
  next.set(column);
  return next;
}

/** The last r with from[r] ≤ i (from ascending, from[0] = 0). */
function lastRunAtOrBefore(from: readonly number[], i: number): number {
  let lo = 0;
  let hi = from.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (from[mid]! <= i) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Warm-up honesty: once a pipeline has had `warmupBars(plan, interval)` bars, the outputs of its
 * signal part no longer depend on how much earlier history was fed. For every shipped pipeline the
 * ETH 5m data is fed from index 0 and from index k, and every compared output must agree from bar
 * k + warmupBars on: numbers to 1e-9 of the output's mean magnitude (MACD and the like cross zero,
 * so a per-value relative test would be meaningless there), bools and texts exactly.
 *
 * Compared: nodes outside the account, risk and executor categories; outputs of type series, bool
 * or text; not the outputs a definition lists as historyDependent. The runs have no venue: with
 * one, a run fed from 0 would have traded before k and its account (and the cooldown gates that
 * read it) would legitimately differ.
 */
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CandleSeries } from '../../engine/data/candles-csv.ts';
import type { Bar } from '../../engine/core/trading.ts';
import { IncrementalRunner } from '../../engine/incremental/runner.ts';
import { compilePipelineText } from '../../engine/pipeline/compile.ts';
import type { CompiledPipeline } from '../../engine/pipeline/plan.ts';
import { runBacktest } from '../../engine/run/backtest.ts';
import { warmupBars } from '../../engine/run/warmup.ts';
import { registry } from '../../nodes/index.ts';
import { compileShipped, ethBars, shippedPipelines } from '../support/shipped.ts';

const BARS = 20_000;
/** 3000 starts on a 1h boundary; 7000 (after the data gaps at 5930 and 6890) starts mid-period. */
const STARTS = [3000, 7000];
const SKIPPED_CATEGORIES = new Set(['account', 'risk', 'executor']);
const COMPARED_TYPES = new Set(['series', 'bool', 'text']);
const TOLERANCE = 1e-9;

interface Column {
  node: number;
  port: string;
  name: string;
  type: string;
}

function comparedColumns(plan: CompiledPipeline): Column[] {
  const columns: Column[] = [];
  for (const node of plan.nodes) {
    if (SKIPPED_CATEGORIES.has(node.def.category)) continue;
    const exempt = new Set<string>(node.def.historyDependent ?? []);
    for (const [port, spec] of Object.entries(node.def.outputs)) {
      if (!COMPARED_TYPES.has(spec.type) || exempt.has(port)) continue;
      columns.push({ node: node.index, port, name: `${node.id}.${port}`, type: spec.type });
    }
  }
  return columns;
}

/** Feeds data[from..] through a venue-less runner and records every column at every bar (indexed like `data`). */
function record(plan: CompiledPipeline, data: CandleSeries, from: number, columns: Column[]): unknown[][] {
  const runner = new IncrementalRunner(plan, { venue: null });
  const values = columns.map(() => new Array<unknown>(data.length));
  let i = from;
  runner.onBar((r) => {
    for (let c = 0; c < columns.length; c++) values[c]![i] = r.outputsOf(columns[c]!.node)[columns[c]!.port];
  });
  for (; i < data.length; i++) {
    const bar: Bar = { time: data.time[i]!, open: data.open[i]!, high: data.high[i]!, low: data.low[i]!, close: data.close[i]!, volume: data.volume[i]!, interval: data.intervalMs, complete: true };
    runner.push(bar, i === from ? 0 : data.gapBefore[i]!, true);
  }
  return values;
}

interface Mismatch {
  column: string;
  bars: number;
  firstBar: number;
  worst: number;
  detail: string;
}

/** Every column whose values differ (beyond tolerance) on bars [from, end), with its worst case. */
function compare(columns: Column[], full: unknown[][], late: unknown[][], from: number, end: number): Mismatch[] {
  const mismatches: Mismatch[] = [];
  columns.forEach((column, c) => {
    const a = full[c]!;
    const b = late[c]!;
    let scale = 0;
    if (column.type === 'series') {
      let count = 0;
      for (let i = from; i < end; i++) {
        const v = a[i] as number;
        if (Number.isFinite(v)) {
          scale += Math.abs(v);
          count++;
        }
      }
      scale = count > 0 ? scale / count : 0;
    }
    const unit = Math.max(scale, 1e-12);
    let bars = 0;
    let firstBar = -1;
    let worst = 0;
    let detail = '';
    for (let i = from; i < end; i++) {
      const x = a[i];
      const y = b[i];
      let off = 0;
      if (column.type === 'series') {
        const nx = x as number;
        const ny = y as number;
        if (Number.isNaN(nx) || Number.isNaN(ny)) off = Number.isNaN(nx) === Number.isNaN(ny) ? 0 : Infinity;
        else off = Math.abs(nx - ny) / unit;
        if (!(off <= TOLERANCE)) {
          if (off > worst || firstBar < 0) detail = `bar ${i}: ${nx} (from 0) vs ${ny} (from k), ${off.toExponential(2)} of mean |value| ${scale.toPrecision(4)}`;
        }
      } else if (x !== y) {
        off = Infinity;
        if (firstBar < 0) detail = `bar ${i}: ${JSON.stringify(x)} (from 0) vs ${JSON.stringify(y)} (from k)`;
      }
      if (!(off <= TOLERANCE)) {
        bars++;
        if (firstBar < 0) firstBar = i;
        if (off > worst) worst = off;
      }
    }
    if (bars > 0) mismatches.push({ column: column.name, bars, firstBar, worst, detail });
  });
  return mismatches;
}

const format = (m: Mismatch[]) => m.map((x) => `${x.column}: ${x.bars} bars differ from bar ${x.firstBar}; worst ${x.detail}`);

describe.each(shippedPipelines().map((file) => [basename(file), file] as const))('warm-up of %s', (_name, file) => {
  const plan = compileShipped(file);
  const data = ethBars(BARS);
  const warm = warmupBars(plan, data.intervalMs);
  const columns = comparedColumns(plan);
  let full: unknown[][] | undefined;
  const fromZero = () => (full ??= record(plan, data, 0, columns));

  it('has signal outputs to compare and a warm-up that fits the test data', () => {
    expect(columns.length).toBeGreaterThan(5);
    for (const k of STARTS) expect(k + warm).toBeLessThan(BARS - 1000);
  });

  it.each(STARTS)('gives the same signal outputs after warm-up whether fed from bar 0 or from bar %i', (k) => {
    const late = record(plan, data, k, columns);
    expect(format(compare(columns, fromZero(), late, k + warm, BARS))).toEqual([]);
  });

  it('makes a --from run (warm-up fed from earlier data) show the values of a run over all the data', () => {
    // the production path: runBacktest starts warmupBars before --from, with trading off
    // Both runs trade here, each from its own first bar, so nodes that read the account (cooldown
    // gates and what they feed) legitimately differ: only the account-free part is compared.
    const k = 9001;
    const tainted = readsAccount(plan);
    const free = columns.filter((c) => !tainted.has(c.node));
    const names = free.map((c) => c.name);
    const all = runBacktest(plan, data, { dump: names });
    const late = runBacktest(plan, data, { from: data.time[k]!, dump: names });
    expect(late.startIndex).toBe(k - warm);
    const parse = (rows: readonly string[], offset: number) => free.map((column, c) => {
      const out = new Array<unknown>(data.length);
      rows.forEach((row, j) => {
        const cell = splitCsv(row)[c + 1]!;
        out[offset + j] = column.type === 'series' ? (cell === '' ? NaN : Number(cell)) : column.type === 'bool' ? cell === 'true' : cell;
      });
      return out;
    });
    expect(format(compare(free, parse(all.values!.rows, 0), parse(late.values!.rows, k), k, BARS))).toEqual([]);
  });
});

describe('warm-up of a resampled window starting mid-period', () => {
  // resample → SMA of the opens: a window (settle = warm-up) right behind the resampler, so the
  // pipeline's warm-up has no slack. Starting mid-hour makes the first 1h bar a partial one whose
  // open is not the hour's; the warm-up must last until it has left the window.
  const yaml = [
    'pipeline: resampled-window',
    'nodes:',
    '  candles:',
    '    type: feed.replay',
    '    params: { file: unused.csv }',
    '  h1:',
    '    type: transform.resample',
    '    params: { timeframe: 1h }',
    '    in: { bar: candles.bar }',
    '  sma:',
    '    type: indicator.sma',
    '    params: { period: 20 }',
    '    in: { source: h1.open }',
    '',
  ].join('\n');

  it.each([3000, 3001, 3005, 3011])('gives the full-history SMA from the first traded bar with --from at bar %i', (k) => {
    const plan = compilePipelineText(yaml, 'resampled-window.yaml', registry);
    const data = ethBars(5000);
    const all = runBacktest(plan, data, { dump: ['sma.value'] });
    const late = runBacktest(plan, data, { from: data.time[k]!, dump: ['sma.value'] });
    const differing = late.values!.rows.flatMap((row, j) => {
      const a = Number(all.values!.rows[k + j]!.split(',')[1]);
      const b = Number(row.split(',')[1]);
      return Math.abs(a - b) <= 1e-9 * Math.abs(a) ? [] : [`bar ${k + j}: ${a} vs ${b} (start ${late.startIndex})`];
    });
    expect(differing).toEqual([]);
  });
});

/** Indices of the nodes that read the venue's account, directly or through other nodes. */
function readsAccount(plan: CompiledPipeline): Set<number> {
  const tainted = new Set<number>();
  for (const node of plan.nodes) {
    if (node.def.role === 'account' || node.upstream.some((u) => tainted.has(u))) tainted.add(node.index);
  }
  return tainted;
}

/** Cells of one values.csv row (texts may be quoted). */
function splitCsv(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else cell += ch;
  }
  cells.push(cell);
  return cells;
}

/**
 * Warm-up honesty: once a pipeline has had `warmupBars(plan, interval)` bars, the outputs of its
 * signal part no longer depend on how much earlier history was fed. For every shipped pipeline the
 * ETH 5m data is fed from index 0 and from index k, and every compared output must agree from bar
 * k + warmupBars on: numbers to 1e-9 of the output's mean magnitude (MACD and the like cross zero,
 * so a per-value relative test would be meaningless there), bools and texts exactly.
 *
 * Compared: nodes outside the account, risk and executor categories; outputs of type series, bool
 * or text; not the outputs a definition lists as historyDependent, nor indicators computed from
 * them (an SMA of OBV inherits OBV's arbitrary level). The runs have no venue: with
 * one, a run fed from 0 would have traded before k and its account (and the cooldown gates that
 * read it) would legitimately differ.
 */
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CandleSeries } from '../../engine/data/candles-csv.ts';
import { IncrementalRunner } from '../../engine/incremental/runner.ts';
import { compilePipelineText } from '../../engine/pipeline/compile.ts';
import type { CompiledPipeline } from '../../engine/pipeline/plan.ts';
import { paperVenueOf, runBacktest } from '../../engine/run/backtest.ts';
import { warmupBars } from '../../engine/run/warmup.ts';
import { registry } from '../../nodes/index.ts';
import { barAt } from '../support/observe.ts';
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
    // The compiler carries history dependence downstream (an SMA of OBV, everything that reads the account).
    const exempt = new Set<string>(node.historyDependent);
    for (const [port, spec] of Object.entries(node.def.outputs)) {
      if (!COMPARED_TYPES.has(spec.type) || exempt.has(port)) continue;
      columns.push({ node: node.index, port, name: `${node.id}.${port}`, type: spec.type });
    }
  }
  return columns;
}

interface Mismatch {
  column: string;
  bars: number;
  firstBar: number;
  detail: string;
}

interface Accumulator {
  /** series: Σ|a| and how many finite a, for the mean magnitude */
  sum: number;
  count: number;
  /** series: the largest |a − b| (NaN on one side only counts as a mismatch of its own) */
  worst: number;
  worstAt: number;
  worstA: unknown;
  worstB: unknown;
  /** bool/text mismatches and NaN-on-one-side, with the first one */
  bad: number;
  firstBad: number;
  firstA: unknown;
  firstB: unknown;
}

const accumulator = (): Accumulator => ({ sum: 0, count: 0, worst: 0, worstAt: -1, worstA: null, worstB: null, bad: 0, firstBad: -1, firstA: null, firstB: null });

/**
 * Feeds the data from bar 0 to one venue-less runner and, in lockstep, from each start k to
 * another, comparing every column from bar k + warm on (no values are held: a 177-node pipeline
 * over the whole data would not fit).
 */
function compareStarts(plan: CompiledPipeline, data: CandleSeries, starts: readonly number[], warm: number, columns: Column[]): Map<number, Mismatch[]> {
  const reference = new IncrementalRunner(plan, { venue: null });
  const late = starts.map(() => new IncrementalRunner(plan, { venue: null }));
  const acc = starts.map(() => columns.map(accumulator));
  for (let i = 0; i < data.length; i++) {
    reference.push(barAt(data, i), i === 0 ? 0 : data.gapBefore[i]!, true);
    starts.forEach((k, s) => {
      if (i < k) return;
      late[s]!.push(barAt(data, i), i === k ? 0 : data.gapBefore[i]!, true);
      if (i < k + warm) return;
      columns.forEach((column, c) => {
        const a = reference.outputsOf(column.node)[column.port];
        const b = late[s]!.outputsOf(column.node)[column.port];
        const x = acc[s]![c]!;
        if (column.type === 'series') {
          const na = Number.isNaN(a as number);
          if (!na) {
            x.sum += Math.abs(a as number);
            x.count++;
          }
          if (na || Number.isNaN(b as number)) {
            if (na === Number.isNaN(b as number)) return;
          } else {
            const d = Math.abs((a as number) - (b as number));
            if (d > x.worst) Object.assign(x, { worst: d, worstAt: i, worstA: a, worstB: b });
            return;
          }
        } else if (a === b) return;
        if (x.bad++ === 0) Object.assign(x, { firstBad: i, firstA: a, firstB: b });
      });
    });
  }
  return new Map(
    starts.map((k, s) => [
      k,
      columns.flatMap((column, c): Mismatch[] => {
        const x = acc[s]![c]!;
        const scale = x.count > 0 ? x.sum / x.count : 0;
        const relative = x.worst / Math.max(scale, 1e-12);
        const problems: string[] = [];
        if (relative > TOLERANCE) problems.push(`worst at bar ${x.worstAt}: ${String(x.worstA)} (from 0) vs ${String(x.worstB)} (from ${k}), off by ${relative.toExponential(2)} of the mean |value| ${scale.toPrecision(4)}`);
        if (x.bad > 0) problems.push(`${x.bad} bars differ outright, first at bar ${x.firstBad}: ${JSON.stringify(x.firstA)} (from 0) vs ${JSON.stringify(x.firstB)} (from ${k})`);
        return problems.length === 0 ? [] : [{ column: column.name, bars: x.bad, firstBar: x.firstBad, detail: problems.join('; ') }];
      }),
    ]),
  );
}

const format = (m: Mismatch[]) => m.map((x) => `${x.column}: ${x.detail}`);

describe.each(shippedPipelines().map((file) => [basename(file), file] as const))('warm-up of %s', (_name, file) => {
  const plan = compileShipped(file);
  const all = ethBars();
  const warm = warmupBars(plan, all.intervalMs);
  // 20k bars where the warm-up allows, more (up to all the data) where it needs them
  const data = ethBars(Math.min(all.length, Math.max(BARS, Math.max(...STARTS) + warm + 3000)));
  const columns = comparedColumns(plan);
  let results: Map<number, Mismatch[]> | undefined;
  const mismatches = (k: number) => (results ??= compareStarts(plan, data, STARTS, warm, columns)).get(k)!;

  it('has signal outputs to compare and a warm-up that leaves at least 3000 bars to compare on', () => {
    expect(columns.length).toBeGreaterThan(5);
    for (const k of STARTS) expect(k + warm + 3000).toBeLessThanOrEqual(data.length);
  });

  it.each(STARTS)('gives the same signal outputs after warm-up whether fed from bar 0 or from bar %i', (k) => {
    expect(format(mismatches(k))).toEqual([]);
  });

  it('makes a --from run start its warm-up warmupBars before --from, with trading off until then', () => {
    const k = Math.max(...STARTS) + warm;
    const run = runBacktest(plan, data, { from: data.time[k]! });
    expect(run.startIndex).toBe(k - warm);
    expect(run.firstIndex).toBe(k);
    const ledger = paperVenueOf(run)?.ledger;
    if (ledger) expect(ledger.fills.every((f) => f.time >= data.time[k]!)).toBe(true);
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
  const plan = compilePipelineText(yaml, 'resampled-window.yaml', registry);
  const data = ethBars(4000);
  const all = runBacktest(plan, data, { dump: ['sma.value'] });

  it.each([3000, 3001, 3005, 3011])('gives the full-history SMA from the first traded bar of a --from run starting at bar %i', (k) => {
    const late = runBacktest(plan, data, { from: data.time[k]!, dump: ['sma.value'] });
    const differing = late.values!.rows.flatMap((row, j) => {
      const a = Number(all.values!.rows[k + j]!.split(',')[1]);
      const b = Number(row.split(',')[1]);
      return Math.abs(a - b) <= 1e-9 * Math.abs(a) ? [] : [`bar ${k + j}: ${a} vs ${b} (warm-up from bar ${late.startIndex})`];
    });
    expect(differing).toEqual([]);
  });
});

describe('warm-up behind a history-dependent node', () => {
  // OBV's level depends on where the data began; whether it is above its own 20-bar average does
  // not, once the average's window holds only OBV changes of complete 1h bars. The warm-up must
  // carry the resampler's lead through OBV to what reads it.
  const yaml = [
    'pipeline: obv-cross',
    'nodes:',
    '  candles:',
    '    type: feed.replay',
    '    params: { file: unused.csv }',
    '  h1:',
    '    type: transform.resample',
    '    params: { timeframe: 1h }',
    '    in: { bar: candles.bar }',
    '  obv:',
    '    type: indicator.obv',
    '    in: { close: h1.close, volume: h1.volume }',
    '  average:',
    '    type: indicator.sma',
    '    params: { period: 20 }',
    '    in: { source: obv.value }',
    '  above:',
    '    type: signal.compare',
    "    params: { op: '>' }",
    '    in: { a: obv.value, b: average.value }',
    '',
  ].join('\n');
  const plan = compilePipelineText(yaml, 'obv-cross.yaml', registry);
  const data = ethBars(4000);
  const all = runBacktest(plan, data, { dump: ['above.value'] });

  it('exempts OBV and what reads it from the comparison, as the compiler marks them', () => {
    expect(comparedColumns(plan).map((c) => c.name)).toEqual(expect.arrayContaining(['h1.close']));
    for (const name of ['obv.value', 'average.value', 'above.value']) expect(comparedColumns(plan).map((c) => c.name)).not.toContain(name);
    expect(plan.byId.get('above')!.historyDependent).toEqual(['value']);
  });

  it.each([3144, 3147, 3150, 3155])('gives the full-history cross from the first traded bar of a --from run starting at bar %i', (k) => {
    const late = runBacktest(plan, data, { from: data.time[k]!, dump: ['above.value'] });
    const differing = late.values!.rows.flatMap((row, j) => (row === all.values!.rows[k + j] ? [] : [`bar ${k + j}: ${row} vs ${all.values!.rows[k + j]} (warm-up from bar ${late.startIndex})`]));
    expect(differing).toEqual([]);
  });
});

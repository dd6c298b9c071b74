import { csvLine } from '../run/csv.ts';
import { columns } from '../cli/table.ts';
import type { Point } from './methods.ts';
import { METRIC_COLUMNS, type RankedRow } from './objective.ts';
import type { SweepParam } from './spec.ts';

/**
 * results.csv: one row per parameter set, best first (rank, then set index). Columns: each swept
 * param (named node.param; the cell is the text `--set node.param=<cell>` reads back to the exact
 * value swept), the summary metrics of `barflow run` (METRIC_COLUMNS), the objective, the rank, and
 * `checked`: cpu where the metrics come from the exact float64 path (`barflow run --set` reproduces
 * them), gpu where they are a GPU sweep's float32 ranking.
 */
export function resultsCsv(params: readonly SweepParam[], rows: readonly RankedRow[]): string {
  const lines = [csvLine([...params.map((p) => p.name), ...METRIC_COLUMNS, 'objective', 'rank', 'checked'])];
  for (const row of rows) lines.push(csvLine([...paramTexts(params, row.point), ...METRIC_COLUMNS.map((k) => row.metrics[k]), row.objective, row.rank, row.checked ?? 'cpu']));
  return lines.join('\n') + '\n';
}

export function paramTexts(params: readonly SweepParam[], point: Point): string[] {
  return params.map((p, i) => p.values[point[i]!]!.text);
}

const dash = (v: unknown) => (v === null || v === undefined ? '—' : String(v));

/** The top `n` rows as an aligned table (with a `checked` column when any row is a GPU estimate). */
export function rankedTable(params: readonly SweepParam[], rows: readonly RankedRow[], objective: string, n = 10): string {
  const gpu = rows.some((r) => r.checked === 'gpu');
  const header = ['rank', ...params.map((p) => p.name), objective, 'net PnL', 'return %', 'max DD %', 'Sharpe', 'PF', 'trades', 'win %', ...(gpu ? ['checked'] : [])];
  const body = rows.slice(0, n).map((r) => [String(r.rank), ...paramTexts(params, r.point), dash(r.objective), r.metrics.netPnl, dash(r.metrics.returnPct), dash(r.metrics.maxDrawdownPct), dash(r.metrics.sharpe), dash(r.metrics.profitFactor), String(r.metrics.trades), dash(r.metrics.winRatePct), ...(gpu ? [r.checked ?? 'cpu'] : [])]);
  return columns([header, ...body])
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
}

/** A word for a POSIX shell: as is when safe, else single-quoted. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_\/.,:=@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

export interface CommandContext {
  /** the pipeline and --data paths as the user gave them */
  pipeline: string;
  data?: string;
  from?: string;
  to?: string;
}

/** `barflow run <pipeline> [--data …] [--from …] [--to …] --set node.param=<value> …` for one set. */
export function reproduceCommand(ctx: CommandContext, params: readonly SweepParam[], point: Point): string {
  const words = ['barflow', 'run', ctx.pipeline];
  if (ctx.data !== undefined) words.push('--data', ctx.data);
  if (ctx.from !== undefined) words.push('--from', ctx.from);
  if (ctx.to !== undefined) words.push('--to', ctx.to);
  params.forEach((p, i) => words.push('--set', `${p.name}=${p.values[point[i]!]!.text}`));
  return words.map(shellQuote).join(' ');
}

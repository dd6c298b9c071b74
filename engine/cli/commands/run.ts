import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BarflowError } from '../../core/errors.ts';
import { compilePipelineFile } from '../../pipeline/compile.ts';
import { lockedRefusal, lockPathFor, readLock, staticLockProblems } from '../../pipeline/lock.ts';
import { parseOverride } from '../../pipeline/overrides.ts';
import { loadPipelineData, runBacktest } from '../../run/backtest.ts';
import { summarise, writeReports, type RunSummary } from '../../run/reports.ts';
import { registry } from '../../../nodes/index.ts';
import { parseTimeArg } from '../dates.ts';
import { progressBar } from '../progress.ts';
import { keyValueTable } from '../table.ts';

export const RUN_USAGE = 'usage: barflow run <pipeline.yaml> [--data <csv>] [--from <date>] [--to <date>] [--out <dir>] [--dump <nodeId,...>] [--set <nodeId.param>=<value> ...] [--split <fraction>]';

/** `barflow run`: a backtest on replay data, with reports written to --out. */
export function runCommand(argv: string[]): number {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      data: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      out: { type: 'string' },
      dump: { type: 'string' },
      set: { type: 'string', multiple: true },
      quiet: { type: 'boolean' },
      split: { type: 'string' },
    },
  });
  const file = positionals[0];
  if (file === undefined || positionals.length > 1) {
    process.stderr.write(RUN_USAGE + '\n');
    return 2;
  }
  const overrides = (values.set ?? []).map(parseOverride);
  const plan = compilePipelineFile(file, registry, { overrides });
  if (plan.locked && overrides.length > 0) {
    throw new BarflowError('run.locked', `${plan.name} is locked: --set cannot change it. Fork it first: barflow fork ${file} <name>`, { file });
  }
  if (plan.locked) {
    const problems = staticLockProblems(plan, readLock(lockPathFor(file)));
    if (problems.length > 0) throw lockedRefusal(plan, problems);
  }
  const split = values.split === undefined ? undefined : Number(values.split);
  if (split !== undefined && !(split > 0 && split < 1)) {
    throw new BarflowError('cli.split', `--split ${JSON.stringify(values.split)} must be a fraction between 0 and 1 (e.g. 0.7)`, { field: '--split' }, values.split);
  }
  const data = loadPipelineData(plan, values.data);
  const dump = values.dump === undefined ? [] : values.dump.split(',').map((s) => s.trim()).filter(Boolean);
  const outDir = values.out ?? `out/${plan.name}`;
  let dumpFd: number | null = null;
  if (dump.length > 0) {
    mkdirSync(outDir, { recursive: true });
    dumpFd = openSync(join(outDir, 'values.csv'), 'w');
  }
  const result = runBacktest(plan, data, {
    dumpSink: dumpFd === null ? undefined : (text) => writeSync(dumpFd!, text),
    from: values.from === undefined ? undefined : parseTimeArg('--from', values.from),
    to: values.to === undefined ? undefined : parseTimeArg('--to', values.to),
    dump,
    onProgress: values.quiet ? undefined : progressBar(plan.name),
  });
  if (dumpFd !== null) closeSync(dumpFd);
  const summary = summarise(result, { split });
  const written = writeReports(outDir, result, summary);
  for (const d of data.duplicates.slice(0, 5)) process.stderr.write(`warning: ${data.file}: line ${d.keptLine} repeats the time of line ${d.replacedLine}; the later row was used\n`);
  if (data.duplicates.length > 5) process.stderr.write(`warning: ${data.duplicates.length - 5} more duplicate rows (see summary.json)\n`);
  if (!values.quiet) process.stdout.write(formatSummary(summary) + `\n\n  reports: ${written.join(', ')}\n`);
  return 0;
}

export function formatSummary(s: RunSummary): string {
  const parts = [
    `${s.pipeline}  ${s.dataFile} (${s.timeframe})  ${s.from ?? ''} → ${s.to ?? ''}`,
    keyValueTable([
      ['bars', `${s.bars} (+${s.warmupBars} warm-up)`],
      ['net PnL', `${s.netPnl} USDT`],
      ['return', `${s.returnPct}%`],
      ['max drawdown', `${s.maxDrawdownPct}% (${s.maxDrawdown} USDT)`],
      ['Sharpe (daily, ann.)', s.sharpe],
      ['trades', `${s.trades} (${s.wins} won, ${s.losses} lost)`],
      ['win rate', s.winRatePct === null ? null : `${s.winRatePct}%`],
      ['profit factor', s.profitFactor],
      ['fees', `${s.fees} USDT`],
      ['funding', `${s.funding} USDT`],
      ['slippage', `${s.slippage} USDT`],
      ['exposure', `${s.exposurePct}% of bars`],
      ['data', `${s.dataGaps} gaps (${s.missingBars} missing bars), ${s.duplicateRows} duplicate rows`],
      ['rejected orders', s.rejectedOrders],
      ['open at end', s.openPosition === null ? 'none' : `${s.openPosition['side']} ${s.openPosition['lots']} lots, unrealised ${s.openPosition['unrealizedPnl']}`],
      ['pipeline hash', s.pipelineHash],
    ]),
  ];
  if (s.split !== undefined) {
    const row = (label: string, m: NonNullable<RunSummary['split']>['inSample']) =>
      [label, `${m.from} → ${m.to}: net ${m.netPnl} (${m.returnPct}%), max DD ${m.maxDrawdownPct}%, ${m.trades} trades, win ${m.winRatePct ?? '—'}%, PF ${m.profitFactor ?? '—'}, Sharpe ${m.sharpe ?? '—'}`] as const;
    parts.push(`split at ${s.split.splitTime} (${s.split.fraction} in-sample)`, keyValueTable([row('in-sample', s.split.inSample), row('out-of-sample', s.split.outOfSample)]));
  }
  return parts.join('\n');
}

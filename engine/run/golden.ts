import { createHash } from 'node:crypto';
import { relative } from 'node:path';
import type { GoldenResult } from '../pipeline/lock.ts';
import type { CompiledPipeline } from '../pipeline/plan.ts';
import { loadPipelineData, paperVenueOf, pipelineDir, runBacktest } from './backtest.ts';
import { fillsCsv } from './reports.ts';
import { fmtMoney } from '../venues/paper/money.ts';

/** Runs a pipeline's golden backtest: its own data file, every bar, fills hashed as written to fills.csv. */
export function runGolden(plan: CompiledPipeline): GoldenResult {
  const data = loadPipelineData(plan);
  const result = runBacktest(plan, data);
  const venue = paperVenueOf(result);
  const fills = venue === null ? '' : fillsCsv(venue.ledger);
  return {
    data: relative(pipelineDir(plan), data.file),
    dataSha256: data.sha256,
    fillsSha256: createHash('sha256').update(fills).digest('hex'),
    fills: venue?.ledger.fills.length ?? 0,
    trades: venue?.ledger.trades.length ?? 0,
    netPnl: venue === null ? '0' : fmtMoney(venue.equity.minus(venue.config.initialEquity)),
    finalEquity: venue === null ? '0' : fmtMoney(venue.equity),
  };
}

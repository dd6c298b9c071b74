import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { formatTimeframe, isoTime } from '../core/timeframe.ts';
import { pipelineHash } from '../pipeline/normalise.ts';
import type { Decimal } from 'decimal.js';
import { fmtMoney, ZERO } from '../venues/paper/money.ts';
import type { Ledger } from '../venues/paper/ledger.ts';
import { ENGINE_VERSION } from '../version.ts';
import { paperVenueOf, type BacktestResult } from './backtest.ts';
import { csvLine } from './csv.ts';
import { computeMetrics, sliceWindow, type EquityWindow, type PerformanceMetrics } from './metrics.ts';

export interface RunSummary extends PerformanceMetrics {
  pipeline: string;
  pipelineHash: string;
  engineVersion: string;
  dataFile: string;
  dataSha256: string;
  timeframe: string;
  /** bars fed before the first traded bar (only with --from) */
  warmupBars: number;
  /** bars this pipeline needs before its outputs stop depending on where data began */
  pipelineWarmupBars: number;
  dataGaps: number;
  missingBars: number;
  duplicateRows: number;
  rejectedOrders: number;
  openPosition: Record<string, unknown> | null;
  /** with --split: the first part (in-sample) and the rest (out-of-sample), each measured on its own */
  split?: { fraction: number; splitTime: string; inSample: PerformanceMetrics; outOfSample: PerformanceMetrics };
}

/** The traded part of the run's equity curve (warm-up bars excluded). */
export function equityWindow(result: BacktestResult, ledger: Ledger): EquityWindow {
  const skip = result.firstIndex - result.startIndex;
  const tape = ledger.equity;
  return { time: tape.times(skip), equityF: tape.equities(skip), exact: (i) => tape.exactAt(skip + i), positionLots: tape.positionLots(skip) };
}

export function summarise(result: BacktestResult, options: { split?: number } = {}): RunSummary {
  const venue = paperVenueOf(result);
  const data = result.data;
  const window: EquityWindow = venue === null ? { time: new Float64Array(0), equityF: new Float64Array(0), exact: () => ZERO, positionLots: new Float64Array(0) } : equityWindow(result, venue.ledger);
  const metrics = venue === null ? emptyMetrics(result) : computeMetrics(venue.ledger, window, venue.config.initialEquity);
  const open = venue?.openPosition ?? null;
  const split = venue !== null && options.split !== undefined ? splitMetrics(venue.ledger, window, venue.config.initialEquity, options.split) : undefined;
  return {
    pipeline: result.plan.name,
    pipelineHash: pipelineHash(result.plan),
    engineVersion: ENGINE_VERSION,
    dataFile: basename(data.file),
    dataSha256: data.sha256,
    timeframe: formatTimeframe(data.intervalMs),
    warmupBars: result.firstIndex - result.startIndex,
    pipelineWarmupBars: result.warmupBars,
    ...metrics,
    dataGaps: data.gaps.length,
    missingBars: data.gaps.reduce((a, g) => a + g.missing, 0),
    duplicateRows: data.duplicates.length,
    rejectedOrders: venue?.ledger.rejections.length ?? 0,
    openPosition:
      open === null
        ? null
        : {
            side: open.side === 1 ? 'long' : 'short',
            lots: open.lots.toString(),
            entryTime: isoTime(open.entryTime),
            entryPrice: open.entryPrice.toString(),
            stop: open.stop?.toString() ?? null,
            unrealizedPnl: fmtMoney(venue!.unrealized),
          },
    ...(split === undefined ? {} : { split }),
  };
}

/** In-sample = the first `fraction` of the traded bars, out-of-sample = the rest; OOS starts from IS's last equity. */
function splitMetrics(ledger: Ledger, window: EquityWindow, initial: Decimal, fraction: number): RunSummary['split'] {
  const cut = Math.min(window.time.length - 1, Math.max(1, Math.round(window.time.length * fraction)));
  const splitTime = window.time[cut]!;
  return {
    fraction,
    splitTime: isoTime(splitTime),
    inSample: computeMetrics(ledger, sliceWindow(window, 0, cut), initial, undefined, splitTime - 1),
    outOfSample: computeMetrics(ledger, sliceWindow(window, cut, window.time.length), window.exact(cut - 1), splitTime),
  };
}

function emptyMetrics(result: BacktestResult): PerformanceMetrics {
  const t = result.data.time;
  return {
    from: isoTime(t[result.firstIndex]!),
    to: isoTime(t[result.lastIndex]!),
    bars: result.lastIndex - result.firstIndex + 1,
    initialEquity: fmtMoney(ZERO),
    finalEquity: fmtMoney(ZERO),
    netPnl: fmtMoney(ZERO),
    returnPct: 0,
    maxDrawdownPct: 0,
    maxDrawdown: fmtMoney(ZERO),
    sharpe: null,
    trades: 0,
    wins: 0,
    losses: 0,
    winRatePct: null,
    profitFactor: null,
    averageTradePnl: null,
    bestTradePnl: null,
    worstTradePnl: null,
    fees: fmtMoney(ZERO),
    funding: fmtMoney(ZERO),
    slippage: fmtMoney(ZERO),
    exposurePct: 0,
  };
}


/** Writes fills.csv, trades.csv, equity.csv, summary.json and (with --dump) values.csv. */
export function writeReports(outDir: string, result: BacktestResult, summary: RunSummary): string[] {
  mkdirSync(outDir, { recursive: true });
  const written: string[] = [];
  const write = (name: string, text: string) => {
    writeFileSync(join(outDir, name), text);
    written.push(join(outDir, name));
  };
  const venue = paperVenueOf(result);
  if (venue !== null) {
    const l = venue.ledger;
    write('fills.csv', fillsCsv(l));
    write('trades.csv', tradesCsv(l));
    write('equity.csv', equityCsv(equityWindow(result, l), l, result));
    write('rejections.csv', [csvLine(['time', 'command', 'reason']), ...l.rejections.map((r) => csvLine([isoTime(r.time), r.command, r.reason]))].join('\n') + '\n');
  }
  write('summary.json', JSON.stringify(summary, null, 2) + '\n');
  if (result.values !== null) {
    if (result.values.streamed) written.push(join(outDir, 'values.csv'));
    else write('values.csv', result.values.toCsv());
  }
  return written;
}

export function fillsCsv(l: Ledger): string {
  const lines = [csvLine(['time', 'side', 'price', 'lots', 'notional', 'fee', 'funding', 'reason', 'kind', 'position', 'slippage'])];
  for (const f of l.fills) {
    lines.push(csvLine([isoTime(f.time), f.side, f.price.toString(), f.lots.toString(), fmtMoney(f.notional), fmtMoney(f.fee), fmtMoney(f.funding), f.reason, f.kind, f.positionId, fmtMoney(f.slippage)]));
  }
  return lines.join('\n') + '\n';
}

function tradesCsv(l: Ledger): string {
  const header = ['id', 'side', 'entry_time', 'entry_price', 'exit_time', 'exit_price', 'lots', 'leverage', 'margin', 'gross_pnl', 'fees', 'funding', 'slippage', 'net_pnl', 'roi_pct', 'bars_held', 'entry_reason', 'exit_reason', 'exits', 'stop_path', 'entry_detail'];
  const lines = [csvLine(header)];
  for (const t of l.trades) {
    lines.push(
      csvLine([
        t.id,
        t.side === 1 ? 'long' : 'short',
        isoTime(t.entryTime),
        t.entryPrice.toString(),
        isoTime(t.exitTime),
        t.exitPrice.toDecimalPlaces(8).toString(),
        t.lots.toString(),
        t.leverage,
        fmtMoney(t.margin),
        fmtMoney(t.grossPnl),
        fmtMoney(t.fees),
        fmtMoney(t.funding),
        fmtMoney(t.slippage),
        fmtMoney(t.netPnl),
        t.roiPct.toDecimalPlaces(4).toString(),
        t.barsHeld,
        t.entryReason,
        t.exitReason,
        t.exits.map((e) => `${isoTime(e.time)} ${e.lots.toString()}@${e.price.toString()} ${e.reason}`).join('; '),
        t.stopPath.map((s) => `${isoTime(s.time)} ${s.price.toDecimalPlaces(6).toString()} ${s.reason}`).join('; '),
        t.entryDetail === undefined ? '' : JSON.stringify(t.entryDetail),
      ]),
    );
  }
  return lines.join('\n') + '\n';
}

function equityCsv(window: EquityWindow, l: Ledger, result: BacktestResult): string {
  const skip = result.firstIndex - result.startIndex;
  const lines = [csvLine(['time', 'equity', 'cash', 'unrealized', 'position_lots', 'drawdown_pct'])];
  let peak: Decimal | undefined;
  for (let i = 0; i < window.time.length; i++) {
    const e = window.exact(i);
    if (peak === undefined || e.gt(peak)) peak = e;
    const cash = l.equity.cashAt(skip + i);
    const dd = peak.isPositive() ? peak.minus(e).div(peak).times(100).toDecimalPlaces(6).toString() : '0';
    lines.push(csvLine([isoTime(window.time[i]!), fmtMoney(e), fmtMoney(cash), fmtMoney(e.minus(cash)), window.positionLots[i], dd]));
  }
  return lines.join('\n') + '\n';
}

import { isoTime } from '../core/timeframe.ts';
import { fmtMoney } from '../venues/paper/money.ts';
import type { FillRecord, TradeRecord } from '../venues/paper/ledger.ts';

/** Fills and trades as JSON for the server and the editor: the same fields as the CSV reports. */
export function fillJson(f: FillRecord) {
  return {
    time: f.time,
    iso: isoTime(f.time),
    side: f.side,
    price: f.price.toString(),
    lots: f.lots.toString(),
    notional: fmtMoney(f.notional),
    fee: fmtMoney(f.fee),
    funding: fmtMoney(f.funding),
    slippage: fmtMoney(f.slippage),
    reason: f.reason,
    kind: f.kind,
    position: f.positionId,
  };
}

export function tradeJson(t: TradeRecord) {
  return {
    id: t.id,
    side: t.side === 1 ? 'long' : 'short',
    entryTime: t.entryTime,
    entryPrice: t.entryPrice.toString(),
    exitTime: t.exitTime,
    exitPrice: t.exitPrice.toDecimalPlaces(8).toString(),
    lots: t.lots.toString(),
    leverage: t.leverage,
    margin: fmtMoney(t.margin),
    grossPnl: fmtMoney(t.grossPnl),
    fees: fmtMoney(t.fees),
    funding: fmtMoney(t.funding),
    slippage: fmtMoney(t.slippage),
    netPnl: fmtMoney(t.netPnl),
    roiPct: t.roiPct.toDecimalPlaces(4).toNumber(),
    barsHeld: t.barsHeld,
    entryReason: t.entryReason,
    entryDetail: t.entryDetail ?? null,
    exitReason: t.exitReason,
    exits: t.exits.map((e) => ({ time: e.time, price: e.price.toString(), lots: e.lots.toString(), reason: e.reason })),
    stopPath: t.stopPath.map((s) => ({ time: s.time, price: s.price.toNumber(), reason: s.reason })),
  };
}

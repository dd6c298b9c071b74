/**
 * Test-only (imported by *.test.ts): drive one ENYGMA gate, build account views, and evaluate the
 * whole §4 gate set plus the entry node for one situation, as the canonical pipeline wires them.
 */
import type { AnyNodeDefinition, StepContext } from '../../../engine/core/node-definition.ts';
import type { AccountView, Intent } from '../../../engine/core/trading.ts';
import { paramsOf } from '../../_kit/run-node.ts';
import type { Regime } from '../../scorers/_enygma/indicator-signal.ts';
import { contextAt, runRows, type Row } from '../../signals/_shared/testing.ts';
import { enygmaEntry } from '../../signals/enygma-entry/enygma-entry.node.ts';
import { enygmaAlignmentGate } from '../enygma-alignment-gate/enygma-alignment-gate.node.ts';
import { enygmaCapacityGate } from '../enygma-capacity-gate/enygma-capacity-gate.node.ts';
import { enygmaConfidenceGate } from '../enygma-confidence-gate/enygma-confidence-gate.node.ts';
import { enygmaConfluenceGate } from '../enygma-confluence-gate/enygma-confluence-gate.node.ts';
import { enygmaCooldownGate } from '../enygma-cooldown-gate/enygma-cooldown-gate.node.ts';
import { enygmaCrossGate } from '../enygma-cross-gate/enygma-cross-gate.node.ts';
import { enygmaDeadZoneGate } from '../enygma-dead-zone-gate/enygma-dead-zone-gate.node.ts';
import { enygmaDrawdownGate } from '../enygma-drawdown-gate/enygma-drawdown-gate.node.ts';
import { enygmaScoreBandGate } from '../enygma-score-band-gate/enygma-score-band-gate.node.ts';
import { enygmaThresholdGate } from '../enygma-threshold-gate/enygma-threshold-gate.node.ts';
import { enygmaTrendGate } from '../enygma-trend-gate/enygma-trend-gate.node.ts';
import { enygmaVolatilityGate } from '../enygma-volatility-gate/enygma-volatility-gate.node.ts';

export const MIN = 60_000;
export const BASE = 5 * MIN;
export const PRIMARY = 30 * MIN;
/** open time of the primary (30min) bar being decided on */
export const T0 = Date.UTC(2024, 0, 10, 12, 0);
/** the base bar that closes it: its close is the primary close */
export const CLOSING_BASE = T0 + PRIMARY - BASE;

/** One firing of a gate (or any node with pass/reason outputs); returns [pass, reason]. */
export function fire(def: AnyNodeDefinition, row: Row, params: Record<string, unknown> = {}, ctx: StepContext = contextAt(CLOSING_BASE, BASE)): [boolean, string] {
  const o = runRows(def, paramsOf(def, params), [row], () => ctx)[0]!;
  return [o['pass'] as boolean, o['reason'] as string];
}

/** A full account view: flat, no history, 10 000 equity unchanged since 00:00 UTC. */
export function accountView(overrides: Partial<AccountView> = {}): AccountView {
  return {
    contract: { symbol: 'ETHUSDTM', multiplier: 0.01, lotSize: 1, tickSize: 0.01, maintenanceMargin: 0.005, takerFee: 0.0006 },
    equity: 10_000,
    cash: 10_000,
    unrealizedPnl: 0,
    usedMargin: 0,
    dayStartEquity: 10_000,
    peakEquity: 10_000,
    consecutiveLosses: 0,
    lastEntryOrderTime: null,
    lastEntryTime: null,
    lastExitTime: null,
    lastExitWasLoss: false,
    pendingEntries: 0,
    openPositions: 0,
    position: null,
    ...overrides,
  };
}

/** Everything the gates read for one decision on the primary bar opening at T0. */
export interface GateCase {
  /** the previous closed primary bar's total */
  prev: number;
  score: number;
  confidence: number;
  agree: number;
  active: number;
  regime: Regime | '';
  /** EMA 10, 25, 50 of the primary timeframe */
  ema: readonly [number, number, number];
  /** the five timeframes' totals: 15min, 30min (= score), 1hour, 2hour, 4hour */
  totals: readonly number[];
  account: AccountView | null;
}

/**
 * Passing defaults for whatever a situation leaves open: trend with the score's sign, daily DD 1%,
 * MEDIUM regime, 6 of 9 agreeing at 0.95 confidence, 3 of 5 timeframes aligned, no cooldowns, flat.
 */
export function passingCase(prev: number, score: number, overrides: Partial<GateCase> = {}): GateCase {
  const s = score < 0 ? -1 : 1;
  // n = 3 with the primary counted when it qualifies on its own
  const primaryCounts = s * score >= 20;
  const totals = primaryCounts ? [s * 50, score, s * 50, -s * 50, 0] : [s * 50, score, s * 50, s * 50, -s * 50];
  return {
    prev,
    score,
    confidence: 0.95,
    agree: 6,
    active: 9,
    regime: 'MEDIUM',
    ema: s > 0 ? [102, 101, 100] : [100, 101, 102],
    totals,
    account: accountView({ equity: 9_900 }),
    ...overrides,
  };
}

interface GateWiring {
  name: string;
  def: AnyNodeDefinition;
  strictFlag: boolean;
  row(c: GateCase): Row;
}

/** The §4 gates in the spec's order, wired as the canonical pipeline wires them. */
export const GATES: readonly GateWiring[] = [
  { name: 'threshold', def: enygmaThresholdGate, strictFlag: true, row: (c) => ({ total: c.score }) },
  { name: 'dead zone', def: enygmaDeadZoneGate, strictFlag: false, row: (c) => ({ total: c.score }) },
  { name: 'cross', def: enygmaCrossGate, strictFlag: true, row: (c) => ({ total: c.score, time: T0 }) },
  { name: 'volatility', def: enygmaVolatilityGate, strictFlag: true, row: (c) => ({ total: c.score, regime: c.regime }) },
  { name: 'confluence', def: enygmaConfluenceGate, strictFlag: false, row: (c) => ({ agree: c.agree, confluencePct: (c.agree / c.active) * 100 }) },
  { name: 'confidence', def: enygmaConfidenceGate, strictFlag: true, row: (c) => ({ confidence: c.confidence }) },
  { name: 'trend', def: enygmaTrendGate, strictFlag: false, row: (c) => ({ total: c.score, emaShort: c.ema[0], emaMedium: c.ema[1], emaLong: c.ema[2] }) },
  { name: 'score band', def: enygmaScoreBandGate, strictFlag: false, row: (c) => ({ total: c.score }) },
  { name: 'alignment', def: enygmaAlignmentGate, strictFlag: false, row: (c) => ({ total: c.score, totals: c.totals }) },
  { name: 'drawdown', def: enygmaDrawdownGate, strictFlag: false, row: (c) => ({ account: c.account }) },
  { name: 'cooldown', def: enygmaCooldownGate, strictFlag: false, row: (c) => ({ account: c.account, time: CLOSING_BASE }) },
  { name: 'capacity', def: enygmaCapacityGate, strictFlag: false, row: (c) => ({ account: c.account }) },
];

export interface Evaluation {
  gates: { name: string; pass: boolean; reason: string }[];
  /** names of the gates that blocked, in pipeline order */
  blocked: string[];
  intent: Intent | null;
  blockedBy: string;
}

/** Every gate on the base bar that closes the primary bar, then the entry node over their verdicts. */
export function evaluateGates(c: GateCase, strict: boolean): Evaluation {
  const ctx = contextAt(CLOSING_BASE, BASE);
  const gates = GATES.map((g) => {
    const params = paramsOf(g.def, g.strictFlag ? { strict } : {});
    // the cross gate first sees the previous primary bar, then this one
    const rows = g.name === 'cross' ? [{ total: c.prev, time: T0 - PRIMARY }, g.row(c)] : [g.row(c)];
    const o = runRows(g.def, params, rows, () => ctx).at(-1)!;
    return { name: g.name, pass: o['pass'] as boolean, reason: o['reason'] as string };
  });
  const entryRow = {
    total: c.score,
    time: T0,
    breakdown: {},
    gates: gates.map((g) => g.pass),
    reasons: gates.map((g) => g.reason),
    confidence: c.confidence,
  };
  const o = runRows(enygmaEntry, paramsOf(enygmaEntry), [entryRow], () => ctx)[0]!;
  return {
    gates,
    blocked: gates.filter((g) => !g.pass).map((g) => g.name),
    intent: o['intent'] as Intent | null,
    blockedBy: o['blockedBy'] as string,
  };
}

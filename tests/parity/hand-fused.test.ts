import { describe, expect, it } from 'vitest';
import type { FillRecord, Ledger } from '../../engine/venues/paper/ledger.ts';
import { compilePipelineFile } from '../../engine/pipeline/compile.ts';
import { loadPipelineData, paperVenueOf, runBacktest } from '../../engine/run/backtest.ts';
import { registry } from '../../nodes/index.ts';
import { embeddedPath } from '../../nodes/_kit/reference-data.ts';
import { HAND_FUSED } from '../bench/hand-fused/index.ts';
import { lockstep } from '../bench/hand-fused/kit.ts';

/**
 * The engine benchmark compares each example pipeline with a hand-fused copy of it
 * (tests/bench/hand-fused/). That comparison means something only if both do the same work, so
 * here both run on the ETH 5m data and must leave identical ledgers: every fill (time, side, price,
 * lots, fee, funding, reason, and the rest of the record), every rejection, the equity at every
 * bar, and the final equity to the last decimal.
 *
 * The benchmark's "signal graph only" comparison runs both without a venue (hand-fused with
 * `venue: false`, the engine with `venue: null`). There is no ledger then, so both run bar by bar
 * in lockstep and every output of every node must be identical after every bar (Object.is for
 * values, so NaN = NaN; structural equality for bars, intents, orders and account views); the
 * engine's interpreted loop (`interpret: true`) must agree too. The same bar-by-bar comparison
 * also runs with the venue, on top of the ledger checks.
 */

const ETH_5M = embeddedPath('eth-5m');

function fillRow(f: FillRecord) {
  return {
    time: f.time,
    side: f.side,
    price: f.price.toString(),
    lots: f.lots.toString(),
    fee: f.fee.toString(),
    funding: f.funding.toString(),
    reason: f.reason,
    kind: f.kind,
    positionId: f.positionId,
    notional: f.notional.toString(),
    slippage: f.slippage.toString(),
  };
}

/** first index where two equity curves differ, or -1 */
function firstEquityMismatch(a: Ledger, b: Ledger): number {
  const x = a.equity;
  const y = b.equity;
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    if (x.timeAt(i) !== y.timeAt(i) || x.equityAt(i) !== y.equityAt(i) || x.cashAt(i).toString() !== y.cashAt(i).toString() || x.exactAt(i).toString() !== y.exactAt(i).toString()) return i;
  }
  return x.length === y.length ? -1 : n;
}

describe('hand-fused pipelines compute what the engine computes (ETH 5m)', () => {
  for (const fused of Object.values(HAND_FUSED)) {
    it(`${fused.pipeline}: identical fills, rejections, equity curve and final equity`, () => {
      const plan = compilePipelineFile(fused.file, registry);
      expect(plan.name).toBe(fused.pipeline);
      const data = loadPipelineData(plan, ETH_5M);

      const engine = paperVenueOf(runBacktest(plan, data));
      expect(engine, 'the example pipeline runs on a paper venue').not.toBeNull();
      const hand = fused.run(data);
      expect(hand.venue, 'the hand-fused copy runs on a paper venue').not.toBeNull();

      const engineLedger = engine!.ledger;
      const handLedger = hand.venue!.ledger;
      expect(hand.bars).toBe(data.length);
      // a comparison of two empty ledgers would prove nothing
      expect(engineLedger.fills.length).toBeGreaterThan(10);
      expect(handLedger.fills.map(fillRow)).toEqual(engineLedger.fills.map(fillRow));
      expect(handLedger.rejections).toEqual(engineLedger.rejections);
      expect(handLedger.trades.length).toBe(engineLedger.trades.length);
      expect(handLedger.equity.length).toBe(data.length);
      expect(firstEquityMismatch(handLedger, engineLedger)).toBe(-1);
      expect(hand.venue!.equity.toString()).toBe(engine!.equity.toString());
      expect(hand.venue!.cash.toString()).toBe(engine!.cash.toString());
    });

    for (const venue of [false, true]) {
      const label = venue ? 'with the venue' : 'signal graph only (no venue)';
      it(`${fused.pipeline}, ${label}: every node output identical on every bar (hand-fused, generated commit, interpreted loop)`, () => {
        const plan = compilePipelineFile(fused.file, registry);
        const data = loadPipelineData(plan, ETH_5M);
        const r = lockstep(plan, data, fused.run, { venue, interpreted: true });
        expect(r.mismatch).toBeNull();
        expect(r.bars).toBe(data.length);
        // the hand-fused copy exposes every node of the pipeline, so nothing goes unchecked
        expect([...r.nodes].sort()).toEqual(plan.nodes.map((n) => n.id).sort());
        expect(r.compared).toBeGreaterThan(data.length * plan.nodes.length);
        // and the signals fire: intents on many bars; orders only where there is an account to size against
        expect(r.freshIntents).toBeGreaterThan(10);
        if (venue) expect(r.freshOrders).toBeGreaterThan(10);
        else expect(r.freshOrders).toBe(0);
      });
    }
  }
});

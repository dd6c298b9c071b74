import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createRegistry, defineNode, type AnyNodeDefinition } from '../../../engine/core/node-definition.ts';
import type { Intent } from '../../../engine/core/trading.ts';
import { IncrementalRunner } from '../../../engine/incremental/runner.ts';
import { compilePipelineText } from '../../../engine/pipeline/compile.ts';
import { accountState } from '../../account/state/state.node.ts';
import { replayFeed } from '../../feeds/replay/replay.node.ts';
import { enygmaCooldownGate } from '../../gates/enygma-cooldown-gate/enygma-cooldown-gate.node.ts';
import { enygmaCrossGate } from '../../gates/enygma-cross-gate/enygma-cross-gate.node.ts';
import { enygmaThresholdGate } from '../../gates/enygma-threshold-gate/enygma-threshold-gate.node.ts';
import { resample } from '../../transforms/resample/resample.node.ts';
import { bracketRisk } from '../../risk/bracket/bracket.node.ts';
import { paperExecutor } from '../../executors/paper/paper.node.ts';
import { createVenue } from '../../../engine/run/backtest.ts';
import { describeNodeContract } from '../../_kit/contract.ts';
import { paramsOf } from '../../_kit/run-node.ts';
import { BASE, CLOSING_BASE, PRIMARY, T0 } from '../../gates/_enygma/harness.ts';
import { boolColumn, contextAt, flipping, runRows, type Row } from '../_shared/testing.ts';
import { enygmaEntry as entry } from './enygma-entry.node.ts';

const BREAKDOWN = { total: 82, signals: [] };

function row(overrides: Row = {}): Row {
  return { total: 82, time: T0, breakdown: BREAKDOWN, gates: [true, true], reasons: ['|score| 82 ≥ 80 (strict)', 'no cooldown active'], confidence: 0.93, ...overrides };
}

/** Rows fired on consecutive base bars starting at the one that closes the primary bar T0. */
function run(rows: readonly Row[], params: Record<string, unknown> = {}) {
  return runRows(entry, paramsOf(entry, params), rows, (k) => contextAt(CLOSING_BASE + k * BASE, BASE));
}

const sides = (out: Row[]) => out.map((o) => (o['intent'] as Intent | null)?.side ?? null);

describe('enygma.entry', () => {
  it('defaults: reason "enygma", one decision at the primary close', () => {
    expect(paramsOf(entry)).toEqual({ reason: 'enygma', retryWithinBar: false });
  });

  it('emits an intent at the primary close, in the direction of the total, with every gate in its detail', () => {
    const [o] = run([row()]);
    expect(o).toEqual({
      intent: {
        side: 1,
        time: T0 + PRIMARY,
        score: 82,
        reason: 'enygma',
        detail: {
          score: 82,
          confidence: 0.93,
          breakdown: BREAKDOWN,
          gates: [
            { index: 1, pass: true, reason: '|score| 82 ≥ 80 (strict)' },
            { index: 2, pass: true, reason: 'no cooldown active' },
          ],
        },
      },
      blockedBy: '',
    });
    expect(sides(run([row({ total: -81 })]))).toEqual([-1]);
  });

  it('names the first blocking gate by its reason, or by position when reasons are not wired', () => {
    const blocked = row({ gates: [true, false, false], reasons: ['ok', 'blocked: no cross', 'blocked: x'] });
    expect(run([blocked])[0]).toEqual({ intent: null, blockedBy: 'blocked: no cross' });
    expect(run([row({ gates: [true, false], reasons: undefined })])[0]).toEqual({ intent: null, blockedBy: 'gate 2 of 2' });
  });

  it('has nothing to do on a NaN or zero total, or before the first primary bar', () => {
    expect(run([row({ total: NaN })])[0]).toEqual({ intent: null, blockedBy: '' });
    expect(run([row({ total: 0 })])[0]).toEqual({ intent: null, blockedBy: '' });
    expect(run([row({ time: NaN })])[0]).toEqual({ intent: null, blockedBy: '' });
  });

  it('emits at most once per primary bar although it fires on every base bar', () => {
    const next = T0 + PRIMARY;
    const out = run([
      row(),
      // five more base bars of the same primary bar (account-driven gates fire them)
      row(),
      row(),
      row(),
      row(),
      row(),
      row({ time: next, total: 90 }),
      row({ time: next, total: 90 }),
    ]);
    expect(sides(out)).toEqual([1, null, null, null, null, null, 1, null]);
    expect(out.map((o) => o['blockedBy'])).toEqual(['', '', '', '', '', '', '', '']);
    expect((out[6]!['intent'] as Intent).time).toBe(CLOSING_BASE + 7 * BASE);
  });

  it('decides once at the primary close: a gate opening later in the bar does not enter on a stale score', () => {
    const blocked = row({ gates: [true, false], reasons: ['ok', 'blocked: exit cooldown 30 min: 5 min left'] });
    const out = run([blocked, row(), row()]);
    expect(sides(out)).toEqual([null, null, null]);
    // the decision's reason stays on show for the rest of the primary bar
    expect(out.map((o) => o['blockedBy'])).toEqual(Array(3).fill('blocked: exit cooldown 30 min: 5 min left'));
  });

  it('retryWithinBar: re-evaluates later base bars of the primary bar until one intent is emitted', () => {
    const blocked = row({ gates: [true, false], reasons: ['ok', 'blocked: exit cooldown 30 min: 5 min left'] });
    const out = run([blocked, row(), row()], { retryWithinBar: true });
    expect(sides(out)).toEqual([null, 1, null]);
    expect((out[1]!['intent'] as Intent).time).toBe(CLOSING_BASE + 2 * BASE);
  });

  it('copies the gate list: the runner refills the array it hands in', () => {
    const gates = [true, true];
    const intent = run([row({ gates })])[0]!['intent'] as Intent;
    gates[1] = false;
    expect((intent.detail!['gates'] as { pass: boolean }[])[1]!.pass).toBe(true);
  });

  it('checks that reasons, when wired, match the gates one for one', () => {
    expect(entry.check!(entry.params.parse({}), { gates: 3, reasons: 3 })).toBeUndefined();
    expect(entry.check!(entry.params.parse({}), { gates: 3, reasons: 0 })).toBeUndefined();
    expect(entry.check!(entry.params.parse({}), { gates: 3, reasons: 2 })).toBe('reasons must give one reason per gate, in the same order (2 reasons for 3 gates)');
  });
});

/** Test-only stand-in for the primary scorer: total = close − 1000, a breakdown, a fixed confidence. */
const fakeScorer = defineNode({
  type: 'test.fake-scorer',
  version: 1,
  title: 'fake scorer',
  category: 'scorer',
  summary: 'test only',
  params: z.object({}),
  inputs: { close: { type: 'series' } },
  outputs: { total: { type: 'series' }, breakdown: { type: 'record' }, confidence: { type: 'series' } },
  warmup: () => 0,
  init: () => ({}),
  step(_s: object, i: { close: number }, o: { total: number; breakdown: unknown; confidence: number }) {
    o.total = i.close - 1000;
    o.breakdown = { close: i.close };
    o.confidence = 0.95;
    return true;
  },
});

describe('enygma.entry in a compiled pipeline', () => {
  it('decides once per closed 30min bar while account-driven gates fire it on every 5m bar', () => {
    const yaml = `
pipeline: enygma-entry
nodes:
  candles: { type: feed.replay, params: { file: x.csv.gz } }
  account: { type: account.state }
  primary: { type: transform.resample, params: { timeframe: 30min }, in: { bar: candles.bar } }
  score: { type: test.fake-scorer, in: { close: primary.close } }
  threshold: { type: enygma.threshold-gate, in: { total: score.total } }
  cross: { type: enygma.cross-gate, in: { total: score.total, time: primary.time } }
  calm: { type: enygma.cooldown-gate, in: { account: account.account, time: candles.time } }
  enter:
    type: enygma.entry
    in:
      total: score.total
      time: primary.time
      breakdown: score.breakdown
      confidence: score.confidence
      gates: [threshold.pass, cross.pass, calm.pass]
      reasons: [threshold.reason, cross.reason, calm.reason]
  risk: { type: risk.bracket, in: { intent: enter.intent, account: account.account, price: candles.close } }
  executor: { type: executor.paper, params: { initialEquity: 10000 }, in: { orders: [risk.order] } }
`;
    const registry = createRegistry([replayFeed, accountState, resample, fakeScorer, enygmaThresholdGate, enygmaCrossGate, enygmaCooldownGate, entry, bracketRisk, paperExecutor]);
    const plan = compilePipelineText(yaml, 'enygma-entry.yaml', registry);
    const runner = new IncrementalRunner(plan, { venue: createVenue(plan) });
    // primary totals: a long crosses +80 on the 2nd bar; the 3rd flips through −80 but falls
    // within the 60-minute signal cooldown; the 6th crosses −80 again, 2 hours after the long
    const totals = [70, 82, -85, -70, -60, -85];
    const start = Date.UTC(2024, 0, 10, 12, 0);
    const seen: [number, number | null, string][] = [];
    totals.forEach((total, bar) => {
      for (let k = 0; k < 6; k++) {
        const time = start + bar * PRIMARY + k * BASE;
        const close = 1000 + total;
        runner.push({ time, open: close, high: close, low: close, close, volume: 1, interval: BASE, complete: true });
        const intent = runner.value('enter', 'intent') as Intent | null;
        seen.push([time + BASE, intent?.side ?? null, runner.value('enter', 'blockedBy') as string]);
      }
    });
    const closeOf = (bar: number) => start + (bar + 1) * PRIMARY;
    expect(seen.filter(([, side]) => side !== null)).toEqual([
      [closeOf(1), 1, ''],
      [closeOf(5), -1, ''],
    ]);
    // the flip's decision is held back by the cooldown (the venue saw the long's entry command at
    // 13:00) and says so until the next primary close
    const flip = seen.filter(([close]) => close > closeOf(1) && close <= closeOf(2)).map(([, , why]) => why);
    expect(flip.slice(0, 5)).toEqual(Array(5).fill(''));
    expect(flip[5]).toBe('blocked: signal cooldown 60 min after the entry signal at 2024-01-10 13:00 UTC: 30 min left');
    const stale = seen.filter(([close]) => close > closeOf(2) && close <= closeOf(3)).map(([, , why]) => why);
    expect(stale.slice(0, 5)).toEqual(Array(5).fill('blocked: signal cooldown 60 min after the entry signal at 2024-01-10 13:00 UTC: 30 min left'));
  });
});

const n = 180;
// a primary bar every 6 firings (30min over 5m), its total changing only at the primary close
const time = Array.from({ length: n }, (_, k) => T0 + Math.floor(k / 6) * PRIMARY);
const total = time.map((_, k) => (k < 6 ? NaN : Math.round(120 * Math.sin(Math.floor(k / 6) * 0.7))));
/** The contract drives numeric columns: gates from 0/1 columns; breakdown and reasons filled in. */
const fromColumns: AnyNodeDefinition = {
  ...entry,
  step: (s, i: Record<string, number>, o, p, ctx) =>
    entry.step(s, { total: i['total']!, time: i['time']!, confidence: i['confidence']!, breakdown: {}, gates: [i['g1'] === 1, i['g2'] === 1], reasons: ['a', 'b'] }, o, p, ctx),
};
const columns = { total, time, confidence: total.map(() => 0.9), g1: boolColumn(n, 1), g2: boolColumn(n, 4) };
describeNodeContract(fromColumns, paramsOf(entry), columns, { perturb: flipping(['g1', 'g2']) });

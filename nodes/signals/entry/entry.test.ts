import { describe, expect, it } from 'vitest';
import { createRegistry } from '../../../engine/core/node-definition.ts';
import type { Bar } from '../../../engine/core/trading.ts';
import { IncrementalRunner } from '../../../engine/incremental/runner.ts';
import { compilePipelineText } from '../../../engine/pipeline/compile.ts';
import { describeNodeContract } from '../../_kit/contract.ts';
import { paramsOf } from '../../_kit/run-node.ts';
import { replayFeed } from '../../feeds/replay/replay.node.ts';
import { sma } from '../../indicators/sma/sma.node.ts';
import { all } from '../all/all.node.ts';
import { compare } from '../compare/compare.node.ts';
import { cross } from '../cross/cross.node.ts';
import { boolColumn, contextAt, flipping, runRows, spreadMany, type Row } from '../_shared/testing.ts';
import { entry } from './entry.node.ts';

const T = Date.UTC(2024, 0, 1);
const FIVE_MIN = 300_000;
const once = (row: Row, params: Record<string, unknown> = {}) => runRows(entry, paramsOf(entry, params), [row], () => contextAt(T, FIVE_MIN))[0]!;

describe('signal.entry', () => {
  it('emits a long intent stamped with the close time of the committed bar', () => {
    expect(once({ long: true, short: false }, { reason: 'rsi dip' })).toEqual({
      intent: { side: 1, time: T + FIVE_MIN, score: 0, reason: 'rsi dip' },
      blockedBy: '',
    });
  });

  it('emits a short intent carrying the wired score', () => {
    expect(once({ long: false, short: true, score: 0.7 })['intent']).toEqual({ side: -1, time: T + FIVE_MIN, score: 0.7, reason: 'signal' });
  });

  it('emits nothing, and blames nothing, without a signal', () => {
    expect(once({ long: false, short: false, gates: [false] })).toEqual({ intent: null, blockedBy: '' });
  });

  it('emits nothing when long and short are both true', () => {
    expect(once({ long: true, short: true, gates: [true] })).toEqual({ intent: null, blockedBy: 'conflicting long and short' });
  });

  it('names the first gate that blocks, 1-based, with the gate count', () => {
    expect(once({ long: true, short: false, gates: [true, false, false] })).toEqual({ intent: null, blockedBy: 'gate 2 of 3' });
    expect(once({ long: false, short: true, gates: [false] })).toEqual({ intent: null, blockedBy: 'gate 1 of 1' });
    expect(once({ long: true, short: false, gates: [true, true] })['blockedBy']).toBe('');
  });

  it('holds back while a wired score is NaN (no value yet)', () => {
    expect(once({ long: true, short: false, score: NaN })).toEqual({ intent: null, blockedBy: 'score has no value yet' });
  });

  it('emits a new intent object on every firing and clears it on the next', () => {
    const rows = [{ long: true, short: false }, { long: true, short: false }, { long: false, short: false }];
    const out = runRows(entry, paramsOf(entry), rows, (k) => contextAt(T + k * FIVE_MIN, FIVE_MIN));
    expect(out.map((o) => (o['intent'] as { time: number } | null)?.time ?? null)).toEqual([T + FIVE_MIN, T + 2 * FIVE_MIN, null]);
    expect(out[0]!['intent']).not.toBe(out[1]!['intent']);
  });

  it('keeps the blockedBy text current as the blocking gate changes', () => {
    const rows = [
      { long: true, short: false, gates: [false, true] },
      { long: true, short: false, gates: [false, true] },
      { long: true, short: false, gates: [true, false] },
      { long: true, short: false, gates: [false] },
    ];
    expect(runRows(entry, paramsOf(entry), rows).map((o) => o['blockedBy'])).toEqual(['gate 1 of 2', 'gate 1 of 2', 'gate 2 of 2', 'gate 1 of 1']);
  });

  it('runs in a compiled pipeline: SMA cross, gated on volume', () => {
    const yaml = `
pipeline: cross-entry
nodes:
  candles: { type: feed.replay, params: { file: x.csv.gz } }
  fast: { type: indicator.sma, params: { period: 2 }, in: { source: candles.close } }
  slow: { type: indicator.sma, params: { period: 3 }, in: { source: candles.close } }
  up: { type: signal.cross, params: { direction: above }, in: { a: fast.value, b: slow.value } }
  down: { type: signal.cross, params: { direction: below }, in: { a: fast.value, b: slow.value } }
  traded: { type: signal.compare, params: { op: '>', threshold: 0 }, in: { a: candles.volume } }
  gates: { type: signal.all, in: { inputs: [traded.value] } }
  enter: { type: signal.entry, params: { reason: sma cross }, in: { long: up.value, short: down.value, gates: [gates.value] } }
`;
    const plan = compilePipelineText(yaml, 'cross.yaml', createRegistry([replayFeed, sma, cross, compare, all, entry]));
    const runner = new IncrementalRunner(plan);
    const closes = [10, 9, 8, 7, 9, 11, 12, 10, 8, 9];
    const volumes = [1, 1, 1, 1, 1, 1, 1, 1, 0, 1];
    const seen: unknown[] = [];
    closes.forEach((close, k) => {
      const bar: Bar = { time: T + k * FIVE_MIN, open: close, high: close, low: close, close, volume: volumes[k]!, interval: FIVE_MIN, complete: true };
      runner.push(bar);
      seen.push([runner.value('enter', 'intent'), runner.value('enter', 'blockedBy')]);
    });
    // fast SMA(2): –, 9.5, 8.5, 7.5, 8, 10, 11.5, 11, 9, 8.5; slow SMA(3): –, –, 9, 8, 8, 9, 10.67, 11, 10, 9
    // bar 5: fast leaves its touch (8 = 8) upwards → long; bar 8: fast leaves 11 = 11 downwards → short, but volume is 0
    expect(seen).toEqual([
      [null, ''],
      [null, ''],
      [null, ''],
      [null, ''],
      [null, ''],
      [{ side: 1, time: T + 6 * FIVE_MIN, score: 0, reason: 'sma cross' }, ''],
      [null, ''],
      [null, ''],
      [null, 'gate 1 of 1'],
      [null, ''],
    ]);
  });
});

const n = 200;
describeNodeContract(
  spreadMany(entry, 'gates', ['g1', 'g2']),
  paramsOf(entry),
  { long: boolColumn(n, 1), short: boolColumn(n, 2), score: boolColumn(n, 3).map((b, k) => b * Math.sin(k)), g1: boolColumn(n, 4), g2: boolColumn(n, 5) },
  { perturb: flipping(['long', 'short', 'g1', 'g2']) },
);

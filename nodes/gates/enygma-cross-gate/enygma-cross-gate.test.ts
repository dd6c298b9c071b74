import { describe, expect, it } from 'vitest';
import { describeNodeContract } from '../../_kit/contract.ts';
import { paramsOf } from '../../_kit/run-node.ts';
import { contextAt, runRows, type Row } from '../../signals/_shared/testing.ts';
import { BASE, PRIMARY, T0 } from '../_enygma/harness.ts';
import { enygmaCrossGate as gate } from './enygma-cross-gate.node.ts';

/** One primary bar per total, opening PRIMARY apart; returns [pass, reason] of the last. */
function cross(totals: readonly number[], params: Record<string, unknown> = {}): [boolean, string] {
  const rows = totals.map((total, k) => ({ total, time: T0 + k * PRIMARY }));
  const o = runRows(gate, paramsOf(gate, params), rows).at(-1)!;
  return [o['pass'] as boolean, o['reason'] as string];
}

const verdicts = (rows: readonly Row[], params: Record<string, unknown> = {}) =>
  runRows(gate, paramsOf(gate, params), rows, (k) => contextAt(T0 + k * BASE, BASE)).map((o) => [o['pass'], o['reason']]);

describe('enygma.cross-gate', () => {
  it('defaults to level 80, strict on', () => {
    expect(paramsOf(gate)).toEqual({ level: 80, strict: true });
  });

  it('strict LONG: passes iff prev < +80 ≤ total', () => {
    expect(cross([79, 80])).toEqual([true, 'crossed +80: prev 79 < +80 ≤ 80 (strict)']);
    expect(cross([79.99, 82])).toEqual([true, 'crossed +80: prev 79.99 < +80 ≤ 82 (strict)']);
    expect(cross([80, 85])).toEqual([false, 'blocked: no cross: prev 80 was already ≥ +80 (now 85, strict)']);
    expect(cross([70, 79.99])).toEqual([false, 'blocked: score 79.99 has not reached +80 (prev 70, strict)']);
    // a jump from deep short counts: prev is below +80
    expect(cross([-90, 95])[0]).toBe(true);
  });

  it('strict SHORT: passes iff prev > −80 ≥ total', () => {
    expect(cross([-79, -80])).toEqual([true, 'crossed -80: prev -79 > -80 ≥ -80 (strict)']);
    expect(cross([-80, -81])).toEqual([false, 'blocked: no cross: prev -80 was already ≤ -80 (now -81, strict)']);
    expect(cross([-70, -79.99])).toEqual([false, 'blocked: score -79.99 has not reached -80 (prev -70, strict)']);
  });

  it('canonical: no cross required, from the first bar on', () => {
    expect(cross([85], { strict: false })).toEqual([true, 'no cross required (canonical)']);
    expect(cross([82, 85], { strict: false })).toEqual([true, 'no cross required (canonical)']);
  });

  it('strict: blocks without a previous primary bar, after a bar with no score, on NaN and on 0', () => {
    expect(cross([85])).toEqual([false, 'blocked: no previous score to cross from (strict)']);
    expect(cross([NaN, 85])).toEqual([false, 'blocked: no previous score to cross from (strict)']);
    expect(cross([70, NaN])).toEqual([false, 'blocked: no score yet']);
    expect(cross([70, NaN], { strict: false })).toEqual([false, 'blocked: no score yet']);
    expect(cross([70, 0])).toEqual([false, 'blocked: score 0 has no direction']);
    expect(runRows(gate, paramsOf(gate, { strict: false }), [{ total: 85, time: NaN }])[0]!['pass']).toBe(false);
  });

  it('keys prev on the primary bar time: repeat firings of one bar (base bars) keep its prev', () => {
    const A = T0;
    const B = T0 + PRIMARY;
    const C = T0 + 2 * PRIMARY;
    expect(
      verdicts([
        { total: 70, time: A },
        { total: 82, time: B },
        // base bars inside the next primary bar: the gate fires again with the same primary time
        { total: 82, time: B },
        { total: 82, time: B },
        { total: 85, time: C },
        { total: 85, time: C },
      ]),
    ).toEqual([
      [false, 'blocked: no previous score to cross from (strict)'],
      [true, 'crossed +80: prev 70 < +80 ≤ 82 (strict)'],
      [true, 'crossed +80: prev 70 < +80 ≤ 82 (strict)'],
      [true, 'crossed +80: prev 70 < +80 ≤ 82 (strict)'],
      [false, 'blocked: no cross: prev 82 was already ≥ +80 (now 85, strict)'],
      [false, 'blocked: no cross: prev 82 was already ≥ +80 (now 85, strict)'],
    ]);
  });

  it("a restated total for the same time replaces that bar's total, not prev", () => {
    const rows = [
      { total: 70, time: T0 },
      { total: 78, time: T0 + PRIMARY },
      { total: 81, time: T0 + PRIMARY },
      { total: 83, time: T0 + 2 * PRIMARY },
    ];
    expect(verdicts(rows).map((v) => v[0])).toEqual([false, false, true, false]);
  });

  it('uses ±level only: a volatility boost never moves the cross (research A13)', () => {
    // HIGH regime raises the level gate to 90, but the cross stays at 80: 79 → 85 crosses
    expect(cross([79, 85])[0]).toBe(true);
    expect(cross([85, 92], { level: 90 })[0]).toBe(true);
  });
});

const n = 120;
// each primary time repeats for 3 firings (base bars), like a 30min clock seen on 10min bars
const time = Array.from({ length: n }, (_, k) => T0 + Math.floor(k / 3) * PRIMARY);
const total = time.map((_, k) => (k < 4 ? NaN : 100 * Math.sin(k * 0.21)));
describeNodeContract(gate, paramsOf(gate), { total, time });

import { describe, expect, it } from 'vitest';
import { paramsOf } from '../../_kit/run-node.ts';
import { accountView, fire } from '../_enygma/harness.ts';
import { enygmaDrawdownGate as gate } from './enygma-drawdown-gate.node.ts';

const at = (equity: number, dayStartEquity = 10_000, peakEquity = 10_000) => ({ account: accountView({ equity, dayStartEquity, peakEquity }) });

describe('enygma.drawdown-gate', () => {
  it('defaults to 3% as a fraction', () => {
    expect(paramsOf(gate)).toEqual({ maxDailyDrawdown: 0.03 });
  });

  it('measures equity against equity at 00:00 UTC: passes at exactly 3%, blocks above', () => {
    expect(fire(gate, at(9_900))).toEqual([true, 'daily drawdown 1.00% ≤ 3.00%']);
    expect(fire(gate, at(9_700))).toEqual([true, 'daily drawdown 3.00% ≤ 3.00%']);
    expect(fire(gate, at(9_699))).toEqual([false, 'blocked: daily drawdown 3.01% > 3.00%']);
    expect(fire(gate, at(9_680))).toEqual([false, 'blocked: daily drawdown 3.20% > 3.00%']);
  });

  it('counts 0 when equity is above its day start', () => {
    expect(fire(gate, at(10_500))).toEqual([true, 'daily drawdown 0.00% ≤ 3.00%']);
  });

  it('ignores the drop from the equity peak: only the daily rule is binding (A10 peak rule not in enygma.md)', () => {
    // 10% below a peak reached yesterday, 1% below today's start
    expect(fire(gate, at(9_900, 10_000, 11_000))[0]).toBe(true);
  });

  it('takes the limit from params; blocks without a day-start equity; never blocks without an account', () => {
    expect(fire(gate, at(9_850), { maxDailyDrawdown: 0.01 })[0]).toBe(false);
    expect(fire(gate, at(9_900, 0))).toEqual([false, 'blocked: no day-start equity to measure drawdown from']);
    expect(fire(gate, at(NaN))[0]).toBe(false);
    expect(fire(gate, { account: null })).toEqual([true, 'no account yet: no drawdown to check']);
  });
});

import { describe, expect, it } from 'vitest';
import { paramsOf } from '../../_kit/run-node.ts';
import { accountView, fire } from '../_enygma/harness.ts';
import { enygmaCapacityGate as gate } from './enygma-capacity-gate.node.ts';

describe('enygma.capacity-gate', () => {
  it('defaults to 5 open positions', () => {
    expect(paramsOf(gate)).toEqual({ maxOpenPositions: 5 });
  });

  it('passes with 4 open and blocks at 5', () => {
    expect(fire(gate, { account: accountView({ openPositions: 0 }) })).toEqual([true, 'open positions 0 < 5']);
    expect(fire(gate, { account: accountView({ openPositions: 4 }) })).toEqual([true, 'open positions 4 < 5']);
    expect(fire(gate, { account: accountView({ openPositions: 5 }) })).toEqual([false, 'blocked: open positions 5 ≥ 5']);
  });

  it('takes the limit from params; never blocks without an account (no venue)', () => {
    expect(fire(gate, { account: accountView({ openPositions: 1 }) }, { maxOpenPositions: 1 })[0]).toBe(false);
    expect(fire(gate, { account: null })).toEqual([true, 'no account yet: no positions to count']);
  });
});

import { describe, expect, it } from 'vitest';
import { describeNodeContract } from '../../_kit/contract.ts';
import { paramsOf } from '../../_kit/run-node.ts';
import { boolColumn, flipping, runRows } from '../_shared/testing.ts';
import { not } from './not.node.ts';

describe('signal.not', () => {
  it('negates its input', () => {
    const out = runRows(not, paramsOf(not), [{ input: true }, { input: false }, { input: 1 }, { input: 0 }]);
    expect(out.map((o) => o['value'])).toEqual([false, true, false, true]);
  });
});

describeNodeContract(not, paramsOf(not), { input: boolColumn(100, 1) }, { perturb: flipping(['input']) });

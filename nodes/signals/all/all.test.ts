import { describe, expect, it } from 'vitest';
import { describeNodeContract } from '../../_kit/contract.ts';
import { paramsOf } from '../../_kit/run-node.ts';
import { boolColumn, flipping, runRows, spreadMany } from '../_shared/testing.ts';
import { all } from './all.node.ts';

const value = (inputs: unknown[]) => runRows(all, paramsOf(all), [{ inputs }])[0]!['value'];

describe('signal.all', () => {
  it('is true only when every input is true', () => {
    expect(value([true, true, true])).toBe(true);
    expect(value([true, false, true])).toBe(false);
    expect(value([false, false])).toBe(false);
    expect(value([true])).toBe(true);
    expect(value([false])).toBe(false);
  });

  it('is false for an empty list (nothing wired never signals)', () => {
    expect(value([])).toBe(false);
  });

  it('reads 0/1 like false/true', () => {
    expect(value([1, 1])).toBe(true);
    expect(value([1, 0])).toBe(false);
  });

  it('takes no params', () => {
    expect(all.params.safeParse({}).success).toBe(true);
  });
});

const n = 200;
describeNodeContract(spreadMany(all, 'inputs', ['x', 'y', 'z']), paramsOf(all), { x: boolColumn(n, 1), y: boolColumn(n, 2), z: boolColumn(n, 3) }, { perturb: flipping(['x', 'y', 'z']) });

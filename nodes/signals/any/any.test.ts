import { describe, expect, it } from 'vitest';
import { describeNodeContract } from '../../_kit/contract.ts';
import { paramsOf } from '../../_kit/run-node.ts';
import { boolColumn, flipping, runRows, spreadMany } from '../_shared/testing.ts';
import { any } from './any.node.ts';

const value = (inputs: unknown[]) => runRows(any, paramsOf(any), [{ inputs }])[0]!['value'];

describe('signal.any', () => {
  it('is true when at least one input is true', () => {
    expect(value([false, false, true])).toBe(true);
    expect(value([true, true])).toBe(true);
    expect(value([false, false])).toBe(false);
    expect(value([true])).toBe(true);
    expect(value([false])).toBe(false);
  });

  it('is false for an empty list', () => {
    expect(value([])).toBe(false);
  });

  it('reads 0/1 like false/true', () => {
    expect(value([0, 1])).toBe(true);
    expect(value([0, 0])).toBe(false);
  });

  it('takes no params', () => {
    expect(any.params.safeParse({}).success).toBe(true);
  });
});

const n = 200;
describeNodeContract(spreadMany(any, 'inputs', ['x', 'y', 'z']), paramsOf(any), { x: boolColumn(n, 1), y: boolColumn(n, 2), z: boolColumn(n, 3) }, { perturb: flipping(['x', 'y', 'z']) });

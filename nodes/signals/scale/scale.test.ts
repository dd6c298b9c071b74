import { describe, expect, it } from 'vitest';
import { describeNodeContract } from '../../_kit/contract.ts';
import { columnsOf, loadEmbedded } from '../../_kit/reference-data.ts';
import { paramsOf, runNode } from '../../_kit/run-node.ts';
import { compileErrors } from '../_shared/testing.ts';
import { scale } from './scale.node.ts';

const mapped = (params: Record<string, unknown>, source: number[]) => Array.from(runNode(scale, paramsOf(scale, params), { source }).value!);

describe('signal.scale', () => {
  it('defaults to 0..100 → −1..+1, clamped', () => {
    expect(paramsOf(scale)).toEqual({ from: [0, 100], to: [-1, 1], clamp: true });
    expect(mapped({}, [0, 25, 50, 75, 100, -10, 130])).toEqual([-1, -0.5, 0, 0.5, 1, -1, 1]);
  });

  it('maps RSI 30..70 onto +1..−1 (a backwards target), hitting both ends exactly', () => {
    expect(mapped({ from: [30, 70], to: [1, -1] }, [30, 40, 50, 60, 70, 0, 100])).toEqual([1, 0.5, 0, -0.5, -1, 1, -1]);
  });

  it('maps ends exactly where to₀ + (to₁ − to₀) rounds (to [0.7, 0.1]: 0.09999999999999998)', () => {
    expect(0.7 + (0.1 - 0.7)).not.toBe(0.1);
    expect(mapped({ from: [0, 3], to: [0.7, 0.1], clamp: false }, [0, 3])).toEqual([0.7, 0.1]);
    expect(mapped({ from: [0, 3], to: [-0.3, 0.6], clamp: false }, [0, 3])).toEqual([-0.3, 0.6]);
  });

  it('extrapolates when clamp is false', () => {
    expect(mapped({ from: [30, 70], to: [1, -1], clamp: false }, [80, 10])).toEqual([-1.5, 2]);
  });

  it('passes NaN through', () => {
    expect(mapped({}, [NaN, 50])).toEqual([NaN, 0]);
    expect(mapped({ clamp: false }, [NaN])).toEqual([NaN]);
  });

  it('rejects an empty from interval, pointing at the param', () => {
    const parsed = scale.params.safeParse({ from: [50, 50] });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues).toEqual([expect.objectContaining({ message: 'from must be an interval of two different numbers', path: ['from'] })]);
    const errors = compileErrors([scale], 's: { type: signal.scale, params: { from: [50, 50] }, in: { source: candles.close } }');
    expect(errors.map((e) => e.format())).toEqual(['test.yaml:4:44: node "s" param "from": from must be an interval of two different numbers (got [50,50]) [param.invalid]']);
  });

  it('accepts a degenerate (constant) target', () => {
    expect(mapped({ to: [0.5, 0.5] }, [0, 50, 200])).toEqual([0.5, 0.5, 0.5]);
  });
});

const eth = columnsOf(loadEmbedded('eth-5m'), 200);
const lo = Math.min(...eth.close);
const hi = Math.max(...eth.close);
describeNodeContract(scale, paramsOf(scale, { from: [lo + (hi - lo) * 0.2, hi - (hi - lo) * 0.2], to: [1, -1] }), { source: eth.close });

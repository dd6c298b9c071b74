import { describe, expect, it } from 'vitest';
import { fire } from '../_enygma/harness.ts';
import { enygmaTrendGate as gate } from './enygma-trend-gate.node.ts';

const row = (total: number, emaShort: number, emaMedium: number, emaLong: number) => ({ total, emaShort, emaMedium, emaLong });

describe('enygma.trend-gate', () => {
  it('has no params: the same rule in strict and canonical mode', () => {
    expect(Object.keys(gate.params.parse({}) as object)).toEqual([]);
  });

  it('passes a long on a bullish stack and a short on a bearish one', () => {
    expect(fire(gate, row(82, 102, 101, 100))).toEqual([true, 'trend up (EMA 102, 101, 100) matches LONG']);
    expect(fire(gate, row(-81, 100, 101, 102))).toEqual([true, 'trend down (EMA 100, 101, 102) matches SHORT']);
  });

  it('blocks against the trend', () => {
    expect(fire(gate, row(82, 100, 101, 102))).toEqual([false, 'blocked: trend down (EMA 100, 101, 102) for LONG']);
    expect(fire(gate, row(-82, 102, 101, 100))).toEqual([false, 'blocked: trend up (EMA 102, 101, 100) for SHORT']);
  });

  it('blocks both sides on a neutral stack, ties included (strict >)', () => {
    expect(fire(gate, row(82, 102, 100, 101))).toEqual([false, 'blocked: trend neutral (EMA 102, 100, 101) for LONG']);
    expect(fire(gate, row(-82, 102, 100, 101))[0]).toBe(false);
    expect(fire(gate, row(82, 101, 101, 100))[0]).toBe(false);
    expect(fire(gate, row(82, 102, 101, 101))[0]).toBe(false);
  });

  it('blocks on a NaN total, a NaN EMA, or a total of 0', () => {
    expect(fire(gate, row(NaN, 102, 101, 100))).toEqual([false, 'blocked: no score yet']);
    expect(fire(gate, row(82, 102, 101, NaN))).toEqual([false, 'blocked: no EMA trend yet']);
    expect(fire(gate, row(0, 102, 101, 100))).toEqual([false, 'blocked: score 0 has no direction']);
  });
});

import { describe, expect, it } from 'vitest';
import { scaleSides } from './chart-scales.ts';

describe('scaleSides', () => {
  it('puts ratios beside prices on the left scale', () => {
    const ports = ['upper', 'lower', 'percentB', 'empty'].map((p) => ({ port: p, key: `b.${p}`, kind: 'series' as const }));
    const sides = scaleSides({ values: { 'b.upper': [1000, 1010, null], 'b.lower': [900, 950], 'b.percentB': [0.5, 0.4, NaN], 'b.empty': [null] } }, ports);
    expect(Object.fromEntries(sides)).toEqual({ 'b.upper': 'right', 'b.lower': 'right', 'b.percentB': 'left', 'b.empty': 'right' });
  });
  it('keeps comparable series together', () => {
    const ports = ['k', 'd'].map((p) => ({ port: p, key: p, kind: 'series' as const }));
    expect([...scaleSides({ values: { k: [80, 20], d: [50, 10] } }, ports).values()]).toEqual(['right', 'right']);
  });
});

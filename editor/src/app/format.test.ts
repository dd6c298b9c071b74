import { describe, expect, it } from 'vitest';
import { formatFull, formatNumber, formatParam, formatTime, formatValue, truncate } from './format.ts';

describe('format', () => {
  it('formats numbers by magnitude', () => {
    expect(formatNumber(NaN)).toBe('—');
    expect(formatNumber(0)).toBe('0');
    expect(formatNumber(54.80671887)).toBe('54.81');
    expect(formatNumber(9984.2475)).toBe('9,984.25');
    expect(formatNumber(0.000123456)).toBe('0.000123');
    expect(formatNumber(-18)).toBe('-18');
    expect(formatNumber(2_500_000)).toBe('2.50M');
  });
  it('formats values by type', () => {
    expect(formatValue(true)).toBe('✓');
    expect(formatValue(false)).toBe('✗');
    expect(formatValue(null)).toBe('—');
    expect(formatValue('')).toBe('—');
    expect(formatValue('blocked: |score| 50 < 80 (strict)', 'reason', 12)).toBe('blocked: |s…');
    expect(formatValue(1607230800000, 'time')).toBe('2020-12-06 05:00');
    expect(formatValue({ side: 'long' })).toBe('long');
    expect(formatValue({ indicator: 'macd', points: -18 })).toBe('-18 pts');
    expect(formatValue({ a: 1, b: 2 })).toBe('{2}');
    expect(formatValue([1, 2, 3])).toBe('[3]');
  });
  it('formats params and full values', () => {
    expect(formatParam('../../data/eth.csv.gz')).toBe('eth.csv.gz');
    expect(formatParam([5, 3])).toBe('5, 3');
    expect(formatParam([{ roi: 4 }])).toBe('[1 items]');
    expect(formatParam({ a: 1 })).toBe('{1 keys}');
    expect(formatFull({ a: 1 })).toBe('{"a":1}');
    expect(formatTime(0)).toBe('1970-01-01 00:00');
    expect(truncate('abcdef', 4)).toBe('abc…');
  });
});

import { describe, expect, it } from 'vitest';
import { problemRange, problemWhere } from './problems.ts';

const LINES = [
  'pipeline: my-mr', //                          1
  'nodes:', //                                   2
  '  rsi:', //                                   3
  '    type: indicator.rsi', //                  4
  '    params: { period: 1 }   # too short', //  5
  "    in: { source: 'candles.closed' }", //     6
  '  tf_1h: { use: tf, params: { timeframe: 1h } }', // 7
];

const p = (extra: object) => ({ code: 'x', message: 'm', formatted: 'f', ...extra });

describe('problemRange', () => {
  it('marks the value at the column', () => {
    expect(problemRange(LINES, p({ line: 5, column: 23 }))).toEqual({ startLineNumber: 5, startColumn: 23, endLineNumber: 5, endColumn: 24 });
    expect(problemRange(LINES, p({ line: 6, column: 19 }))).toEqual({ startLineNumber: 6, startColumn: 19, endLineNumber: 6, endColumn: 35 });
    expect(problemRange(LINES, p({ line: 4, column: 11 }))).toEqual({ startLineNumber: 4, startColumn: 11, endLineNumber: 4, endColumn: 24 });
    // a key: without its colon
    expect(problemRange(LINES, p({ line: 5, column: 5 }))).toEqual({ startLineNumber: 5, startColumn: 5, endLineNumber: 5, endColumn: 11 });
  });

  it('marks the whole line without a column', () => {
    expect(problemRange(LINES, p({ line: 3 }))).toEqual({ startLineNumber: 3, startColumn: 3, endLineNumber: 3, endColumn: 7 });
  });

  it('finds the node or field of a problem without a line', () => {
    expect(problemRange(LINES, p({ node: 'tf_1h/rsi' })).startLineNumber).toBe(7);
    expect(problemRange(LINES, p({ field: 'pipeline' })).startLineNumber).toBe(1);
    expect(problemRange(LINES, p({})).startLineNumber).toBe(1);
    expect(problemRange(LINES, p({ line: 99 })).startLineNumber).toBe(7);
  });

  it('says where', () => {
    expect(problemWhere(LINES, p({ line: 5, column: 23 }))).toBe('Ln 5, Col 23');
    expect(problemWhere(LINES, p({ node: 'rsi' }))).toBe('Ln 3');
  });
});

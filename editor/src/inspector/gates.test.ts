import { describe, expect, it } from 'vitest';
import { blockedGates, entryGateIds, gateVerdict, isEntryNode, isGateNode } from './gates.ts';

describe('gates', () => {
  it('recognises gates by type suffix or category', () => {
    expect(isGateNode({ type: 'enygma.threshold-gate', category: 'x' })).toBe(true);
    expect(isGateNode({ type: 'gate.confirm', category: 'gate' })).toBe(true);
    expect(isGateNode({ type: 'indicator.rsi', category: 'indicator' })).toBe(false);
  });
  it('reads a verdict; an unfired gate is idle, not blocking', () => {
    expect(gateVerdict(undefined).state).toBe('idle');
    expect(gateVerdict({ pass: false, reason: '' }).state).toBe('idle');
    expect(gateVerdict({ pass: false, reason: 'blocked: x' })).toEqual({ state: 'block', reason: 'blocked: x' });
    expect(gateVerdict({ pass: true, reason: 'ok' }).state).toBe('pass');
  });
  it('lists blocked gates and an entry’s gates', () => {
    const nodes = [
      { id: 'a', type: 'x-gate', category: 'gate' },
      { id: 'b', type: 'x-gate', category: 'gate' },
      { id: 'c', type: 'indicator.rsi', category: 'indicator' },
    ];
    expect(blockedGates(nodes, { a: { pass: false, reason: 'no' }, b: { pass: true, reason: '' }, c: { pass: false, reason: 'x' } })).toEqual(['a']);
    const entry = { inputs: [{ port: 'gates', sources: [{ node: 'a', port: 'pass' }, { node: 'b', port: 'pass' }] }], outputs: [{ port: 'blockedBy' }] };
    expect(entryGateIds(entry)).toEqual(['a', 'b']);
    expect(isEntryNode(entry)).toBe(true);
  });
});

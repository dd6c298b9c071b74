import { describe, expect, it } from 'vitest';
import { lookbackOf, type AnyNodeDefinition } from '../../engine/core/node-definition.ts';
import { cloneState } from '../../engine/core/state-clone.ts';
import { bareContext, type Columns } from './run-node.ts';

/**
 * The contract every node registers (after trading-signals' shared indicator contract):
 * - no series output before its declared warm-up, and a value exactly at it;
 * - snapshot and restore mid-series continue exactly as an uninterrupted run;
 * - replacing the last bar (a still-forming candle) gives the same result as an add-only run;
 * - the same inputs give bit-identical outputs.
 * `perturb` makes a "forming" version of a row that differs from the final one.
 */
export function describeNodeContract(
  def: AnyNodeDefinition,
  params: unknown,
  inputs: Columns,
  options: { perturb?: (row: Record<string, number>) => Record<string, number>; checkWarmup?: boolean } = {},
): void {
  const names = Object.keys(inputs);
  const n = Object.values(inputs)[0]!.length;
  const row = (i: number) => Object.fromEntries(names.map((k) => [k, inputs[k]![i]!]));
  const perturb = options.perturb ?? ((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v * 1.013 + 0.7])));
  const seriesOutputs = Object.entries(def.outputs).filter(([, s]) => s.type === 'series').map(([k]) => k);

  const addOnly = () => {
    const state = def.init(params);
    const out: Record<string, unknown> = {};
    const trace: unknown[][] = [];
    for (let i = 0; i < n; i++) {
      const fired = def.step(state, row(i), out, params, bareContext());
      trace.push([fired, ...Object.keys(def.outputs).map((k) => out[k])]);
    }
    return { trace, state };
  };

  describe(`${def.type} node contract`, () => {
    it('emits no series value before its warm-up and a value exactly at it', () => {
      if (options.checkWarmup === false) return;
      const { trace } = addOnly();
      const keys = Object.keys(def.outputs);
      for (const port of seriesOutputs) {
        const lookback = lookbackOf(def, params, port);
        const column = trace.map((t) => t[1 + keys.indexOf(port)] as number);
        for (let i = 0; i < Math.min(lookback, n); i++) expect(Number.isNaN(column[i]), `${port}[${i}] before warm-up ${lookback}`).toBe(true);
        if (lookback < n) expect(Number.isFinite(column[lookback]), `${port}[${lookback}] at warm-up`).toBe(true);
      }
    });

    it('continues identically after snapshot and restore mid-series', () => {
      const reference = addOnly().trace;
      for (const cut of [1, Math.floor(n / 3), Math.floor(n / 2)]) {
        const state = def.init(params);
        const out: Record<string, unknown> = {};
        for (let i = 0; i < cut; i++) def.step(state, row(i), out, params, bareContext());
        const saved = JSON.parse(JSON.stringify(cloneState(state)));
        const restored = reviveNaN(saved, state);
        const out2: Record<string, unknown> = { ...out };
        for (let i = cut; i < n; i++) {
          const fired = def.step(restored, row(i), out2, params, bareContext());
          expect([fired, ...Object.keys(def.outputs).map((k) => out2[k])], `row ${i} after restore at ${cut}`).toEqual(reference[i]);
        }
      }
    });

    it('gives the add-only result when the last bar is replaced', () => {
      const reference = addOnly().trace;
      const state = def.init(params);
      const out: Record<string, unknown> = {};
      for (let i = 0; i < n; i++) {
        if (i % 7 === 3) {
          const before = cloneState(state);
          const outBefore = { ...out };
          def.step(state, perturb(row(i)), out, params, bareContext());
          Object.assign(state as object, cloneState(before));
          Object.assign(out, outBefore);
        }
        const fired = def.step(state, row(i), out, params, bareContext());
        expect([fired, ...Object.keys(def.outputs).map((k) => out[k])], `row ${i}`).toEqual(reference[i]);
      }
    });

    it('is deterministic', () => {
      expect(addOnly().trace).toEqual(addOnly().trace);
    });
  });
}

/** JSON turns NaN into null; state that held NaN gets it back (shape taken from the original). */
function reviveNaN(saved: unknown, shape: unknown): any {
  if (saved === null && typeof shape === 'number') return NaN;
  if (Array.isArray(saved) && Array.isArray(shape)) return saved.map((v, i) => reviveNaN(v, shape[i]));
  if (saved !== null && typeof saved === 'object' && shape !== null && typeof shape === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(saved)) out[k] = reviveNaN((saved as Record<string, unknown>)[k], (shape as Record<string, unknown>)[k]);
    return out;
  }
  return saved;
}

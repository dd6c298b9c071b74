import { describe, expect, it } from 'vitest';
import { lookbackOf, type AnyNodeDefinition } from '../../engine/core/node-definition.ts';
import { cloneState } from '../../engine/core/state-clone.ts';
import { loadEmbedded } from './reference-data.ts';
import { bareContext, type Columns } from './run-node.ts';

/**
 * The contract every node registers (after trading-signals' shared indicator contract):
 * - no series output before its declared warm-up, and a value exactly at it;
 * - snapshot and restore mid-series continue exactly as an uninterrupted run;
 * - replacing the last bar (a still-forming candle) gives the same result as an add-only run;
 * - the same inputs give bit-identical outputs;
 * - a node with a `batch` kernel gives exactly what looping `step` gives (Object.is per value), on
 *   the inputs given and on the whole embedded ETH 5m series, each also with injected NaN runs and a
 *   flat, volume-less stretch (see batchCases).
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

    if (def.batch !== undefined) {
      it('batch kernel ≡ looping step, bit for bit (real data, NaN runs, a flat stretch)', () => {
        for (const [label, columns] of batchCases(def, inputs)) expectBatchMatchesStep(def, params, columns, label);
      });
    }
  });
}

/** Float64Array copies of test columns. */
export function float64Columns(inputs: Columns): Record<string, Float64Array> {
  return Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, Float64Array.from(v as ArrayLike<number>)]));
}

/**
 * The inputs the batch kernel is checked on: the given ones, the whole embedded ETH 5m series
 * (when every input port is a candle field, or `source` = close), and each of those with NaN runs
 * injected (at the start, mid-series, in one input only, at the end) and a flat stretch (every
 * price port equal to one close, volume 0: zero-width windows, flat RSI, empty CMF windows).
 */
export function batchCases(def: AnyNodeDefinition, inputs: Columns): [string, Record<string, Float64Array>][] {
  const cases: [string, Record<string, Float64Array>][] = [['given inputs', float64Columns(inputs)]];
  const ports = Object.keys(def.inputs);
  const candleFields = ['open', 'high', 'low', 'close', 'volume'];
  if (ports.length > 0 && ports.every((p) => p === 'source' || candleFields.includes(p))) {
    const eth = loadEmbedded('eth-5m');
    const field = (p: string) => (p === 'source' ? eth.close : (eth as unknown as Record<string, Float64Array>)[p]!);
    cases.push(['ETH 5m', Object.fromEntries(ports.map((p) => [p, Float64Array.from(field(p))]))]);
  }
  return cases.flatMap(([label, columns]) => [
    [label, columns],
    [`${label} with NaN runs and a flat stretch`, withNaNRunsAndFlat(columns)],
  ]);
}

function withNaNRunsAndFlat(columns: Record<string, Float64Array>): Record<string, Float64Array> {
  const out = Object.fromEntries(Object.entries(columns).map(([k, v]) => [k, Float64Array.from(v)]));
  const ports = Object.keys(out);
  const n = out[ports[0]!]!.length;
  const price = out.close ?? out.source ?? out[ports[0]!]!;
  // a flat stretch of 80 rows a quarter in: every price port at one close, volume 0
  const f = Math.floor(n / 4);
  const level = price[f]!;
  for (let i = f; i < Math.min(n, f + 80); i++) for (const p of ports) out[p]![i] = p === 'volume' ? 0 : level;
  const nan = (from: number, to: number, only?: string) => {
    for (let i = Math.max(0, from); i < Math.min(n, to); i++) for (const p of only === undefined ? ports : [only]) out[p]![i] = NaN;
  };
  nan(0, 3); // an upstream still warming up
  nan(7, 8, ports[0]); // one input only
  nan(Math.floor(n / 3), Math.floor(n / 3) + 25); // a run mid-series
  nan(Math.floor(n / 2), Math.floor(n / 2) + 1, ports[ports.length - 1]); // an isolated NaN in the last input
  nan(f + 40, f + 42); // inside the flat stretch
  nan(n - 2, n); // at the end
  return out;
}

/**
 * Runs `def.batch` and loops `def.step` from `init` over the same columns; fails on the first value
 * that is not Object.is-equal (and if step ever reports not firing: kernels are for always-firing nodes).
 */
export function expectBatchMatchesStep(def: AnyNodeDefinition, params: unknown, columns: Record<string, Float64Array>, label = ''): void {
  if (def.batch === undefined) throw new Error(`${def.type} has no batch kernel`);
  const names = Object.keys(columns);
  const n = columns[names[0]!]!.length;
  const ports = Object.keys(def.outputs);
  const state = def.init(params);
  const out: Record<string, unknown> = {};
  for (const [port, spec] of Object.entries(def.outputs)) out[port] = spec.type === 'series' ? NaN : null;
  const row: Record<string, number> = {};
  const expected = Object.fromEntries(ports.map((p) => [p, new Float64Array(n)]));
  const ctx = bareContext();
  for (let i = 0; i < n; i++) {
    for (const k of names) row[k] = columns[k]![i]!;
    const fired = def.step(state, row, out, params, ctx);
    if (fired !== true) expect.fail(`${def.type} ${label}: step did not fire at row ${i}; a batch kernel needs a node that fires on every input`);
    for (const p of ports) expected[p]![i] = out[p] as number;
  }
  const inputsBefore = Object.fromEntries(names.map((k) => [k, Float64Array.from(columns[k]!)]));
  const actual = def.batch(columns, params);
  expect(Object.keys(actual).sort(), `${def.type} ${label}: batch outputs`).toEqual([...ports].sort());
  for (const p of ports) {
    const a = actual[p]!;
    const e = expected[p]!;
    expect(a, `${def.type} ${label}: batch ${p} is a Float64Array`).toBeInstanceOf(Float64Array);
    expect(a.length, `${def.type} ${label}: batch ${p} length`).toBe(n);
    for (let i = 0; i < n; i++) {
      if (!Object.is(a[i], e[i])) expect.fail(`${def.type} ${label}: batch ${p}[${i}] = ${a[i]}, step gives ${e[i]}`);
    }
  }
  for (const k of names) {
    for (let i = 0; i < n; i++) if (!Object.is(columns[k]![i], inputsBefore[k]![i])) expect.fail(`${def.type} ${label}: batch wrote to its input ${k}[${i}]`);
  }
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

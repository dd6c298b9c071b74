/**
 * Test helpers for the signal and gate nodes (imported by their *.test.ts only): drive a node row by
 * row with any input types, adapt `many` inputs to the shared contract test, compile small YAML.
 */
import { BarflowErrors, type BarflowError } from '../../../engine/core/errors.ts';
import { createRegistry, type AnyNodeDefinition, type StepContext } from '../../../engine/core/node-definition.ts';
import type { Bar } from '../../../engine/core/trading.ts';
import { compilePipelineText } from '../../../engine/pipeline/compile.ts';
import { replayFeed } from '../../feeds/replay/replay.node.ts';
import { sma } from '../../indicators/sma/sma.node.ts';
import { bareContext } from '../../_kit/run-node.ts';

export type Row = Record<string, unknown>;

/** A context whose base bar opens at `time` and lasts `interval` ms. */
export function contextAt(time: number, interval = 300_000, index = 0): StepContext {
  const bar: Bar = { ...bareContext().bar, time, interval };
  return { ...bareContext(), index, time, bar };
}

/** Steps the node once per row and returns a copy of every output after each step. */
export function runRows(def: AnyNodeDefinition, params: unknown, rows: readonly Row[], ctx: (k: number) => StepContext = () => bareContext()): Row[] {
  const state = def.init(params);
  const out: Row = {};
  return rows.map((row, k) => {
    const fired = def.step(state, row, out, params, ctx(k));
    if (fired !== true) throw new Error(`${def.type} did not fire on row ${k}`);
    return { ...out };
  });
}

/** The same node with input `port` gathered from the scalar columns `columns`, for describeNodeContract. */
export function spreadMany(def: AnyNodeDefinition, port: string, columns: readonly string[]): AnyNodeDefinition {
  return {
    ...def,
    step(state, inputs: Row, out, params, ctx) {
      const gathered: Row = { [port]: columns.map((c) => inputs[c]) };
      for (const [k, v] of Object.entries(inputs)) if (!columns.includes(k)) gathered[k] = v;
      return def.step(state, gathered, out, params, ctx);
    },
  };
}

/** A contract perturbation that flips 0/1 columns (bool inputs) and shifts the others. */
export function flipping(boolColumns: readonly string[]): (row: Record<string, number>) => Record<string, number> {
  return (row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, boolColumns.includes(k) ? 1 - v : v * 1.013 + 0.7]));
}

/** Deterministic 0/1 column with runs of varying length (a bool input for contract tests). */
export function boolColumn(n: number, seed: number): number[] {
  return Array.from({ length: n }, (_, k) => (Math.sin(k * 0.37 + seed) + Math.sin(k * 0.11 + 2 * seed) > 0 ? 1 : 0));
}

/** Compiles a pipeline of the given node lines after a candle feed named `candles`; returns its errors. */
export function compileErrors(definitions: readonly AnyNodeDefinition[], nodeLines: string): BarflowError[] {
  const yaml = `pipeline: test\nnodes:\n  candles: { type: feed.replay, params: { file: x.csv.gz } }\n${nodeLines.replace(/^/gm, '  ')}\n`;
  try {
    compilePipelineText(yaml, 'test.yaml', createRegistry([replayFeed, sma, ...definitions]));
    return [];
  } catch (error) {
    if (error instanceof BarflowErrors) return error.errors;
    throw error;
  }
}

import { readFileSync } from 'node:fs';
import { Decimal as BaseDecimal } from 'decimal.js';
import { parse as parseYamlValue } from 'yaml';
import { z } from 'zod';
import { BarflowError, BarflowErrors, closest, quote } from '../core/errors.ts';
import { canonicalJson } from '../pipeline/normalise.ts';
import { paramNames } from '../pipeline/params.ts';
import type { CompiledPipeline } from '../pipeline/plan.ts';
import { readValue, splitList } from './values.ts';

/**
 * What a sweep varies and how it searches. Params come from `--param node.param=…` on the command
 * line and/or the `params` map of a YAML spec file (`--spec sweep.yaml`); the command line wins for
 * a param named in both. Every swept value is kept as the YAML text that `--set node.param=<text>`
 * reads back to exactly that value, so a results row is reproducible with `barflow run --set`.
 */

/** A grid larger than this is refused (use random or genetic search instead). */
export const MAX_GRID = 100_000;

/** exact decimal stepping for ranges (never in exponent notation) */
const Decimal = BaseDecimal.clone({ precision: 60, toExpNeg: -60, toExpPos: 60 });

export const METHODS = ['grid', 'random', 'genetic'] as const;
export type SweepMethod = (typeof METHODS)[number];
export const OBJECTIVE_NAMES = ['netReturn', 'sharpe', 'profitFactor', 'drawdownBoundedReturn'] as const;
export type ObjectiveName = (typeof OBJECTIVE_NAMES)[number];

/** One swept value: the text written to results.csv and `--set`, and the value that text means. */
export interface SweepValue {
  text: string;
  value: unknown;
}

export interface SweepParam {
  /** `node.param`, as written */
  name: string;
  node: string;
  param: string;
  /** the values, in the order given (a range ascending) */
  values: SweepValue[];
  /** where it was given: `--param` or the spec file */
  origin: string;
}

export interface GeneticOptions {
  population: number;
  generations: number;
  tournament: number;
  crossoverRate: number;
  /** per-gene mutation probability; null = 1 / number of params */
  mutationRate: number | null;
  elitism: number;
}

export interface WalkForwardSpec {
  windows: number;
  /** bars (an integer ≥ 1) or a fraction (< 1) of the bars before the hold-out; undefined = default */
  inSample?: number;
  outOfSample?: number;
  /** fraction of the traded bars kept back at the end, never seen by the search */
  holdOut: number;
}

export interface SweepSpec {
  params: SweepParam[];
  method: SweepMethod;
  objective: ObjectiveName;
  /** drawdownBoundedReturn: the largest max-drawdown (%) a set may have */
  maxDrawdown: number;
  seed: number;
  samples: number;
  genetic: GeneticOptions;
  walkForward: WalkForwardSpec | null;
}

export const DEFAULTS = {
  method: 'grid' as SweepMethod,
  objective: 'netReturn' as ObjectiveName,
  maxDrawdown: 20,
  seed: 1,
  samples: 100,
  genetic: { population: 20, generations: 10, tournament: 3, crossoverRate: 0.9, mutationRate: null, elitism: 2 } as GeneticOptions,
  holdOut: 0.2,
};

// ---------------------------------------------------------------------------------------------
// values

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const TARGET = /^([a-z][a-z0-9_]*(?:\/[a-z][a-z0-9_]*)*)\.([a-zA-Z][a-zA-Z0-9]*)$/;


/** YAML text that reads back to `value` (numbers in JS's shortest round-trip form, collections as JSON). */
export function valueText(value: unknown): string {
  if (typeof value === 'number') return Number.isNaN(value) ? '.nan' : value === Infinity ? '.inf' : value === -Infinity ? '-.inf' : Object.is(value, -0) ? '-0.0' : String(value);
  if (Array.isArray(value) || (value !== null && typeof value === 'object')) {
    const json = JSON.stringify(value);
    if (json !== undefined && sameValue(readValue(json), value)) return json;
  }
  if (typeof value === 'string' && value !== '' && !/[\s,'"#:[\]{}]/.test(value) && readValue(value) === value) return value;
  return JSON.stringify(value) ?? String(value);
}

function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return Object.is(a, b) || a === b;
  return canonicalJson(a) === canonicalJson(b);
}

/**
 * `from:to:step`, inclusive, stepped in exact decimal arithmetic: 0.1:0.5:0.1 gives the texts
 * 0.1, 0.2, 0.3, 0.4, 0.5 (never 0.30000000000000004).
 */
export function rangeValues(name: string, origin: string, from: string, to: string, step: string): SweepValue[] {
  const w = where(origin, name);
  const fail = (message: string, value: unknown) => new BarflowError('sweep.range', `${w.prefix}: ${message}`, w.location, value);
  const num = (t: string) => (DECIMAL.test(t) ? new Decimal(t) : null);
  const a = num(from);
  const b = num(to);
  const s = num(step);
  if (a === null || b === null || s === null) throw fail(`range ${quote(`${from}:${to}:${step}`)} must be three numbers, from:to:step`, `${from}:${to}:${step}`);
  if (!s.gt(0)) throw fail(`step ${step} must be above 0`, step);
  if (b.lt(a)) throw fail(`range ${from}:${to}:${step} runs backwards (from must be at most to)`, `${from}:${to}:${step}`);
  const count = b.minus(a).div(s).floor().plus(1);
  if (count.gt(MAX_GRID)) throw fail(`range ${from}:${to}:${step} has ${count.toString()} values, above the limit of ${MAX_GRID}`, `${from}:${to}:${step}`);
  const values: SweepValue[] = [];
  for (let k = 0; k < count.toNumber(); k++) {
    const text = a.plus(s.times(k)).toFixed();
    values.push({ text, value: readValue(text) });
  }
  return values;
}


/** How a param's problems are introduced: `--param x.y: …` on the command line, `<file>: params x.y: …` from a spec file. */
export function where(origin: string, name: string): { prefix: string; location: { file?: string; field?: string; node?: string; param?: string } } {
  return origin === '--param' ? { prefix: `--param ${name}`, location: { field: '--param', ...target(name) } } : { prefix: `params ${name}`, location: { file: origin, ...target(name) } };
}

function target(name: string): { node?: string; param?: string } {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? { node: name.slice(0, dot), param: name.slice(dot + 1) } : {};
}

function splitTarget(name: string, origin: string, value?: unknown, file?: string): { node: string; param: string } {
  const m = TARGET.exec(name);
  if (m === null) throw new BarflowError('sweep.param-syntax', `${origin} ${quote(name)}: a swept param is named node_id.param (e.g. risk.stopLoss)`, { file, field: origin }, value ?? name);
  return { node: m[1]!, param: m[2]! };
}

function checkDistinct(name: string, origin: string, values: SweepValue[]): SweepValue[] {
  const w = where(origin, name);
  if (values.length === 0) throw new BarflowError('sweep.values', `${w.prefix}: no values to sweep`, w.location);
  const seen = new Map<string, string>();
  for (const v of values) {
    const key = canonicalJson(v.value) ?? 'undefined';
    const first = seen.get(key);
    if (first !== undefined) throw new BarflowError('sweep.values', `${w.prefix}: value ${v.text} ${first !== v.text ? `is the same as ${first}, listed before it` : 'is listed twice'}`, w.location, v.text);
    seen.set(key, v.text);
  }
  return values;
}

/**
 * `--param node.param=from:to:step` (a numeric range, inclusive) or `--param node.param=v1,v2,…`
 * (YAML values, as `--set` reads them: 14, 0.5, true, 15min, [1, 2]).
 */
export function parseParamArg(text: string): SweepParam {
  const origin = '--param';
  const eq = text.indexOf('=');
  if (eq < 0) throw new BarflowError('sweep.param-syntax', `--param ${quote(text)} must look like node_id.param=from:to:step or node_id.param=v1,v2,...`, { field: origin }, text);
  const name = text.slice(0, eq).trim();
  const { node, param } = splitTarget(name, origin, text);
  const raw = text.slice(eq + 1).trim();
  if (raw === '') throw new BarflowError('sweep.values', `--param ${name}: no values after "="`, { field: origin, node, param }, text);
  const parts = raw.split(':');
  const numeric = parts.every((p) => DECIMAL.test(p.trim()));
  if (parts.length === 3 && numeric && !raw.includes(',')) {
    return { name, node, param, origin, values: rangeValues(name, origin, parts[0]!.trim(), parts[1]!.trim(), parts[2]!.trim()) };
  }
  if (parts.length === 2 && numeric) throw new BarflowError('sweep.range', `--param ${name}: range ${quote(raw)} needs a step: from:to:step (e.g. ${raw}:1)`, { field: origin, node, param }, raw);
  const items = splitList(raw);
  if (items.some((i) => i === '')) throw new BarflowError('sweep.values', `--param ${name}: empty value in ${quote(raw)}`, { field: origin, node, param }, raw);
  return { name, node, param, origin, values: checkDistinct(name, origin, items.map((t) => ({ text: t, value: readValue(t) }))) };
}

// ---------------------------------------------------------------------------------------------
// the YAML spec file

const size = z.number().positive();
const RangeSchema = z.strictObject({ from: z.number(), to: z.number(), step: z.number() });
const SpecFileSchema = z.strictObject({
  params: z.record(z.string(), z.unknown()).optional(),
  method: z.enum(METHODS).optional(),
  objective: z.enum(OBJECTIVE_NAMES).optional(),
  maxDrawdown: z.number().positive().optional(),
  seed: z.number().int().min(0).max(0xffffffff).optional(),
  samples: z.number().int().min(1).optional(),
  population: z.number().int().min(2).optional(),
  generations: z.number().int().min(1).optional(),
  tournament: z.number().int().min(1).optional(),
  crossoverRate: z.number().min(0).max(1).optional(),
  mutationRate: z.number().min(0).max(1).optional(),
  elitism: z.number().int().min(0).optional(),
  walkForward: z
    .strictObject({
      windows: z.number().int().min(1),
      inSample: size.optional(),
      outOfSample: size.optional(),
      holdOut: z.number().gt(0).lt(1).optional(),
    })
    .optional(),
});

export type SpecFile = Omit<z.infer<typeof SpecFileSchema>, 'params'> & { params: SweepParam[] };

/** Reads and validates `--spec sweep.yaml`; errors name the file and the key (and the param). */
export function readSpecFile(file: string): SpecFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new BarflowError('sweep.spec-read', `cannot read sweep spec: ${(error as Error).message}`, { file });
  }
  let raw: unknown;
  try {
    raw = parseYamlValue(text);
  } catch (error) {
    throw new BarflowError('sweep.spec-yaml', `sweep spec is not valid YAML: ${(error as Error).message}`, { file });
  }
  return parseSpecObject(raw ?? {}, file);
}

export function parseSpecObject(raw: unknown, file: string): SpecFile {
  const parsed = SpecFileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new BarflowErrors(
      parsed.error.issues.map((issue) => {
        const path = issue.path.map(String);
        const param = path[0] === 'params' && path[1] !== undefined ? path[1] : undefined;
        const where = path.length === 0 ? 'the spec' : path[0] === 'params' && param !== undefined ? `params ${quote(param)}${path.length > 2 ? `.${path.slice(2).join('.')}` : ''}` : path.join('.');
        const value = issue.path.reduce<unknown>((v, k) => (v as Record<string | number, unknown> | undefined)?.[k as string], raw);
        return new BarflowError('sweep.spec', `${where}: ${issueText(issue)}`, { file, ...(param !== undefined ? target(param) : { field: path.join('.') || undefined }) }, value);
      }),
    );
  }
  const { params: rawParams, ...rest } = parsed.data;
  const params: SweepParam[] = [];
  for (const [name, def] of Object.entries(rawParams ?? {})) {
    const origin = file;
    const { node, param } = splitTarget(name, 'params', name, file);
    const fail = (message: string) => new BarflowError('sweep.spec', `params ${name}: ${message}`, { file, node, param }, def);
    if (Array.isArray(def)) {
      if (def.length === 0) throw fail('no values to sweep');
      const values = def.map((value) => {
        const text = valueText(value);
        if (!sameValue(readValue(text), value)) throw new BarflowError('sweep.values', `params ${name}: value ${quote(value)} cannot be written as a --set value`, { file, node, param }, value);
        return { text, value: readValue(text) };
      });
      params.push({ name, node, param, origin, values: checkDistinct(name, origin, values) });
    } else if (def !== null && typeof def === 'object') {
      const range = RangeSchema.safeParse(def);
      if (!range.success) throw new BarflowErrors(range.error.issues.map((issue) => fail(`${issue.path.length > 0 ? `${issue.path.join('.')}: ` : ''}${issueText(issue)}`)));
      params.push({ name, node, param, origin, values: rangeValues(name, origin, String(range.data.from), String(range.data.to), String(range.data.step)) });
    } else throw fail(`expected { from, to, step } or a list of values, got ${quote(def)}`);
  }
  return { ...rest, params };
}

function issueText(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => quote(k)).join(', ')}`;
  return issue.message;
}

// ---------------------------------------------------------------------------------------------
// the command line and the spec file, merged

export interface CliSpec {
  params?: readonly string[];
  method?: string;
  objective?: string;
  maxDrawdown?: string;
  seed?: string;
  samples?: string;
  population?: string;
  generations?: string;
  walkForward?: string;
  inSample?: string;
  outOfSample?: string;
  holdOut?: string;
}

export function buildSpec(file: SpecFile | null, cli: CliSpec): SweepSpec {
  const byName = new Map<string, SweepParam>();
  for (const p of file?.params ?? []) byName.set(p.name, p);
  for (const text of cli.params ?? []) {
    const p = parseParamArg(text);
    if (byName.has(p.name) && byName.get(p.name)!.origin === '--param') throw new BarflowError('sweep.values', `--param ${p.name} is given twice; list all its values in one --param`, { field: '--param', node: p.node, param: p.param });
    byName.set(p.name, p);
  }
  const params = [...byName.values()];
  if (params.length === 0) throw new BarflowError('sweep.no-params', 'nothing to sweep: give --param node.param=from:to:step or =v1,v2,... (or a --spec file with params)', { field: '--param' });
  const method = choice('--method', cli.method, METHODS) ?? file?.method ?? DEFAULTS.method;
  const objective = choice('--objective', cli.objective, OBJECTIVE_NAMES) ?? file?.objective ?? DEFAULTS.objective;
  const windows = integer('--walk-forward', cli.walkForward, 1) ?? file?.walkForward?.windows;
  const walkForward: WalkForwardSpec | null =
    windows === undefined
      ? null
      : {
          windows,
          inSample: sizeArg('--in-sample', cli.inSample) ?? file?.walkForward?.inSample,
          outOfSample: sizeArg('--out-of-sample', cli.outOfSample) ?? file?.walkForward?.outOfSample,
          holdOut: fraction('--hold-out', cli.holdOut) ?? file?.walkForward?.holdOut ?? DEFAULTS.holdOut,
        };
  if (walkForward === null) {
    for (const [flag, v] of [['--in-sample', cli.inSample], ['--out-of-sample', cli.outOfSample], ['--hold-out', cli.holdOut]] as const) {
      if (v !== undefined) throw new BarflowError('sweep.walk-forward', `${flag} needs --walk-forward <windows>`, { field: flag }, v);
    }
  }
  for (const s of [walkForward?.inSample, walkForward?.outOfSample]) if (s !== undefined) checkSize(s);
  return {
    params,
    method,
    objective,
    maxDrawdown: positive('--max-drawdown', cli.maxDrawdown) ?? file?.maxDrawdown ?? DEFAULTS.maxDrawdown,
    seed: integer('--seed', cli.seed, 0, 0xffffffff) ?? file?.seed ?? DEFAULTS.seed,
    samples: integer('--samples', cli.samples, 1) ?? file?.samples ?? DEFAULTS.samples,
    genetic: {
      population: integer('--population', cli.population, 2) ?? file?.population ?? DEFAULTS.genetic.population,
      generations: integer('--generations', cli.generations, 1) ?? file?.generations ?? DEFAULTS.genetic.generations,
      tournament: file?.tournament ?? DEFAULTS.genetic.tournament,
      crossoverRate: file?.crossoverRate ?? DEFAULTS.genetic.crossoverRate,
      mutationRate: file?.mutationRate ?? DEFAULTS.genetic.mutationRate,
      elitism: file?.elitism ?? DEFAULTS.genetic.elitism,
    },
    walkForward,
  };
}

function checkSize(n: number): void {
  if (n >= 1 && !Number.isInteger(n)) throw new BarflowError('sweep.walk-forward', `window size ${n} must be a whole number of bars (≥ 1) or a fraction below 1`, { field: 'walkForward' }, n);
}

function choice<T extends string>(flag: string, text: string | undefined, options: readonly T[]): T | undefined {
  if (text === undefined) return undefined;
  if ((options as readonly string[]).includes(text)) return text as T;
  const hint = closest(text, options);
  throw new BarflowError('cli.option', `${flag} ${quote(text)} is not one of ${options.join(', ')}${hint ? ` (did you mean ${quote(hint)}?)` : ''}`, { field: flag }, text);
}

function integer(flag: string, text: string | undefined, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < min || n > max) throw new BarflowError('cli.option', `${flag} ${quote(text)} must be a whole number from ${min}${max < Number.MAX_SAFE_INTEGER ? ` to ${max}` : ''}`, { field: flag }, text);
  return n;
}

function positive(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!DECIMAL.test(text.trim()) || !(n > 0)) throw new BarflowError('cli.option', `${flag} ${quote(text)} must be a number above 0`, { field: flag }, text);
  return n;
}

function fraction(flag: string, text: string | undefined): number | undefined {
  const n = positive(flag, text);
  if (n !== undefined && !(n < 1)) throw new BarflowError('cli.option', `${flag} ${quote(text)} must be a fraction between 0 and 1 (e.g. 0.2)`, { field: flag }, text);
  return n;
}

function sizeArg(flag: string, text: string | undefined): number | undefined {
  const n = positive(flag, text);
  if (n !== undefined && n >= 1 && !Number.isInteger(n)) throw new BarflowError('cli.option', `${flag} ${quote(text)} must be a whole number of bars or a fraction below 1`, { field: flag }, text);
  return n;
}

// ---------------------------------------------------------------------------------------------
// against the pipeline

/**
 * Before any run: every swept node exists, has the param, and accepts every value by its own
 * schema (with the pipeline's other params as they are). Problems are collected and thrown together.
 */
export function checkSpecAgainstPlan(spec: SweepSpec, plan: CompiledPipeline): void {
  const errors: BarflowError[] = [];
  for (const p of spec.params) {
    const { prefix, location: loc } = where(p.origin, p.name);
    const node = plan.byId.get(p.node);
    if (node === undefined) {
      const hint = closest(p.node, plan.byId.keys());
      errors.push(new BarflowError('sweep.unknown-node', `${prefix}: ${plan.name} has no node ${quote(p.node)}${hint ? ` (did you mean ${quote(hint)}?)` : ''}; \`barflow validate\` lists the graph, sub-graph nodes are named instance/node`, loc, p.node));
      continue;
    }
    const known = paramNames(node.def);
    if (!known.includes(p.param)) {
      const hint = closest(p.param, known);
      errors.push(new BarflowError('sweep.unknown-param', `${prefix}: ${node.def.type} has no param ${quote(p.param)}${hint ? ` (did you mean ${quote(hint)}?)` : ''}; known: ${known.join(', ') || '(none)'}`, loc, p.param));
      continue;
    }
    if (node.def.role === 'candles') {
      // every set of a sweep runs on the one series it loaded (the batch executor shares its bars
      // and signal columns): sets that named another file, symbol or timeframe would silently run
      // on that series, unchecked
      errors.push(new BarflowError('sweep.data-param', `${prefix}: ${p.node}.${p.param} describes the data, and a sweep runs every set on the one series it loads; sweep each data file on its own (--data <file>)`, loc, p.param));
      continue;
    }
    for (const v of p.values) {
      const parsed = node.def.params.safeParse({ ...(node.params as Record<string, unknown>), [p.param]: v.value });
      if (parsed.success) continue;
      const issue = parsed.error.issues.find((i) => String(i.path[0]) === p.param) ?? parsed.error.issues[0]!;
      errors.push(new BarflowError('sweep.invalid-value', `${prefix}: value ${v.text} is not valid for ${node.def.type}: ${valueIssue(issue)}`, loc, v.value));
    }
  }
  if (errors.length > 0) throw new BarflowErrors(errors);
}

function valueIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'too_small':
      return `below the minimum ${String(issue.minimum)}${issue.inclusive === false ? ' (exclusive)' : ''}`;
    case 'too_big':
      return `above the maximum ${String(issue.maximum)}${issue.inclusive === false ? ' (exclusive)' : ''}`;
    case 'invalid_type':
      return `expected ${issue.expected}`;
    case 'invalid_value':
      return `not one of ${issue.values.map((v) => quote(v)).join(', ')}`;
    case 'not_multiple_of':
      return `not a multiple of ${String(issue.divisor)}`;
    default:
      return issue.message;
  }
}

export { readValue, splitList };

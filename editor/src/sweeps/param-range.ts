import { readValue, splitList } from '../../../engine/sweep/values.ts';

/**
 * The sweep form's params, as typed: a numeric range (from, to, step; inclusive, exact decimal
 * steps, as the server counts them) or a comma list of values read as YAML — exactly as
 * `barflow sweep --param node.param=v1,v2` reads them (14, 0.5, true, 15min, [1, 2]). Pure.
 */

export type ParamMode = 'range' | 'list';

export interface ParamDraft {
  key: number;
  node: string;
  param: string;
  mode: ParamMode;
  from: string;
  to: string;
  step: string;
  list: string;
}

/** What the node type says about a param (from GET /api/nodes). */
export interface ParamInfo {
  name: string;
  type: string;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  enum?: unknown[];
  optional?: boolean;
}

export type RangeSpec = { from: number; to: number; step: number };
export type ParamValues = RangeSpec | unknown[];

export type Parsed<T> = { ok: true; value: T; count: number } | { ok: false; error: string };

/** Most values one param may take in the editor (the server allows 5000 sets in all). */
export const MAX_VALUES = 1000;

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function decimals(text: string): number {
  const [mantissa, exponent] = text.toLowerCase().split('e') as [string, string | undefined];
  const dot = mantissa.indexOf('.');
  const places = dot < 0 ? 0 : mantissa.length - dot - 1;
  return Math.max(0, places - Number(exponent ?? 0));
}

/** How many values `from..to` by `step` has, counted exactly in decimal (0.1..0.5 by 0.1 is 5). */
export function rangeCount(from: string, to: string, step: string): number {
  const places = Math.min(20, Math.max(decimals(from), decimals(to), decimals(step)));
  const scale = 10 ** places;
  const a = Math.round(Number(from) * scale);
  const b = Math.round(Number(to) * scale);
  const s = Math.round(Number(step) * scale);
  if (!(s > 0) || b < a) return 0;
  return Math.floor((b - a) / s) + 1;
}

/** The values of a range as the server writes them (first few), for previews. */
export function rangePreview(from: string, to: string, step: string, max = 6): string[] {
  const places = Math.min(20, Math.max(decimals(from), decimals(to), decimals(step)));
  const scale = 10 ** places;
  const a = Math.round(Number(from) * scale);
  const s = Math.round(Number(step) * scale);
  const n = Math.min(max, rangeCount(from, to, step));
  return Array.from({ length: n }, (_, k) => trimZeros(((a + s * k) / scale).toFixed(places)));
}

function trimZeros(text: string): string {
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}

export function parseRange(from: string, to: string, step: string, info?: ParamInfo): Parsed<RangeSpec> {
  const f = from.trim();
  const t = to.trim();
  const s = step.trim();
  if (f === '' || t === '' || s === '') return { ok: false, error: 'give from, to and step' };
  for (const [label, text] of [['from', f], ['to', t], ['step', s]] as const) if (!DECIMAL.test(text)) return { ok: false, error: `${label} "${text}" is not a number` };
  if (!(Number(s) > 0)) return { ok: false, error: 'step must be above 0' };
  if (Number(t) < Number(f)) return { ok: false, error: 'from must be at most to' };
  const count = rangeCount(f, t, s);
  if (count > MAX_VALUES) return { ok: false, error: `${count.toLocaleString('en-US')} values: at most ${MAX_VALUES} per param` };
  if (info?.type === 'integer' && [f, s].some((x) => !Number.isInteger(Number(x)))) return { ok: false, error: `${info.name} takes whole numbers: use a whole from and step` };
  const bound = boundsProblem(Number(f), info) ?? boundsProblem(Number(rangePreview(f, t, s, count).pop() ?? t), info);
  if (bound !== null) return { ok: false, error: bound };
  return { ok: true, value: { from: Number(f), to: Number(t), step: Number(s) }, count };
}

function boundsProblem(value: number, info?: ParamInfo): string | null {
  if (info === undefined) return null;
  if (info.minimum !== undefined && value < info.minimum) return `${value} is below the minimum ${info.minimum}`;
  if (info.maximum !== undefined && value > info.maximum) return `${value} is above the maximum ${info.maximum}`;
  return null;
}



export function parseList(text: string, info?: ParamInfo): Parsed<unknown[]> {
  if (text.trim() === '') return { ok: false, error: 'give values, separated by commas' };
  const items = splitList(text);
  if (items.some((i) => i === '')) return { ok: false, error: 'an empty value between commas' };
  if (items.length > MAX_VALUES) return { ok: false, error: `${items.length} values: at most ${MAX_VALUES} per param` };
  const values = items.map(readValue);
  const seen = new Set<string>();
  for (let k = 0; k < values.length; k++) {
    const key = JSON.stringify(values[k]);
    if (seen.has(key)) return { ok: false, error: `${items[k]} is listed twice` };
    seen.add(key);
    const v = values[k];
    if (typeof v === 'number') {
      const problem = boundsProblem(v, info);
      if (problem !== null) return { ok: false, error: problem };
      if (info?.type === 'integer' && !Number.isInteger(v)) return { ok: false, error: `${info.name} takes whole numbers, not ${items[k]}` };
    }
  }
  return { ok: true, value: values, count: values.length };
}

export function parseDraft(draft: ParamDraft, info?: ParamInfo): Parsed<ParamValues> {
  if (draft.node === '' || draft.param === '') return { ok: false, error: 'choose a node and a param' };
  return draft.mode === 'range' ? parseRange(draft.from, draft.to, draft.step, info) : parseList(draft.list, info);
}

export interface BuiltParams {
  params: Record<string, ParamValues>;
  /** one per draft (null when fine) */
  errors: (string | null)[];
  /** sets in the full grid (the product of the value counts) */
  gridSize: number;
}

/** The request's `params` from the drafts; a param named twice is an error on the later one. */
export function buildParams(drafts: readonly ParamDraft[], infoOf: (draft: ParamDraft) => ParamInfo | undefined): BuiltParams {
  const params: Record<string, ParamValues> = {};
  const errors: (string | null)[] = [];
  let gridSize = 1;
  for (const draft of drafts) {
    const parsed = parseDraft(draft, infoOf(draft));
    const name = `${draft.node}.${draft.param}`;
    if (!parsed.ok) errors.push(parsed.error);
    else if (Object.hasOwn(params, name)) errors.push(`${name} is swept twice`);
    else {
      params[name] = parsed.value;
      gridSize *= parsed.count;
      errors.push(null);
    }
  }
  return { params, errors, gridSize: drafts.length === 0 ? 0 : gridSize };
}

/** The sets a search evaluates: the grid, the samples, or at most population × generations. */
export function setsToRun(gridSize: number, method: 'grid' | 'random' | 'genetic', samples: number, population: number, generations: number): number {
  if (method === 'grid') return gridSize;
  if (method === 'random') return Math.min(samples, gridSize);
  return Math.min(population * generations, gridSize);
}

/** "default 14 · min 2 · max 500" */
export function describeParam(info: ParamInfo | undefined, current: unknown): string {
  if (info === undefined) return '';
  const parts: string[] = [info.type];
  if (current !== undefined) parts.push(`now ${short(current)}`);
  if (info.default !== undefined) parts.push(`default ${short(info.default)}`);
  if (info.minimum !== undefined) parts.push(`min ${info.minimum}`);
  if (info.maximum !== undefined) parts.push(`max ${info.maximum}`);
  if (info.enum !== undefined) parts.push(`one of ${info.enum.map(short).join(', ')}`);
  return parts.join(' · ');
}

function short(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 40 ? `${text.slice(0, 37)}…` : text;
}

/** 1, 2 or 5 × a power of ten, at least `x` */
export function niceStep(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) return 1;
  const p = 10 ** Math.floor(Math.log10(x));
  const m = x / p;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

/**
 * A first guess for a param just picked: numbers get five values around the current one (within
 * the bounds), anything else a list of its current value (or its enum's values).
 */
export function suggestDraft(key: number, node: string, info: ParamInfo | undefined, current: unknown): ParamDraft {
  const base: ParamDraft = { key, node, param: info?.name ?? '', mode: 'list', from: '', to: '', step: '', list: '' };
  if (info === undefined) return base;
  const value = current ?? info.default;
  if ((info.type === 'integer' || info.type === 'number') && typeof value === 'number' && Number.isFinite(value)) {
    const integer = info.type === 'integer';
    let step = integer ? Math.max(1, Math.round(Math.abs(value) * 0.1)) : niceStep(Math.abs(value) * 0.05 || 0.1);
    if (integer) step = Math.max(1, Math.round(step));
    const places = integer ? 0 : Math.max(decimals(String(step)), decimals(String(value)));
    const fix = (x: number) => trimZeros(x.toFixed(Math.min(20, places)));
    let from = value - 2 * step;
    let to = value + 2 * step;
    if (info.minimum !== undefined && from < info.minimum) from = value - step * Math.floor((value - info.minimum) / step);
    if (info.maximum !== undefined && to > info.maximum) to = value + step * Math.floor((info.maximum - value) / step);
    return { ...base, mode: 'range', from: fix(from), to: fix(to), step: fix(step) };
  }
  if (info.enum !== undefined && info.enum.length > 0) return { ...base, list: info.enum.map(listText).join(', ') };
  if (info.type === 'boolean') return { ...base, list: 'true, false' };
  return { ...base, list: value === undefined ? '' : listText(value) };
}

/** A value as list text that reads back to it. */
export function listText(value: unknown): string {
  if (typeof value === 'string') return /[,'"[\]{}#:]|^\s|\s$|^$/.test(value) || typeof readValue(value) !== 'string' ? JSON.stringify(value) : value;
  return JSON.stringify(value) ?? String(value);
}

export { readValue, splitList };

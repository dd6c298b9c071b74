import { parseDocument } from 'yaml';
import type { NodeTypeInfo } from '../api/client.ts';

/**
 * What the cursor is on in a pipeline's YAML, for completion and hover: the path of keys from the
 * root, whether a key or a value is being written, and the partial word. Pure (no Monaco), so it
 * runs in vitest. It reads block structure from indentation and flow collections (`{ … }`, `[ … ]`)
 * on the cursor's line, which is how pipeline files are written; it needs no valid document.
 */
export interface CursorContext {
  /** key position: the path of the mapping holding the key; value position: the path including the key */
  path: string[];
  position: 'key' | 'value';
  /** the value is an item of a list (`[a, b]` or `- a`) */
  inList: boolean;
  /** the word being written, from `start` to the cursor */
  prefix: string;
  /** 1-based columns of the word under the cursor (the range a completion replaces) */
  start: number;
  end: number;
  /** the character before the word is `:` with no space (a completion adds one) */
  needsSpace: boolean;
}

const WORD = /[A-Za-z0-9_.$/\-]/;

interface Frame {
  kind: 'map' | 'seq';
  path: string[];
  key: string | null;
  expectKey: boolean;
}

function indentOf(line: string): number {
  return /^ */.exec(line)![0].length;
}

const KEY_LINE = /^(\s*)(?:-\s+)?("(?:[^"\\]|\\.)*"|'[^']*'|[^\s#'"{}[\],:][^#:]*?)\s*:(?:\s|$)/;

function unquote(key: string): string {
  const k = key.trim();
  if ((k.startsWith('"') && k.endsWith('"')) || (k.startsWith("'") && k.endsWith("'"))) return k.slice(1, -1);
  return k;
}

/** The keys of the block mappings enclosing line `index` whose content starts at column `indent`. */
function blockPath(lines: string[], index: number, indent: number): string[] {
  const path: string[] = [];
  let want = indent;
  for (let j = index - 1; j >= 0 && want > 0; j--) {
    const line = lines[j]!;
    if (/^\s*(#.*)?$/.test(line)) continue;
    const lind = indentOf(line);
    if (lind >= want) continue;
    const m = KEY_LINE.exec(line);
    // Only `key:` with nothing after it (but a comment, an anchor/tag or a block scalar) opens a
    // block; `key: value` at a smaller indent is a sibling the user has not indented under yet.
    if (m !== null && /^\s*(?:[&!][^\s]*\s*)*(?:[|>][-+0-9]*\s*)?(?:#.*)?$/.test(line.slice(m[0].length))) {
      path.unshift(unquote(m[2]!));
      want = lind;
    } else if (m === null) {
      want = lind;
    }
  }
  return path;
}

/** The cursor's context at 1-based `line`/`column` (the cursor sits before character `column`). */
export function cursorContext(text: string, line: number, column: number): CursorContext | null {
  const lines = text.split(/\r?\n/);
  const current = lines[line - 1];
  if (current === undefined) return null;
  const cursor = Math.min(column - 1, current.length);
  const prefix = current.slice(0, cursor);
  const lead = indentOf(current);
  let contentStart = Math.min(lead, prefix.length);
  const dash = /^(\s*)-(\s+|$)/.exec(prefix);
  const baseIndent = contentStart;
  const path = blockPath(lines, line - 1, baseIndent);
  const stack: Frame[] = [];
  if (dash !== null) {
    stack.push({ kind: 'seq', path, key: null, expectKey: false });
    contentStart = dash[0].length;
  } else {
    stack.push({ kind: 'map', path, key: null, expectKey: true });
  }
  const s = prefix;
  let k = contentStart;
  let partialStart = -1;
  let quoted = false;
  const top = (): Frame => stack[stack.length - 1]!;
  const inFlow = (): boolean => stack.length > 1;
  const childPath = (): string[] => {
    const t = top();
    return t.kind === 'map' ? [...t.path, t.key ?? ''] : t.path;
  };
  while (k < s.length) {
    const c = s[k]!;
    if (c === ' ' || c === '\t') {
      k++;
      continue;
    }
    if (c === '#' && (k === 0 || /\s/.test(s[k - 1]!))) return null;
    if (c === '{' || c === '[') {
      stack.push({ kind: c === '{' ? 'map' : 'seq', path: childPath(), key: null, expectKey: c === '{' });
      k++;
      continue;
    }
    if (c === '}' || c === ']') {
      if (stack.length > 1) stack.pop();
      k++;
      continue;
    }
    if (c === ',' && inFlow()) {
      const t = top();
      if (t.kind === 'map') {
        t.expectKey = true;
        t.key = null;
      }
      k++;
      continue;
    }
    if (c === '"' || c === "'") {
      let m = k + 1;
      while (m < s.length && s[m] !== c) m += s[m] === '\\' && c === '"' ? 2 : 1;
      if (m >= s.length) {
        partialStart = k + 1;
        quoted = true;
        k = s.length;
        break;
      }
      const scalar = s.slice(k + 1, m);
      k = m + 1;
      while (k < s.length && s[k] === ' ') k++;
      if (s[k] === ':') {
        top().key = scalar;
        top().expectKey = false;
        k++;
      }
      continue;
    }
    // a plain scalar: up to ": ", " #", or a flow indicator inside a flow collection
    let m = k;
    let isKey = false;
    while (m < s.length) {
      const d = s[m]!;
      if (d === ':' && (m + 1 >= s.length || /[\s,{}[\]]/.test(s[m + 1]!))) {
        isKey = true;
        break;
      }
      if (d === '#' && /\s/.test(s[m - 1] ?? '')) break;
      if (inFlow() && /[,{}[\]]/.test(d)) break;
      m++;
    }
    if (isKey) {
      const t = top();
      t.key = s.slice(k, m).trim();
      t.expectKey = false;
      k = m + 1;
      continue;
    }
    if (m >= s.length) {
      partialStart = k;
      k = s.length;
      break;
    }
    // a complete value
    const t = top();
    if (t.kind === 'map') t.expectKey = false;
    k = m;
  }
  // The word under the cursor: its start (within the partial scalar) and its end after the cursor.
  let start = cursor;
  while (start > 0 && WORD.test(current[start - 1]!) && (partialStart < 0 || start > partialStart)) start--;
  if (partialStart >= 0 && !quoted) {
    // a plain scalar with spaces in it: complete only its last word
    start = Math.max(start, partialStart);
  }
  let end = cursor;
  while (end < current.length && WORD.test(current[end]!)) end++;
  const t = top();
  const word = current.slice(start, cursor);
  const needsSpace = start > 0 && current[start - 1] === ':';
  if (t.kind === 'seq') {
    return { path: t.path, position: 'value', inList: true, prefix: word, start: start + 1, end: end + 1, needsSpace };
  }
  if (t.expectKey) {
    return { path: t.path, position: 'key', inList: false, prefix: word, start: start + 1, end: end + 1, needsSpace: false };
  }
  return { path: [...t.path, t.key ?? ''], position: 'value', inList: false, prefix: word, start: start + 1, end: end + 1, needsSpace };
}

// ---------------------------------------------------------------------------------------------
// The document as plain data (as far as it parses)

interface RawNode {
  type?: unknown;
  use?: unknown;
  params?: unknown;
  in?: unknown;
}

interface RawSubgraph {
  description?: unknown;
  params?: unknown;
  inputs?: unknown;
  outputs?: unknown;
  nodes?: unknown;
}

export interface Outline {
  keys: string[];
  nodes: Record<string, RawNode>;
  subgraphs: Record<string, RawSubgraph>;
}

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** The pipeline's nodes and sub-graphs as plain data; tolerant of an unfinished line. */
export function outline(text: string): Outline | null {
  try {
    const doc = parseDocument(text, { uniqueKeys: false, prettyErrors: false });
    const js = record(doc.toJS({ maxAliasCount: 64 }));
    return {
      keys: Object.keys(js),
      nodes: record(js['nodes']) as Record<string, RawNode>,
      subgraphs: record(js['subgraphs']) as Record<string, RawSubgraph>,
    };
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// Suggestions

export type SuggestionKind = 'type' | 'subgraph' | 'param' | 'field' | 'port' | 'reference' | 'value' | 'template-param';

export interface Suggestion {
  label: string;
  kind: SuggestionKind;
  /** text to insert; `snippet` when it holds `${1:…}` placeholders */
  insert: string;
  snippet?: boolean;
  detail?: string;
  /** markdown */
  documentation?: string;
  sort?: string;
}

export interface Suggestions {
  items: Suggestion[];
  /** 1-based columns of the range the suggestions replace */
  start: number;
  end: number;
}

const TOP_KEYS: [string, string][] = [
  ['pipeline', 'the pipeline name: lowercase letters, digits, "-" or "_"'],
  ['description', 'text shown in lists and reports'],
  ['locked', 'canonical pipelines only (forks cannot be locked)'],
  ['subgraphs', 'reusable templates, instantiated with `use:`'],
  ['nodes', 'node id → node'],
];

const NODE_FIELDS: [string, string][] = [
  ['type', 'a node type (`indicator.rsi`)'],
  ['use', 'instead of `type`: a sub-graph to instantiate'],
  ['version', "optional: pins the node type's version"],
  ['params', 'param name → value; omitted params take their defaults'],
  ['in', 'input port → `node.port` reference (a list for a `many` port)'],
  ['label', 'text for people and the editor (not part of the hash)'],
];

const SUBGRAPH_FIELDS: [string, string][] = [
  ['description', 'what the template is'],
  ['params', 'name → default (`~` = required); used as `$name` inside'],
  ['inputs', 'name → port type; used as `$in.name` inside'],
  ['outputs', 'name → inner `node.port`'],
  ['nodes', 'the template’s nodes'],
];

/** Where a path points inside a node: top-level (`nodes.x`) or in a template (`subgraphs.s.nodes.x`). */
export interface NodeScope {
  subgraph: string | null;
  nodeId: string;
  rest: string[];
}

export function nodeScope(path: string[]): NodeScope | null {
  if (path[0] === 'nodes' && path.length >= 2) return { subgraph: null, nodeId: path[1]!, rest: path.slice(2) };
  if (path[0] === 'subgraphs' && path[2] === 'nodes' && path.length >= 4) return { subgraph: path[1]!, nodeId: path[3]!, rest: path.slice(4) };
  return null;
}

function nodesIn(out: Outline, subgraph: string | null): Record<string, RawNode> {
  if (subgraph === null) return out.nodes;
  return record(out.subgraphs[subgraph]?.nodes) as Record<string, RawNode>;
}

export function formatValue(value: unknown): string {
  if (value === undefined) return '';
  if (value === null) return '~';
  if (typeof value === 'string') return /^[A-Za-z0-9_.\-/]+$/.test(value) && !/^(true|false|null|~|-?\d)/.test(value) ? value : `'${value.replace(/'/g, "''")}'`;
  if (Array.isArray(value)) return `[${value.map(formatValue).join(', ')}]`;
  if (typeof value === 'object') return `{ ${Object.entries(value as object).map(([k, v]) => `${k}: ${formatValue(v)}`).join(', ')} }`;
  return String(value);
}

type ParamInfo = NodeTypeInfo['params'][number];

/** "integer · default 14 · 2 … 10000" */
export function paramSummary(type: NodeTypeInfo, param: ParamInfo): string {
  const schema = record(record(type.paramsSchema['properties'])[param.name]);
  const parts = [param.type];
  if (param.default !== undefined) parts.push(`default ${formatValue(param.default)}`);
  else if (param.optional) parts.push('optional');
  else parts.push('required');
  const lo = schema['exclusiveMinimum'] !== undefined ? `> ${String(schema['exclusiveMinimum'])}` : schema['minimum'] !== undefined ? `≥ ${String(schema['minimum'])}` : null;
  const hi = schema['exclusiveMaximum'] !== undefined ? `< ${String(schema['exclusiveMaximum'])}` : schema['maximum'] !== undefined ? `≤ ${String(schema['maximum'])}` : null;
  if (lo !== null || hi !== null) parts.push([lo, hi].filter((x) => x !== null).join(', '));
  if (schema['minItems'] !== undefined || schema['maxItems'] !== undefined) {
    const a = schema['minItems'];
    const b = schema['maxItems'];
    parts.push(a !== undefined && a === b ? `${String(a)} items` : `${a !== undefined ? `≥ ${String(a)}` : ''}${a !== undefined && b !== undefined ? ', ' : ''}${b !== undefined ? `≤ ${String(b)}` : ''} items`);
  }
  return parts.join(' · ');
}

export function paramMarkdown(type: NodeTypeInfo, param: ParamInfo): string {
  return `**${param.name}** — \`${type.type}\`\n\n${param.description ?? ''}\n\n${paramSummary(type, param)}`.trim();
}

export function typeMarkdown(type: NodeTypeInfo): string {
  const ports = (ps: Record<string, { type: string; many?: boolean; optional?: boolean }>) =>
    Object.entries(ps)
      .map(([name, p]) => `\`${name}\` ${p.type}${p.many ? '[]' : ''}${p.optional ? '?' : ''}`)
      .join(', ') || '—';
  const params = type.params.map((p) => `\`${p.name}\`${p.default !== undefined ? ` = ${formatValue(p.default)}` : ''}`).join(', ') || '—';
  return [`**${type.type}** — ${type.title} (v${type.version}, ${type.category})`, type.summary, `inputs: ${ports(type.inputs)}`, `outputs: ${ports(type.outputs)}`, `params: ${params}`].join('\n\n');
}

function subgraphMarkdown(name: string, sg: RawSubgraph): string {
  const params = Object.entries(record(sg.params))
    .map(([k, v]) => `\`${k}\`${v === null ? ' (required)' : ` = ${formatValue(v)}`}`)
    .join(', ');
  const inputs = Object.entries(record(sg.inputs))
    .map(([k, v]) => `\`${k}\` ${String(v)}`)
    .join(', ');
  const outputs = Object.keys(record(sg.outputs)).map((k) => `\`${k}\``).join(', ');
  return [`**${name}** — sub-graph`, typeof sg.description === 'string' ? sg.description : '', `params: ${params || '—'}`, `inputs: ${inputs || '—'}`, `outputs: ${outputs || '—'}`].filter((x) => x !== '').join('\n\n');
}

interface PortRef {
  label: string;
  type: string | null;
  detail: string;
  documentation?: string;
}

/** Every `node.port` a reference can name in a scope (a template's nodes and `$in.x`, or the top level). */
function references(out: Outline, subgraph: string | null, types: Map<string, NodeTypeInfo>): PortRef[] {
  const refs: PortRef[] = [];
  for (const [id, node] of Object.entries(nodesIn(out, subgraph))) {
    const raw = record(node);
    if (typeof raw['type'] === 'string') {
      const type = types.get(raw['type']);
      if (type === undefined) continue;
      for (const [port, spec] of Object.entries(type.outputs)) {
        refs.push({ label: `${id}.${port}`, type: spec.type, detail: `${spec.type} · ${type.type}`, documentation: spec.help });
      }
    } else if (typeof raw['use'] === 'string') {
      const sg = out.subgraphs[raw['use']];
      if (sg === undefined) continue;
      for (const [name, inner] of Object.entries(record(sg.outputs))) {
        refs.push({ label: `${id}.${name}`, type: null, detail: `output of ${raw['use']} → ${String(inner)}` });
      }
    }
  }
  if (subgraph !== null) {
    for (const [name, type] of Object.entries(record(out.subgraphs[subgraph]?.inputs))) {
      refs.push({ label: `$in.${name}`, type: typeof type === 'string' ? type : null, detail: `${String(type)} · input of ${subgraph}` });
    }
  }
  return refs;
}

function presentKeys(text: string, path: string[]): Set<string> {
  try {
    const doc = parseDocument(text, { uniqueKeys: false });
    const node = path.length === 0 ? doc.toJS() : doc.getIn(path);
    const plain = node !== null && typeof node === 'object' && 'toJSON' in (node as object) ? (node as { toJSON(): unknown }).toJSON() : node;
    return new Set(Object.keys(record(plain)));
  } catch {
    return new Set();
  }
}

/**
 * Completion at 1-based line/column: node types after `type:`, sub-graphs after `use:`, param names
 * (with defaults) under `params:`, input ports under `in:`, `node.port` references as input
 * values, enum/boolean/default values and `$param`s for params, the fields of a node.
 */
export function suggest(text: string, line: number, column: number, nodeTypes: NodeTypeInfo[], fallback?: Outline | null): Suggestions | null {
  const ctx = cursorContext(text, line, column);
  if (ctx === null) return null;
  const out = outline(text) ?? fallback ?? null;
  if (out === null) return null;
  const types = new Map(nodeTypes.map((t) => [t.type, t]));
  const items: Suggestion[] = [];
  const { path } = ctx;
  const space = ctx.needsSpace ? ' ' : '';
  const scope = nodeScope(path);
  const keyItems = (fields: [string, string][], kind: SuggestionKind, exclude: Set<string>) => {
    fields.forEach(([name, doc], i) => {
      if (!exclude.has(name)) items.push({ label: name, kind, insert: `${name}: `, detail: doc, sort: String(i).padStart(2, '0') });
    });
  };

  if (ctx.position === 'key') {
    if (path.length === 0) keyItems(TOP_KEYS, 'field', presentKeys(text, path));
    else if (path[0] === 'subgraphs' && path.length === 2) keyItems(SUBGRAPH_FIELDS, 'field', presentKeys(text, path));
    else if (scope !== null && scope.rest.length === 0) {
      const present = presentKeys(text, path);
      if (present.has('use')) present.add('type').add('version');
      else if (present.has('type')) present.add('use');
      keyItems(NODE_FIELDS, 'field', present);
    } else if (scope !== null && scope.rest.length === 1 && (scope.rest[0] === 'params' || scope.rest[0] === 'in')) {
      const node = record(nodesIn(out, scope.subgraph)[scope.nodeId]);
      const present = presentKeys(text, path);
      const type = typeof node['type'] === 'string' ? types.get(node['type']) : undefined;
      const sg = typeof node['use'] === 'string' ? out.subgraphs[node['use']] : undefined;
      if (scope.rest[0] === 'params') {
        if (type !== undefined) {
          type.params.forEach((p, i) => {
            if (present.has(p.name)) return;
            const value = p.default !== undefined ? formatValue(p.default) : '';
            items.push({
              label: p.name,
              kind: 'param',
              insert: `${p.name}: \${1:${value.replace(/[$}\\]/g, '\\$&')}}`,
              snippet: true,
              detail: paramSummary(type, p),
              documentation: paramMarkdown(type, p),
              sort: String(i).padStart(3, '0'),
            });
          });
        } else if (sg !== undefined) {
          Object.entries(record(sg.params)).forEach(([name, def], i) => {
            if (present.has(name)) return;
            items.push({
              label: name,
              kind: 'param',
              insert: `${name}: \${1:${def === null ? '' : formatValue(def).replace(/[$}\\]/g, '\\$&')}}`,
              snippet: true,
              detail: def === null ? `required param of ${String(node['use'])}` : `default ${formatValue(def)} · ${String(node['use'])}`,
              sort: String(i).padStart(3, '0'),
            });
          });
        }
      } else {
        const ports = type !== undefined ? Object.entries(type.inputs).map(([name, spec]) => ({ name, detail: `${spec.type}${spec.many ? ' (list)' : ''}${spec.optional ? ' · optional' : ''}`, doc: spec.help })) : sg !== undefined ? Object.entries(record(sg.inputs)).map(([name, t]) => ({ name, detail: `${String(t)} · input of ${String(node['use'])}`, doc: undefined })) : [];
        ports.forEach((p, i) => {
          if (!present.has(p.name)) items.push({ label: p.name, kind: 'port', insert: `${p.name}: `, detail: p.detail, documentation: p.doc, sort: String(i).padStart(3, '0') });
        });
      }
    }
    return { items, start: ctx.start, end: ctx.end };
  }

  // value position
  const key = path[path.length - 1];
  if (path.length === 1 && key === 'locked') {
    for (const v of ['true', 'false']) items.push({ label: v, kind: 'value', insert: space + v });
  } else if (path[0] === 'subgraphs' && path.length === 4 && path[2] === 'outputs') {
    for (const ref of references(out, path[1]!, types)) if (!ref.label.startsWith('$in.')) items.push({ label: ref.label, kind: 'reference', insert: space + ref.label, detail: ref.detail, documentation: ref.documentation });
  } else if (scope !== null && scope.rest.length === 1 && key === 'type') {
    for (const t of nodeTypes) items.push({ label: t.type, kind: 'type', insert: space + t.type, detail: t.title, documentation: typeMarkdown(t), sort: `${t.category}/${t.type}` });
  } else if (scope !== null && scope.rest.length === 1 && key === 'use') {
    for (const [name, sg] of Object.entries(out.subgraphs)) if (name !== scope.subgraph) items.push({ label: name, kind: 'subgraph', insert: space + name, detail: 'sub-graph', documentation: subgraphMarkdown(name, sg) });
  } else if (scope !== null && scope.rest.length === 1 && key === 'version') {
    const node = record(nodesIn(out, scope.subgraph)[scope.nodeId]);
    const type = typeof node['type'] === 'string' ? types.get(node['type']) : undefined;
    if (type !== undefined) items.push({ label: String(type.version), kind: 'value', insert: space + String(type.version), detail: `the engine's version of ${type.type}` });
  } else if (scope !== null && scope.rest.length === 2 && scope.rest[0] === 'params') {
    const node = record(nodesIn(out, scope.subgraph)[scope.nodeId]);
    const type = typeof node['type'] === 'string' ? types.get(node['type']) : undefined;
    const param = type?.params.find((p) => p.name === scope.rest[1]);
    if (type !== undefined && param !== undefined) {
      const schema = record(record(type.paramsSchema['properties'])[param.name]);
      if (Array.isArray(param.enum)) param.enum.forEach((v, i) => items.push({ label: formatValue(v), kind: 'value', insert: space + formatValue(v), detail: v === param.default ? 'default' : undefined, sort: `0${i}` }));
      else if (schema['type'] === 'boolean') for (const v of [true, false]) items.push({ label: String(v), kind: 'value', insert: space + String(v), detail: v === param.default ? 'default' : undefined });
      else if (param.default !== undefined) items.push({ label: formatValue(param.default), kind: 'value', insert: space + formatValue(param.default), detail: 'default', documentation: paramMarkdown(type, param) });
    }
    if (scope.subgraph !== null) {
      for (const [name, def] of Object.entries(record(out.subgraphs[scope.subgraph]?.params))) {
        items.push({ label: `$${name}`, kind: 'template-param', insert: `${space}$${name}`, detail: def === null ? `param of ${scope.subgraph} (required)` : `param of ${scope.subgraph} · default ${formatValue(def)}`, sort: `1${name}` });
      }
    }
  } else if (scope !== null && scope.rest.length === 2 && scope.rest[0] === 'in') {
    const node = record(nodesIn(out, scope.subgraph)[scope.nodeId]);
    const type = typeof node['type'] === 'string' ? types.get(node['type']) : undefined;
    const want = type?.inputs[scope.rest[1]!]?.type ?? (typeof node['use'] === 'string' ? String(record(out.subgraphs[node['use']]?.inputs)[scope.rest[1]!] ?? '') : '');
    const dot = ctx.prefix.lastIndexOf('.');
    const owner = dot > 0 ? ctx.prefix.slice(0, dot) : null;
    for (const ref of references(out, scope.subgraph, types)) {
      if (ref.label.startsWith(`${scope.nodeId}.`)) continue;
      if (owner !== null && !ref.label.startsWith(`${owner}.`)) continue;
      const fits = want !== '' && ref.type === want;
      const clash = want !== '' && ref.type !== null && ref.type !== want;
      items.push({ label: ref.label, kind: 'reference', insert: space + ref.label, detail: `${ref.detail}${fits ? ' ✓' : ''}`, documentation: ref.documentation, sort: `${fits ? 0 : clash ? 2 : 1}${ref.label}` });
    }
  }
  return { items, start: ctx.start, end: ctx.end };
}

// ---------------------------------------------------------------------------------------------
// Hover

export interface HoverInfo {
  markdown: string;
  /** 1-based columns of the hovered word */
  start: number;
  end: number;
}

/** Help for the word at 1-based line/column: a node type, a param (key or value), an input port, a reference, a `$param`. */
export function hoverAt(text: string, line: number, column: number, nodeTypes: NodeTypeInfo[], fallback?: Outline | null): HoverInfo | null {
  const current = text.split(/\r?\n/)[line - 1];
  if (current === undefined) return null;
  let start = column - 1;
  let end = column - 1;
  while (start > 0 && WORD.test(current[start - 1]!)) start--;
  while (end < current.length && WORD.test(current[end]!)) end++;
  if (start === end) return null;
  const word = current.slice(start, end);
  const types = new Map(nodeTypes.map((t) => [t.type, t]));
  const at = (markdown: string): HoverInfo => ({ markdown, start: start + 1, end: end + 1 });
  const type = types.get(word);
  if (type !== undefined) return at(typeMarkdown(type));
  const ctx = cursorContext(text, line, end + 1);
  if (ctx === null) return null;
  const out = outline(text) ?? fallback ?? null;
  if (out === null) return null;
  const path = ctx.position === 'key' ? [...ctx.path, word] : ctx.path;
  const scope = nodeScope(path);
  if (scope === null) {
    if (path.length === 1 && ctx.position === 'key') {
      const top = TOP_KEYS.find(([k]) => k === word);
      if (top !== undefined) return at(`**${top[0]}** — ${top[1]}`);
    }
    return null;
  }
  const node = record(nodesIn(out, scope.subgraph)[scope.nodeId]);
  const nodeType = typeof node['type'] === 'string' ? types.get(node['type']) : undefined;
  const sgName = typeof node['use'] === 'string' ? node['use'] : null;
  const sg = sgName !== null ? out.subgraphs[sgName] : undefined;
  if (scope.rest.length === 1 && ctx.position === 'value' && scope.rest[0] === 'use' && sg !== undefined && sgName !== null) return at(subgraphMarkdown(sgName, sg));
  if (scope.rest.length === 1 && ctx.position === 'key') {
    const field = NODE_FIELDS.find(([k]) => k === word);
    if (field !== undefined) return at(`**${field[0]}** — ${field[1]}`);
  }
  if (word.startsWith('$') && !word.startsWith('$in.') && scope.subgraph !== null) {
    const params = record(out.subgraphs[scope.subgraph]?.params);
    const name = word.slice(1);
    if (Object.hasOwn(params, name)) {
      const def = params[name];
      return at(`**$${name}** — param of sub-graph \`${scope.subgraph}\`\n\n${def === null ? 'required: every instance sets it' : `default ${formatValue(def)}`}`);
    }
  }
  if (scope.rest.length === 2 && scope.rest[0] === 'params') {
    const name = scope.rest[1]!;
    if (nodeType !== undefined) {
      const param = nodeType.params.find((p) => p.name === name);
      if (param !== undefined) return at(paramMarkdown(nodeType, param));
    } else if (sg !== undefined && sgName !== null) {
      const params = record(sg.params);
      if (Object.hasOwn(params, name)) return at(`**${name}** — param of sub-graph \`${sgName}\`\n\n${params[name] === null ? 'required' : `default ${formatValue(params[name])}`}`);
    }
  }
  if (scope.rest.length === 2 && scope.rest[0] === 'in') {
    const port = scope.rest[1]!;
    if (ctx.position === 'key' || ctx.path.length === path.length) {
      if (ctx.position === 'key' && nodeType !== undefined && nodeType.inputs[port] !== undefined) {
        const spec = nodeType.inputs[port]!;
        return at(`**${port}** — input of \`${nodeType.type}\`\n\n${spec.type}${spec.many ? ' (a list)' : ''}${spec.optional ? ' · optional' : ''}\n\n${spec.help ?? ''}`.trim());
      }
    }
    if (ctx.position === 'value') {
      const ref = references(out, scope.subgraph, types).find((r) => r.label === word);
      if (ref !== undefined) return at(`**${ref.label}** — ${ref.detail}${ref.documentation ? `\n\n${ref.documentation}` : ''}`);
    }
  }
  return null;
}

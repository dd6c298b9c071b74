import { Document, isCollection, isMap, isScalar, isSeq, parseDocument, Scalar, type Node, type Pair, type YAMLMap } from 'yaml';

/**
 * Editing one node param in a pipeline's YAML text without disturbing anything else: comments,
 * blank lines, key order, flow/block style and the spelling of every other value stay byte for
 * byte. Pure (only `yaml`), so the editor's params form and the server (a sweep row opened as a
 * new fork) share it. The `yaml` Document API finds where a value is written (following `$param`
 * references out of sub-graph templates) and builds the new value; the edit is then applied as a
 * minimal splice of the source text and checked by parsing the result again. When the splice
 * cannot be proven equal to `doc.setIn(...)`, the document is re-stringified instead (still with
 * its comments).
 */

export class ParamEditError extends Error {}

export type ParamTargetKind = 'node' | 'instance' | 'template';

export interface ParamTarget {
  /**
   * `node`: a top-level node's own params; `instance`: the params of a sub-graph instance (the
   * template's value is a `$param` reference); `template`: a sub-graph template, which changes
   * every instance of it.
   */
  kind: ParamTargetKind;
  /** where the value is written: `['nodes', 'tf_30m', 'params', 'rsiPeriod']` */
  path: string[];
  /** the param's name at that place (`rsiPeriod` for `period: $rsiPeriod`) */
  param: string;
  /** the node or instance id owning the params written to (`tf_30m`; `tf_30m/rsi` for a template) */
  owner: string;
  /** `template`: the sub-graph whose template is edited; `instance`: the instance's sub-graph */
  subgraph?: string;
  /** the `$param` references followed from the node's own param to `path` */
  via: string[];
  /** whether the value is written there now (otherwise a default applies) */
  present: boolean;
  /** the value written there now, as plain data (undefined when absent) */
  current: unknown;
}

const REF = (value: unknown): value is string => typeof value === 'string' && value.startsWith('$') && !value.startsWith('$$');

function parse(text: string): Document.Parsed {
  const doc = parseDocument(text, { keepSourceTokens: false });
  if (doc.errors.length > 0) throw new ParamEditError(`the YAML does not parse: ${doc.errors[0]!.message}`);
  return doc;
}

function toPlain(node: unknown): unknown {
  if (node === undefined || node === null) return node ?? undefined;
  if (isScalar(node)) return node.value;
  if (isCollection(node)) return node.toJSON();
  return node;
}

/**
 * Where the param `param` of the expanded node `nodeId` (`rsi`, `tf_30m/rsi`, `outer/inner/x`) is
 * written: on the node itself, on the instance its template value refers to with `$name` (followed
 * through nested instances), or in the template.
 */
export function locateParam(text: string, nodeId: string, param: string): ParamTarget {
  return locateIn(parse(text), nodeId, param);
}

/** `locateParam` for several params of one node, parsing the text once; a param that cannot be placed gets its reason. */
export function locateParams(text: string, nodeId: string, params: string[]): Record<string, ParamTarget | { error: string }> {
  let doc: Document.Parsed;
  try {
    doc = parse(text);
  } catch (error) {
    return Object.fromEntries(params.map((p) => [p, { error: (error as Error).message }]));
  }
  return Object.fromEntries(
    params.map((p) => {
      try {
        return [p, locateIn(doc, nodeId, p)];
      } catch (error) {
        return [p, { error: error instanceof ParamEditError ? error.message : String(error) }];
      }
    }),
  );
}

function locateIn(doc: Document.Parsed, nodeId: string, param: string): ParamTarget {
  const segments = nodeId.split('/');
  const entries: { path: string[]; use?: string }[] = [];
  let container: string[] = ['nodes'];
  segments.forEach((segment, i) => {
    const path = [...container, segment];
    const entry = doc.getIn(path, true);
    if (!isMap(entry)) {
      const where = container[0] === 'subgraphs' ? `sub-graph "${container[1]}"` : 'nodes';
      throw new ParamEditError(`no node "${segment}" under ${where} in the YAML`);
    }
    if (i < segments.length - 1) {
      const use = entry.get('use');
      if (typeof use !== 'string') throw new ParamEditError(`"${segments.slice(0, i + 1).join('/')}" is not a sub-graph instance (no "use:")`);
      if (!isMap(doc.getIn(['subgraphs', use, 'nodes'], true))) throw new ParamEditError(`no sub-graph "${use}" in the YAML`);
      entries.push({ path, use });
      container = ['subgraphs', use, 'nodes'];
    } else {
      entries.push({ path });
    }
  });
  let level = segments.length - 1;
  let name = param;
  let path = [...entries[level]!.path, 'params', name];
  const via: string[] = [];
  let followed = false;
  for (;;) {
    const value = toPlain(doc.getIn(path, true));
    if (level === 0 || !REF(value)) break;
    via.push(value);
    name = value.slice(1);
    level -= 1;
    path = [...entries[level]!.path, 'params', name];
    followed = true;
  }
  const present = doc.hasIn(path);
  const current = present ? toPlain(doc.getIn(path, true)) : undefined;
  const owner = segments.slice(0, level + 1).join('/');
  if (path[0] === 'subgraphs') return { kind: 'template', path, param: name, owner, subgraph: path[1], via, present, current };
  if (followed) return { kind: 'instance', path, param: name, owner, subgraph: entries[level]!.use, via, present, current };
  return { kind: 'node', path, param: name, owner, via, present, current };
}

/** Sets (or, with `undefined`, removes) the param `param` of node `nodeId`, where `locateParam` says it is written. */
export function editParam(text: string, nodeId: string, param: string, value: unknown): { text: string; target: ParamTarget } {
  const target = locateParam(text, nodeId, param);
  return { text: setValueAt(text, target.path, value), target };
}

/** Several params of one node, applied one after the other (each located in the text as it is then). */
export function editParams(text: string, nodeId: string, values: Record<string, unknown>): { text: string; targets: ParamTarget[] } {
  const targets: ParamTarget[] = [];
  let out = text;
  for (const [param, value] of Object.entries(values)) {
    const result = editParam(out, nodeId, param, value);
    out = result.text;
    targets.push(result.target);
  }
  return { text: out, targets };
}

/**
 * Sets `path` (`[…, <entry>, 'params', <name>]`) to `value` (removes it for `undefined`), creating
 * the params mapping when the entry has none. Everything else in the text is kept as written.
 */
export function setValueAt(text: string, path: readonly string[], value: unknown): string {
  const doc = parse(text);
  const expected = doc.clone();
  if (value === undefined) {
    if (!expected.hasIn(path)) return text;
    expected.deleteIn(path);
  } else {
    const parent = expected.getIn(path.slice(0, -1), true);
    if (isScalar(parent) && parent.value === null) expected.setIn(path.slice(0, -1), { [path[path.length - 1]!]: value });
    else expected.setIn(path, value);
  }
  let spliced: string | null = null;
  try {
    spliced = splice(text, doc, path, value);
  } catch {
    spliced = null;
  }
  if (spliced !== null && sameContent(spliced, expected, path, value)) return spliced;
  // Fallback: the Document API's own output (comments kept, long lines not folded).
  if (value !== undefined) {
    const node = expected.getIn(path, true);
    if (isCollection(node)) node.flow = true;
  }
  return expected.toString({ lineWidth: 0 });
}

function sameContent(text: string, expected: Document, path: readonly string[], value: unknown): boolean {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) return false;
  if (value === undefined ? doc.hasIn(path) : !deepEqual(toPlain(doc.getIn(path, true)), value)) return false;
  try {
    return deepEqual(doc.toJS({ maxAliasCount: 64 }), expected.toJS({ maxAliasCount: 64 }));
  } catch {
    return false;
  }
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b as object, k) && deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

// ---------------------------------------------------------------------------------------------
// The splice

function range(node: Node | null | undefined): [number, number, number] {
  const r = node?.range;
  if (!r) throw new ParamEditError('a YAML node without a source range');
  return r;
}

function keyName(pair: Pair): string {
  return String(isScalar(pair.key) ? pair.key.value : pair.key);
}

function lineStart(text: string, pos: number): number {
  return text.lastIndexOf('\n', pos - 1) + 1;
}

function lineEnd(text: string, pos: number): number {
  const i = text.indexOf('\n', pos);
  return i < 0 ? text.length : i;
}

function replace(text: string, start: number, end: number, insert: string): string {
  return text.slice(0, start) + insert + text.slice(end);
}

/** The YAML source of a value, flow style, for a place inside a flow collection or after `key: `. */
export function valueSource(value: unknown, like?: unknown): string {
  const doc = new Document(value);
  const contents = doc.contents;
  if (isScalar(contents) && typeof value === 'string') {
    const old = isScalar(like) && typeof like.value === 'string' ? like.type : undefined;
    if (old === Scalar.QUOTE_SINGLE || old === Scalar.QUOTE_DOUBLE) contents.type = old;
    else if (/[,[\]{}#&*!|>'"%@`]|: |^[-?:]|^\s|\s$|^$/.test(value)) contents.type = Scalar.QUOTE_SINGLE;
  }
  if (isCollection(contents)) contents.flow = true;
  const padding = !isSeq(contents);
  return doc.toString({ lineWidth: 0, flowCollectionPadding: padding }).replace(/\n$/, '');
}

function splice(text: string, doc: Document.Parsed, path: readonly string[], value: unknown): string | null {
  const key = path[path.length - 1]!;
  const mapPath = path.slice(0, -1);
  const map = doc.getIn(mapPath, true);
  if (value === undefined) {
    if (!isMap(map)) return null;
    const index = map.items.findIndex((p) => keyName(p) === key);
    if (index < 0) return text;
    if (map.items.length === 1) {
      const owner = findPair(doc, mapPath);
      return owner === null ? null : replaceValue(text, owner, '{}');
    }
    return deletePair(text, map, index);
  }
  if (isMap(map)) {
    const pair = map.items.find((p) => keyName(p) === key);
    if (pair === undefined) return insertPair(text, map, key, valueSource(value), []);
    return replaceValue(text, pair, valueSource(value, pair.value));
  }
  // No params mapping (or `params:` with nothing / ~): write one.
  const fresh = valueSource({ [key]: value });
  if (map !== undefined && map !== null) {
    if (!isScalar(map) || map.value !== null) return null;
    const owner = findPair(doc, mapPath);
    return owner === null ? null : replaceValue(text, owner, fresh);
  }
  const entry = doc.getIn(mapPath.slice(0, -1), true);
  if (!isMap(entry)) return null;
  return insertPair(text, entry, mapPath[mapPath.length - 1]!, fresh, ['in', 'label']);
}

function findPair(doc: Document.Parsed, path: readonly string[]): Pair | null {
  const parent = doc.getIn(path.slice(0, -1), true);
  if (!isMap(parent)) return null;
  return parent.items.find((p) => keyName(p) === path[path.length - 1]) ?? null;
}

/** Replaces the value of `pair` with `source`, keeping any comment after it on the line. */
function replaceValue(text: string, pair: Pair, source: string): string {
  const node = pair.value as Node | null;
  const keyEnd = range(pair.key as Node)[1];
  const blockish = node === null || (isCollection(node) && !node.flow) || (isScalar(node) && (node.type === Scalar.BLOCK_FOLDED || node.type === Scalar.BLOCK_LITERAL)) || range(node)[0] === range(node)[1];
  if (!blockish) {
    const [start, end] = range(node);
    return replace(text, start, end, source);
  }
  // A block value (or nothing): rewrite from the colon to the end of the value.
  const colon = text.indexOf(':', keyEnd);
  if (colon < 0) throw new ParamEditError('no ":" after a key');
  let end = node === null ? colon + 1 : Math.max(range(node)[1], colon + 1);
  if (node !== null && isCollection(node)) while (end > colon + 1 && /\s/.test(text[end - 1]!)) end -= 1;
  return replace(text, colon + 1, end, ` ${source}`);
}

function insertPair(text: string, map: YAMLMap, key: string, source: string, beforeKeys: string[]): string {
  const items = map.items;
  const before = items.find((p) => beforeKeys.includes(keyName(p)));
  const entry = `${key}: ${source}`;
  if (map.flow) {
    if (items.length === 0) {
      const [start, end] = range(map);
      return replace(text, start + 1, end - 1, ` ${entry} `);
    }
    if (before !== undefined) {
      const at = range(before.key as Node)[0];
      return replace(text, at, at, `${entry}, `);
    }
    const last = items[items.length - 1]!;
    const at = last.value !== null ? range(last.value as Node)[1] : range(last.key as Node)[1];
    return replace(text, at, at, `, ${entry}`);
  }
  if (items.length === 0) throw new ParamEditError('an empty block mapping');
  const firstKey = range(items[0]!.key as Node)[0];
  const indent = ' '.repeat(firstKey - lineStart(text, firstKey));
  if (before !== undefined) {
    const at = lineStart(text, range(before.key as Node)[0]);
    return replace(text, at, at, `${indent}${entry}\n`);
  }
  const last = items[items.length - 1]!;
  const end = last.value !== null ? range(last.value as Node)[1] : range(last.key as Node)[1];
  if (end > 0 && text[end - 1] === '\n') return replace(text, end, end, `${indent}${entry}\n`);
  const eol = lineEnd(text, end);
  return replace(text, eol, eol, `\n${indent}${entry}`);
}

function deletePair(text: string, map: YAMLMap, index: number): string {
  const items = map.items;
  const pair = items[index]!;
  const keyStart = range(pair.key as Node)[0];
  const valueEnd = pair.value !== null ? range(pair.value as Node)[1] : range(pair.key as Node)[1];
  if (map.flow) {
    const next = items[index + 1];
    if (next !== undefined) return replace(text, keyStart, range(next.key as Node)[0], '');
    const prev = items[index - 1]!;
    const prevEnd = prev.value !== null ? range(prev.value as Node)[1] : range(prev.key as Node)[1];
    return replace(text, prevEnd, valueEnd, '');
  }
  const start = lineStart(text, keyStart);
  const end = text[valueEnd - 1] === '\n' ? valueEnd : Math.min(text.length, lineEnd(text, valueEnd) + 1);
  return replace(text, start, end, '');
}

/**
 * The nodes of sub-graph `subgraph`'s template whose params use `$name` (as a whole value or a
 * list item): what else an instance param changes. `['threshold.strict', 'cross.strict']`.
 */
export function templateRefUsers(text: string, subgraph: string, name: string): string[] {
  const doc = parseDocument(text);
  const nodes = doc.getIn(['subgraphs', subgraph, 'nodes']);
  if (!isMap(nodes)) return [];
  const ref = `$${name}`;
  const out: string[] = [];
  for (const pair of nodes.items) {
    const entry = pair.value;
    if (!isMap(entry)) continue;
    const params = entry.get('params', true);
    if (!isMap(params)) continue;
    for (const p of params.items) {
      const value = toPlain(p.value);
      if (value === ref || (Array.isArray(value) && value.includes(ref))) out.push(`${keyName(pair)}.${keyName(p)}`);
    }
  }
  return out;
}

import { closest, quote } from '../core/errors.ts';
import type { DocumentReader, InputSpec, NodeSpec, PipelineDocument, RefSpec } from './document.ts';
import type { YamlPath } from './yaml-source.ts';

/**
 * Sub-graph instances are expanded into plain nodes before anything else, so the rest of the
 * compiler (and both executors) only ever see one flat graph. Instance `tf_30m` of a template with
 * node `rsi` becomes node `tf_30m/rsi`; `tf_30m.score` names a declared template output.
 */
export const MAX_SUBGRAPH_DEPTH = 8;
export const MAX_EXPANDED_NODES = 10_000;

export interface FlatNode {
  id: string;
  type: string;
  version?: number;
  params: Record<string, unknown>;
  /** where each param's value was written (the instance's line when it came from an instance) */
  paramPaths: Record<string, YamlPath>;
  inputs: Record<string, InputSpec>;
  path: YamlPath;
  /** id of the innermost sub-graph instance this node belongs to */
  group: string | null;
  label?: string;
  /** params replaced from the command line (`--set`): their errors point there, not at the YAML */
  overridden?: Set<string>;
}

export interface GroupInfo {
  id: string;
  subgraph: string;
  parent: string | null;
  params: Record<string, unknown>;
  label?: string;
}

export interface Expansion {
  nodes: FlatNode[];
  groups: GroupInfo[];
  /** `instance.output` → the reference it stands for */
  aliases: Map<string, RefSpec>;
}

interface Scope {
  prefix: string;
  params: Record<string, { value: unknown; path: YamlPath }>;
  inputs: Record<string, InputSpec>;
  stack: string[];
}

export function expandDocument(doc: PipelineDocument, reader: DocumentReader): Expansion {
  const out: Expansion = { nodes: [], groups: [], aliases: new Map() };
  const rootScope: Scope = { prefix: '', params: {}, inputs: {}, stack: [] };
  expandNodes(doc, reader, doc.nodes, rootScope, null, out);
  return out;
}

function expandNodes(doc: PipelineDocument, reader: DocumentReader, nodes: NodeSpec[], scope: Scope, group: string | null, out: Expansion): void {
  for (const node of nodes) {
    if (out.nodes.length > MAX_EXPANDED_NODES) {
      reader.fail('pipeline.too-many-nodes', `pipeline expands to more than ${MAX_EXPANDED_NODES} nodes`, node.path, { node: node.id });
      return;
    }
    const id = scope.prefix ? `${scope.prefix}/${node.id}` : node.id;
    if (node.use !== undefined) expandInstance(doc, reader, node, id, scope, group, out);
    else if (node.type !== undefined) {
      const params: Record<string, unknown> = {};
      const paramPaths: Record<string, YamlPath> = {};
      for (const [key, raw] of Object.entries(node.params)) {
        const path = [...node.path, 'params', key];
        const sub = substitute(raw, scope, reader, path, id, key);
        params[key] = sub.value;
        paramPaths[key] = sub.path;
      }
      const inputs: Record<string, InputSpec> = {};
      for (const [port, spec] of Object.entries(node.inputs)) inputs[port] = translateInput(spec, scope, reader, id, port);
      out.nodes.push({ id, type: node.type, version: node.version, params, paramPaths, inputs, path: node.path, group, label: node.label });
    }
  }
}

function expandInstance(doc: PipelineDocument, reader: DocumentReader, node: NodeSpec, id: string, scope: Scope, group: string | null, out: Expansion): void {
  const name = node.use!;
  const sg = doc.subgraphs.get(name);
  if (sg === undefined) {
    const hint = closest(name, doc.subgraphs.keys());
    reader.fail('subgraph.unknown', `unknown subgraph ${quote(name)}${hint ? ` (did you mean ${quote(hint)}?)` : ''}`, [...node.path, 'use'], { node: id }, 'value', name);
    return;
  }
  if (scope.stack.includes(name)) {
    reader.fail('subgraph.recursive', `subgraph ${quote(name)} instantiates itself: ${[...scope.stack, name].join(' → ')}`, [...node.path, 'use'], { node: id });
    return;
  }
  if (scope.stack.length >= MAX_SUBGRAPH_DEPTH) {
    reader.fail('subgraph.depth', `sub-graphs nest deeper than ${MAX_SUBGRAPH_DEPTH}`, node.path, { node: id });
    return;
  }
  const params: Scope['params'] = {};
  for (const [key, raw] of Object.entries(node.params)) {
    const path = [...node.path, 'params', key];
    if (!Object.hasOwn(sg.params, key)) {
      const hint = closest(key, Object.keys(sg.params));
      reader.fail('subgraph.unknown-param', `subgraph ${quote(name)} has no param ${quote(key)}${hint ? ` (did you mean ${quote(hint)}?)` : ''}`, path, { node: id, param: key }, 'key');
      continue;
    }
    params[key] = substitute(raw, scope, reader, path, id, key);
  }
  for (const [key, decl] of Object.entries(sg.params)) {
    if (Object.hasOwn(params, key)) continue;
    if (decl.required) reader.fail('subgraph.missing-param', `subgraph ${quote(name)} needs param ${quote(key)}`, node.path, { node: id, param: key });
    else params[key] = { value: decl.default, path: [...sg.path, 'params', key] };
  }
  const inputs: Record<string, InputSpec> = {};
  for (const [port, spec] of Object.entries(node.inputs)) {
    if (!Object.hasOwn(sg.inputs, port)) {
      const hint = closest(port, Object.keys(sg.inputs));
      reader.fail('subgraph.unknown-input', `subgraph ${quote(name)} has no input ${quote(port)}${hint ? ` (did you mean ${quote(hint)}?)` : ''}`, spec.path, { node: id, port }, 'key');
      continue;
    }
    inputs[port] = translateInput(spec, scope, reader, id, port);
  }
  for (const port of Object.keys(sg.inputs)) {
    if (!Object.hasOwn(inputs, port)) reader.fail('subgraph.unwired-input', `subgraph input ${quote(port)} is not wired`, node.path, { node: id, port });
  }
  out.groups.push({
    id,
    subgraph: name,
    parent: group,
    params: Object.fromEntries(Object.entries(params).map(([k, v]) => [k, v.value])),
    label: node.label,
  });
  const inner: Scope = { prefix: id, params, inputs, stack: [...scope.stack, name] };
  expandNodes(doc, reader, sg.nodes, inner, id, out);
  for (const [outName, ref] of Object.entries(sg.outputs)) {
    out.aliases.set(`${id}.${outName}`, { text: `${id}/${ref.text}`, path: ref.path });
  }
}

/** `$name` (the whole value) takes a template param; `$$x` is the literal text `$x`. */
function substitute(raw: unknown, scope: Scope, reader: DocumentReader, path: YamlPath, node: string, param: string): { value: unknown; path: YamlPath } {
  if (typeof raw === 'string' && raw.startsWith('$')) {
    if (raw.startsWith('$$')) return { value: raw.slice(1), path };
    const name = raw.slice(1);
    const bound = Object.hasOwn(scope.params, name) ? scope.params[name] : undefined;
    if (bound === undefined) {
      const hint = closest(name, Object.keys(scope.params));
      const where = scope.stack.length > 0 ? `subgraph ${quote(scope.stack[scope.stack.length - 1])}` : 'the top level (no subgraph params here)';
      reader.fail('subgraph.unknown-param-ref', `${quote(raw)} names no param of ${where}${hint ? ` (did you mean ${quote('$' + hint)}?)` : ''}`, path, { node, param }, 'value', raw);
      return { value: raw, path };
    }
    return bound;
  }
  if (Array.isArray(raw)) return { value: raw.map((item, k) => substitute(item, scope, reader, [...path, k], node, param).value), path };
  return { value: raw, path };
}

function translateInput(spec: InputSpec, scope: Scope, reader: DocumentReader, node: string, port: string): InputSpec {
  const refs: RefSpec[] = [];
  let list = spec.list;
  for (const ref of spec.refs) {
    if (ref.text.startsWith('$in.')) {
      const name = ref.text.slice(4);
      const bound = Object.hasOwn(scope.inputs, name) ? scope.inputs[name] : undefined;
      if (bound === undefined) {
        reader.fail('subgraph.unknown-input-ref', `${quote(ref.text)} names no input of the enclosing subgraph`, ref.path, { node, port }, 'value', ref.text);
        continue;
      }
      if (bound.list) list = true;
      refs.push(...bound.refs);
    } else {
      refs.push({ text: scope.prefix ? `${scope.prefix}/${ref.text}` : ref.text, path: ref.path });
    }
  }
  return { list, refs, path: spec.path };
}

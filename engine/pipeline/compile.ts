import { readFileSync } from 'node:fs';
import { BarflowError, BarflowErrors, closest, quote } from '../core/errors.ts';
import type { NodeRegistry } from '../core/node-definition.ts';
import { isAssignable, type PortSpec } from '../core/port-types.ts';
import { formatTimeframe, parseTimeframe } from '../core/timeframe.ts';
import { DocumentReader, type PipelineDocument, type RefSpec } from './document.ts';
import { expandDocument, type Expansion, type FlatNode } from './expand.ts';
import { topologicalOrder } from './order.ts';
import { applyOverrides, type ParamOverride } from './overrides.ts';
import { resolveParams } from './params.ts';
import type { Clock, CompiledPipeline, PlanInput, PlanNode } from './plan.ts';
import { parseYamlSource } from './yaml-source.ts';

const REF = /^([a-z][a-z0-9_]*(?:\/[a-z][a-z0-9_]*)*)\.([a-zA-Z][a-zA-Z0-9]*)$/;
const BASE_CLOCK: Clock = { key: 'base', atoms: ['base'], intervalMs: null, label: 'base' };

export interface CompileOptions {
  /** `--set node.param=value` replacements, validated like YAML params */
  overrides?: readonly ParamOverride[];
}

export function compilePipelineFile(file: string, registry: NodeRegistry, options: CompileOptions = {}): CompiledPipeline {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new BarflowError('pipeline.read', `cannot read pipeline: ${(error as Error).message}`, { file });
  }
  return compilePipelineText(text, file, registry, options);
}

/**
 * YAML → document → expanded sub-graphs → node types and params → wired, type-checked ports →
 * topological order and clocks. Collects every problem it can before giving up, and throws
 * `BarflowErrors` with all of them.
 */
export function compilePipelineText(text: string, file: string, registry: NodeRegistry, options: CompileOptions = {}): CompiledPipeline {
  const source = parseYamlSource(text, file);
  const reader = new DocumentReader(source);
  const doc = reader.read();
  if (doc === undefined) throw new BarflowErrors(reader.errors);
  const expansion = expandDocument(doc, reader);
  reader.errors.push(...applyOverrides(expansion, options.overrides ?? []));
  const plan = buildPlan(doc, expansion, reader, registry);
  if (reader.errors.length > 0 || plan === undefined) throw new BarflowErrors(reader.errors);
  return plan;
}

interface Resolved {
  flat: FlatNode;
  def: NonNullable<ReturnType<NodeRegistry['get']>>;
  params: unknown;
}

function buildPlan(doc: PipelineDocument, expansion: Expansion, reader: DocumentReader, registry: NodeRegistry): CompiledPipeline | undefined {
  const resolved: Resolved[] = [];
  const indexById = new Map<string, number>();
  for (const flat of expansion.nodes) {
    if (indexById.has(flat.id)) {
      reader.fail('node.duplicate', `node id ${quote(flat.id)} is used twice`, flat.path, { node: flat.id }, 'key');
      continue;
    }
    const def = registry.get(flat.type);
    if (def === undefined) {
      const hint = closest(flat.type, registry.types());
      reader.fail('node.unknown-type', `unknown node type ${quote(flat.type)}${hint ? ` (did you mean ${quote(hint)}?)` : ''}; \`barflow nodes\` lists them`, [...flat.path, 'type'], { node: flat.id }, 'value', flat.type);
      continue;
    }
    if (flat.version !== undefined && flat.version !== def.version) {
      reader.fail('node.version', `pipeline asks for ${def.type} version ${flat.version}, this engine has version ${def.version}`, [...flat.path, 'version'], { node: flat.id }, 'value', flat.version);
    }
    const params = resolveParams(def, flat, reader);
    indexById.set(flat.id, resolved.length);
    resolved.push({ flat, def, params });
  }
  for (const [alias, ref] of expansion.aliases) {
    if (indexById.has(alias.split('.')[0]!)) reader.fail('subgraph.output-clash', `subgraph output ${quote(alias)} clashes with a node id`, ref.path);
  }

  const wiring = resolved.map((r) => wireNode(r, resolved, indexById, expansion, reader));
  resolved.forEach((r, k) => {
    if (r.def.check === undefined || r.params === undefined) return;
    const connections = Object.fromEntries(wiring[k]!.map((input) => [input.port, input.sources.length]));
    const problem = r.def.check(r.params, connections);
    if (problem !== undefined) reader.fail('node.check', problem, r.flat.path, { node: r.flat.id }, 'key');
  });
  const edges: [number, number][] = [];
  wiring.forEach((inputs, to) => {
    for (const input of inputs) for (const s of input.sources) edges.push([s.node, to]);
  });
  const { order, cycle } = topologicalOrder(resolved.length, edges);
  if (cycle !== null) {
    const names = cycle.map((i) => resolved[i]!.flat.id);
    const first = resolved[cycle[0]!]!.flat;
    reader.fail('graph.cycle', `cycle: ${names.join(' → ')}; a strategy graph must not feed a node's output back into itself`, first.path, { node: first.id }, 'key', names);
  }
  checkRoles(resolved, reader);
  if (reader.errors.length > 0) return undefined;

  const newIndex = new Map<number, number>();
  order.forEach((old, i) => newIndex.set(old, i));
  const nodes: PlanNode[] = order.map((old, i) => {
    const r = resolved[old]!;
    const inputs = wiring[old]!.map((input) => ({ ...input, sources: input.sources.map((s) => ({ node: newIndex.get(s.node)!, port: s.port })) }));
    const upstream = [...new Set(inputs.flatMap((input) => input.sources.map((s) => s.node)))].sort((a, b) => a - b);
    return {
      index: i,
      id: r.flat.id,
      def: r.def,
      params: r.params,
      inputs,
      upstream,
      group: r.flat.group,
      label: r.flat.label,
      line: doc.source.locate(r.flat.path, 'key')?.line,
      clock: BASE_CLOCK,
      historyDependent: [],
    };
  });
  assignClocks(nodes, reader, doc);
  markHistoryDependence(nodes);
  if (reader.errors.length > 0) return undefined;
  const candleSource = nodes.find((n) => n.def.role === 'candles')!.index;
  const executor = nodes.find((n) => n.def.role === 'executor')?.index ?? null;
  return {
    name: doc.name,
    file: doc.source.file,
    description: doc.description,
    locked: doc.locked,
    forkedFrom: doc.forkedFrom,
    nodes,
    byId: new Map(nodes.map((n) => [n.id, n])),
    groups: expansion.groups,
    candleSource,
    executor,
  };
}

function wireNode(r: Resolved, all: Resolved[], indexById: Map<string, number>, expansion: Expansion, reader: DocumentReader): PlanInput[] {
  const { flat, def } = r;
  const inputs: PlanInput[] = [];
  for (const port of Object.keys(flat.inputs)) {
    if (!Object.hasOwn(def.inputs, port)) {
      const known = Object.keys(def.inputs);
      const hint = closest(port, known);
      reader.fail('input.unknown', `${def.type} has no input ${quote(port)}${hint ? ` (did you mean ${quote(hint)}?)` : ''}; inputs: ${known.join(', ') || '(none)'}`, flat.inputs[port]!.path, { node: flat.id, port }, 'key', port);
    }
  }
  for (const [port, spec] of Object.entries(def.inputs) as [string, PortSpec][]) {
    const given = flat.inputs[port];
    if (given === undefined || given.refs.length === 0) {
      if (!spec.optional) reader.fail('input.missing', `input ${quote(port)} (${spec.type}) is not wired`, flat.path, { node: flat.id, port }, 'key');
      inputs.push({ port, spec, sources: [] });
      continue;
    }
    if (!spec.many && given.refs.length > 1) {
      reader.fail('input.doubly-wired', `input ${quote(port)} takes one connection, got ${given.refs.length}: ${given.refs.map((x) => x.text).join(', ')}`, given.path, { node: flat.id, port }, 'value', given.refs.map((x) => x.text));
      continue;
    }
    const sources: PlanInput['sources'] = [];
    for (const ref of given.refs) {
      const source = resolveRef(ref, flat, port, spec, all, indexById, expansion, reader);
      if (source) sources.push(source);
    }
    inputs.push({ port, spec, sources });
  }
  return inputs;
}

function resolveRef(ref: RefSpec, flat: FlatNode, port: string, spec: PortSpec, all: Resolved[], indexById: Map<string, number>, expansion: Expansion, reader: DocumentReader): { node: number; port: string } | undefined {
  let text = ref.text;
  for (let hops = 0; expansion.aliases.has(text) && hops < 16; hops++) text = expansion.aliases.get(text)!.text;
  const match = REF.exec(text);
  if (match === null) {
    reader.fail('input.ref-syntax', `${quote(ref.text)} is not a reference like node_id.port`, ref.path, { node: flat.id, port }, 'value', ref.text);
    return undefined;
  }
  const [, nodeId, outPort] = match as unknown as [string, string, string];
  const index = indexById.get(nodeId);
  const instanceOutputs = [...expansion.aliases.keys()].filter((a) => a.startsWith(`${nodeId}.`)).map((a) => a.slice(nodeId.length + 1));
  if (index === undefined && instanceOutputs.length > 0) {
    const hint = closest(outPort, instanceOutputs);
    reader.fail('input.unknown-port', `${quote(ref.text)}: subgraph instance ${quote(nodeId)} has no output ${quote(outPort)}${hint ? ` (did you mean ${quote(hint)}?)` : ''}; outputs: ${instanceOutputs.join(', ')}`, ref.path, { node: flat.id, port }, 'value', ref.text);
    return undefined;
  }
  if (index === undefined) {
    const hint = closest(nodeId, indexById.keys());
    reader.fail('input.unknown-node', `${quote(ref.text)} refers to unknown node ${quote(nodeId)}${hint ? ` (did you mean ${quote(hint)}?)` : ''}`, ref.path, { node: flat.id, port }, 'value', ref.text);
    return undefined;
  }
  const source = all[index]!;
  const outSpec = Object.hasOwn(source.def.outputs, outPort) ? source.def.outputs[outPort] : undefined;
  if (outSpec === undefined) {
    const known = Object.keys(source.def.outputs);
    const hint = closest(outPort, known);
    reader.fail('input.unknown-port', `${quote(ref.text)}: ${source.def.type} has no output ${quote(outPort)}${hint ? ` (did you mean ${quote(hint)}?)` : ''}; outputs: ${known.join(', ')}`, ref.path, { node: flat.id, port }, 'value', ref.text);
    return undefined;
  }
  if (!isAssignable(outSpec.type, spec.type)) {
    reader.fail('input.type-mismatch', `${quote(ref.text)} is ${outSpec.type} but input ${quote(port)} takes ${spec.type}`, ref.path, { node: flat.id, port }, 'value', ref.text);
    return undefined;
  }
  return { node: index, port: outPort };
}

function checkRoles(resolved: Resolved[], reader: DocumentReader): void {
  const withRole = (role: string) => resolved.filter((r) => r.def.role === role);
  const feeds = withRole('candles');
  if (feeds.length === 0 && resolved.length > 0) {
    reader.fail('pipeline.no-feed', 'a pipeline needs one candle feed (e.g. type: feed.replay)', ['nodes'], {});
  }
  for (const extra of feeds.slice(1)) {
    reader.fail('pipeline.many-feeds', `only one candle feed per pipeline (first is ${quote(feeds[0]!.flat.id)}); resample it for other timeframes`, extra.flat.path, { node: extra.flat.id }, 'key');
  }
  const executors = withRole('executor');
  for (const extra of executors.slice(1)) {
    reader.fail('pipeline.many-executors', `only one executor per pipeline (first is ${quote(executors[0]!.flat.id)})`, extra.flat.path, { node: extra.flat.id }, 'key');
  }
  if (executors.length === 0) {
    for (const a of withRole('account')) {
      reader.fail('pipeline.account-without-venue', `${a.def.type} reads the venue's account, but the pipeline has no executor`, a.flat.path, { node: a.flat.id }, 'key');
    }
  }
  for (const r of resolved) {
    const sourceLike = r.def.role === 'candles' || r.def.role === 'account';
    if (!sourceLike && Object.keys(r.def.inputs).length === 0) {
      reader.fail('node.undriven', `${r.def.type} has no inputs and is not a source: nothing would ever run it`, r.flat.path, { node: r.flat.id }, 'key');
    }
  }
}

/**
 * A node fires when one of its inputs fired; its clock is that of its inputs. Resamplers start a
 * new clock. Nodes that need synchronous inputs (indicators reading high, low and close) must not
 * mix clocks, or they would pair a 15m high with a 1h close.
 */
function assignClocks(nodes: PlanNode[], reader: DocumentReader, doc: PipelineDocument): void {
  // A feed that declares its interval (feed.replay's `timeframe`) lets resamples of the base bars be checked here too.
  const declaredBase = declaredInterval(nodes.find((n) => n.def.role === 'candles')?.params);
  for (const node of nodes) {
    if (node.def.role === 'candles' || node.def.role === 'account' || node.upstream.length === 0) {
      node.clock = BASE_CLOCK;
      continue;
    }
    const clocks = new Map<string, Clock>();
    for (const input of node.inputs) for (const s of input.sources) clocks.set(nodes[s.node]!.clock.key, nodes[s.node]!.clock);
    if (node.def.outputInterval) {
      const interval = node.def.outputInterval(node.params);
      const from = [...clocks.values()][0]!;
      const fromMs = from.intervalMs ?? (from.key === BASE_CLOCK.key ? declaredBase : null);
      if (fromMs !== null && (interval < fromMs || interval % fromMs !== 0)) {
        const fromLabel = from.intervalMs === null ? `${formatTimeframe(fromMs)} (base)` : from.label;
        fail(reader, doc, node, 'clock.resample', `cannot resample ${fromLabel} bars to ${formatTimeframe(interval)}: the target must be a whole multiple`);
      }
      node.clock = { key: `tf:${interval}`, atoms: [`tf:${interval}`], intervalMs: interval, label: formatTimeframe(interval) };
      continue;
    }
    if (clocks.size === 1) {
      node.clock = [...clocks.values()][0]!;
      continue;
    }
    if (node.def.syncInputs) {
      const detail = node.inputs.map((input) => `${input.port} ← ${input.sources.map((s) => `${nodes[s.node]!.id} (${nodes[s.node]!.clock.label})`).join(', ')}`).join('; ');
      fail(reader, doc, node, 'clock.mixed', `${node.def.type} needs all inputs on one timeframe, got ${detail}`);
    }
    // A node fed by several clocks fires on any of them: its clock is the union of their atoms.
    const atoms = [...new Set([...clocks.values()].flatMap((c) => c.atoms))].sort(compareAtoms);
    const intervalOf = (atom: string) => (atom === 'base' ? null : Number(atom.slice(3)));
    const intervals = atoms.map(intervalOf);
    node.clock =
      atoms.length === 1
        ? [...clocks.values()][0]!
        : {
            key: `mixed(${atoms.join(',')})`,
            atoms,
            intervalMs: intervals.includes(null) ? null : Math.min(...(intervals as number[])),
            label: atoms.map((a) => (a === 'base' ? 'base' : formatTimeframe(intervalOf(a)!))).join('+'),
          };
  }
}

function declaredInterval(params: unknown): number | null {
  const timeframe = (params as { timeframe?: unknown } | undefined)?.timeframe;
  if (typeof timeframe !== 'string') return null;
  try {
    return parseTimeframe(timeframe);
  } catch {
    return null;
  }
}

/** Declared history dependence, carried downstream through every node that is not history-invariant. */
function markHistoryDependence(nodes: PlanNode[]): void {
  for (const node of nodes) {
    const declared = new Set<string>(node.def.historyDependent ?? []);
    const readsHistory = node.inputs.some((input) => input.sources.some((s) => nodes[s.node]!.historyDependent.includes(s.port)));
    if (readsHistory && !node.def.historyInvariant) for (const port of Object.keys(node.def.outputs)) declared.add(port);
    node.historyDependent = [...declared];
  }
}

/** base first, then timeframes shortest first */
function compareAtoms(a: string, b: string): number {
  if (a === b) return 0;
  if (a === 'base') return -1;
  if (b === 'base') return 1;
  return Number(a.slice(3)) - Number(b.slice(3));
}

function fail(reader: DocumentReader, doc: PipelineDocument, node: PlanNode, code: string, message: string): void {
  reader.errors.push(new BarflowError(code, message, { file: doc.source.file, line: node.line, node: node.id }));
}

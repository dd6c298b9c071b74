import { BarflowError, quote, type ErrorLocation } from '../core/errors.ts';
import { isPortType, type PortType } from '../core/port-types.ts';
import type { YamlPath, YamlSource } from './yaml-source.ts';

/**
 * The shape of a pipeline file, checked by hand rather than by a schema library so that every
 * complaint carries the YAML line of the offending key or value.
 */
export interface RefSpec {
  text: string;
  path: YamlPath;
}

export interface InputSpec {
  /** written as a YAML list (a `many` port, or a mistake on a single port) */
  list: boolean;
  refs: RefSpec[];
  path: YamlPath;
}

export interface NodeSpec {
  id: string;
  type?: string;
  use?: string;
  version?: number;
  params: Record<string, unknown>;
  inputs: Record<string, InputSpec>;
  label?: string;
  path: YamlPath;
}

export interface SubgraphSpec {
  name: string;
  description?: string;
  /** template params: default value, or required when the default is null */
  params: Record<string, { default: unknown; required: boolean }>;
  inputs: Record<string, PortType>;
  outputs: Record<string, RefSpec>;
  nodes: NodeSpec[];
  path: YamlPath;
}

export interface ForkOrigin {
  name: string;
  hash: string;
}

export interface PipelineDocument {
  name: string;
  description?: string;
  locked: boolean;
  forkedFrom?: ForkOrigin;
  subgraphs: Map<string, SubgraphSpec>;
  nodes: NodeSpec[];
  source: YamlSource;
}

export const NODE_ID = /^[a-z][a-z0-9_]*$/;
export const PIPELINE_NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const PARAM_NAME = /^[a-zA-Z][a-zA-Z0-9]*$/;
/** port names, as the `node.port` reference syntax accepts them */
const PORT_NAME = /^[a-zA-Z][a-zA-Z0-9]*$/;
const TOP_LEVEL = ['pipeline', 'description', 'locked', 'forkedFrom', 'subgraphs', 'nodes'];
const NODE_KEYS = ['type', 'use', 'version', 'params', 'in', 'label'];
const SUBGRAPH_KEYS = ['description', 'params', 'inputs', 'outputs', 'nodes'];

export class DocumentReader {
  readonly errors: BarflowError[] = [];

  constructor(readonly source: YamlSource) {}

  fail(code: string, message: string, path: YamlPath, extra: ErrorLocation = {}, which: 'key' | 'value' = 'value', value?: unknown): void {
    const pos = this.source.locate(path, which);
    this.errors.push(new BarflowError(code, message, { file: this.source.file, line: pos?.line, column: pos?.column, ...extra }, value));
  }

  read(): PipelineDocument | undefined {
    const root = this.source.value;
    if (!isRecord(root)) {
      this.fail('pipeline.shape', 'a pipeline file must be a YAML mapping with "pipeline" and "nodes"', []);
      return undefined;
    }
    for (const key of Object.keys(root)) {
      if (!TOP_LEVEL.includes(key)) this.fail('pipeline.unknown-field', `unknown top-level field ${quote(key)} (known: ${TOP_LEVEL.join(', ')})`, [key], { field: key }, 'key');
    }
    const name = root['pipeline'];
    if (typeof name !== 'string' || !PIPELINE_NAME.test(name)) {
      this.fail('pipeline.name', `"pipeline" must be a name of lowercase letters, digits, "-" or "_" (got ${quote(name)})`, ['pipeline'], { field: 'pipeline' }, 'value', name);
    }
    const locked = root['locked'] ?? false;
    if (typeof locked !== 'boolean') this.fail('pipeline.locked', `"locked" must be true or false (got ${quote(locked)})`, ['locked'], { field: 'locked' });
    const description = root['description'];
    if (description !== undefined && typeof description !== 'string') this.fail('pipeline.description', 'description must be text', ['description'], { field: 'description' });
    const forkedFrom = this.readForkOrigin(root['forkedFrom']);

    const subgraphs = new Map<string, SubgraphSpec>();
    const rawSubgraphs = root['subgraphs'];
    if (rawSubgraphs !== undefined) {
      if (!isRecord(rawSubgraphs)) this.fail('pipeline.subgraphs', '"subgraphs" must be a mapping of name → definition', ['subgraphs']);
      else for (const [sgName, raw] of Object.entries(rawSubgraphs)) {
        const sg = this.readSubgraph(sgName, raw, ['subgraphs', sgName]);
        if (sg) subgraphs.set(sgName, sg);
      }
    }
    const nodes = this.readNodes(root['nodes'], ['nodes']);
    if (this.errors.length > 0 || typeof name !== 'string') return undefined;
    return {
      name,
      description: typeof description === 'string' ? description : undefined,
      locked: locked === true,
      forkedFrom,
      subgraphs,
      nodes,
      source: this.source,
    };
  }

  private readForkOrigin(raw: unknown): ForkOrigin | undefined {
    if (raw === undefined) return undefined;
    if (!isRecord(raw) || typeof raw['name'] !== 'string' || typeof raw['hash'] !== 'string' || !/^[0-9a-f]{64}$/.test(raw['hash'])) {
      this.fail('pipeline.forked-from', '"forkedFrom" must be { name: <pipeline>, hash: <64 hex digits> }', ['forkedFrom'], { field: 'forkedFrom' });
      return undefined;
    }
    return { name: raw['name'], hash: raw['hash'] };
  }

  readNodes(raw: unknown, path: YamlPath): NodeSpec[] {
    if (!isRecord(raw) || Object.keys(raw).length === 0) {
      this.fail('pipeline.nodes', '"nodes" must be a non-empty mapping of node id → node', path, { field: 'nodes' });
      return [];
    }
    const nodes: NodeSpec[] = [];
    for (const [id, body] of Object.entries(raw)) {
      const node = this.readNode(id, body, [...path, id]);
      if (node) nodes.push(node);
    }
    return nodes;
  }

  private readNode(id: string, raw: unknown, path: YamlPath): NodeSpec | undefined {
    if (!NODE_ID.test(id)) {
      this.fail('node.id', `node id ${quote(id)} must be snake_case (a-z, 0-9, _; starting with a letter)`, path, { node: id }, 'key', id);
    }
    if (!isRecord(raw)) {
      this.fail('node.shape', `node must be a mapping with "type" (got ${quote(raw)})`, path, { node: id });
      return undefined;
    }
    for (const key of Object.keys(raw)) {
      if (!NODE_KEYS.includes(key)) this.fail('node.unknown-field', `unknown field ${quote(key)} (known: ${NODE_KEYS.join(', ')})`, [...path, key], { node: id, field: key }, 'key');
    }
    const type = raw['type'];
    const use = raw['use'];
    if ((type === undefined) === (use === undefined)) {
      this.fail('node.type', 'a node needs exactly one of "type" (a node type) or "use" (a subgraph)', path, { node: id });
    }
    if (type !== undefined && typeof type !== 'string') this.fail('node.type', `"type" must be text (got ${quote(type)})`, [...path, 'type'], { node: id });
    if (use !== undefined && typeof use !== 'string') this.fail('node.use', `"use" must be a subgraph name (got ${quote(use)})`, [...path, 'use'], { node: id });
    const version = raw['version'];
    if (version !== undefined && (typeof version !== 'number' || !Number.isInteger(version) || version < 1)) {
      this.fail('node.version', `"version" must be a positive integer (got ${quote(version)})`, [...path, 'version'], { node: id });
    }
    const label = raw['label'];
    const params = raw['params'] ?? {};
    if (!isRecord(params)) {
      this.fail('node.params', `"params" must be a mapping (got ${quote(params)})`, [...path, 'params'], { node: id });
    } else {
      for (const key of Object.keys(params)) {
        if (!PARAM_NAME.test(key)) this.fail('param.name', `param name ${quote(key)} must be camelCase`, [...path, 'params', key], { node: id, param: key }, 'key');
      }
    }
    const inputs: Record<string, InputSpec> = {};
    const rawIn = raw['in'] ?? {};
    if (!isRecord(rawIn)) {
      this.fail('node.in', `"in" must map input ports to sources like candles.close (got ${quote(rawIn)})`, [...path, 'in'], { node: id });
    } else {
      for (const [port, value] of Object.entries(rawIn)) {
        const portPath = [...path, 'in', port];
        if (!PORT_NAME.test(port)) {
          // also keeps `__proto__` from being assigned below (it would set the prototype, not a port)
          this.fail('input.name', `input port name ${quote(port)} must be camelCase`, portPath, { node: id, port }, 'key', port);
          continue;
        }
        const list = Array.isArray(value);
        const items = list ? (value as unknown[]) : [value];
        const refs: RefSpec[] = [];
        items.forEach((item, k) => {
          const itemPath = list ? [...portPath, k] : portPath;
          if (typeof item !== 'string') this.fail('input.ref', `input must be a reference like node.port (got ${quote(item)})`, itemPath, { node: id, port }, 'value', item);
          else refs.push({ text: item, path: itemPath });
        });
        inputs[port] = { list, refs, path: portPath };
      }
    }
    return {
      id,
      type: typeof type === 'string' ? type : undefined,
      use: typeof use === 'string' ? use : undefined,
      version: typeof version === 'number' ? version : undefined,
      params: isRecord(params) ? params : {},
      inputs,
      label: typeof label === 'string' ? label : undefined,
      path,
    };
  }

  private readSubgraph(name: string, raw: unknown, path: YamlPath): SubgraphSpec | undefined {
    if (!NODE_ID.test(name)) this.fail('subgraph.name', `subgraph name ${quote(name)} must be snake_case`, path, { field: name }, 'key');
    if (!isRecord(raw)) {
      this.fail('subgraph.shape', 'a subgraph must be a mapping with "nodes"', path, { field: name });
      return undefined;
    }
    for (const key of Object.keys(raw)) {
      if (!SUBGRAPH_KEYS.includes(key)) this.fail('subgraph.unknown-field', `unknown field ${quote(key)} in subgraph ${quote(name)} (known: ${SUBGRAPH_KEYS.join(', ')})`, [...path, key], { field: key }, 'key');
    }
    const params: SubgraphSpec['params'] = {};
    const rawParams = raw['params'] ?? {};
    if (!isRecord(rawParams)) this.fail('subgraph.params', 'subgraph "params" must map names to default values (null = required)', [...path, 'params']);
    else for (const [key, value] of Object.entries(rawParams)) {
      if (!PARAM_NAME.test(key)) {
        this.fail('param.name', `subgraph param name ${quote(key)} must be camelCase`, [...path, 'params', key], { param: key }, 'key');
        continue;
      }
      params[key] = { default: value, required: value === null };
    }
    const inputs: Record<string, PortType> = {};
    const rawInputs = raw['inputs'] ?? {};
    if (!isRecord(rawInputs)) this.fail('subgraph.inputs', 'subgraph "inputs" must map input names to port types', [...path, 'inputs']);
    else for (const [key, value] of Object.entries(rawInputs)) {
      if (!PORT_NAME.test(key)) this.fail('subgraph.input-name', `subgraph input name ${quote(key)} must be camelCase (it is wired as an input port)`, [...path, 'inputs', key], { port: key }, 'key');
      else if (!isPortType(value)) this.fail('subgraph.input-type', `subgraph input ${quote(key)} has unknown port type ${quote(value)}`, [...path, 'inputs', key], { port: key });
      else inputs[key] = value;
    }
    const outputs: Record<string, RefSpec> = {};
    const rawOutputs = raw['outputs'] ?? {};
    if (!isRecord(rawOutputs)) this.fail('subgraph.outputs', 'subgraph "outputs" must map output names to node.port references', [...path, 'outputs']);
    else for (const [key, value] of Object.entries(rawOutputs)) {
      if (!PORT_NAME.test(key)) this.fail('subgraph.output-name', `subgraph output name ${quote(key)} must be camelCase (it is referenced as instance.${key})`, [...path, 'outputs', key], { port: key }, 'key');
      else if (typeof value !== 'string') this.fail('subgraph.output-ref', `subgraph output ${quote(key)} must be a node.port reference`, [...path, 'outputs', key], { port: key });
      else outputs[key] = { text: value, path: [...path, 'outputs', key] };
    }
    const nodes = this.readNodes(raw['nodes'], [...path, 'nodes']);
    return {
      name,
      description: typeof raw['description'] === 'string' ? raw['description'] : undefined,
      params,
      inputs,
      outputs,
      nodes,
      path,
    };
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

import { z } from 'zod';
import type { AnyNodeDefinition } from './node-definition.ts';
import type { PortSpec } from './port-types.ts';

/** A node type as the CLI, the server and the editor show it: ports, params (with JSON Schema), help. */
export interface ParamDescription {
  name: string;
  type: string;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  enum?: unknown[];
  optional: boolean;
  description?: string;
}

export interface NodeDescription {
  type: string;
  version: number;
  title: string;
  category: string;
  summary: string;
  role?: string;
  inputs: Record<string, PortSpec>;
  outputs: Record<string, PortSpec>;
  params: ParamDescription[];
  paramsSchema: Record<string, unknown>;
}

export function paramsJsonSchema(def: AnyNodeDefinition): Record<string, unknown> {
  return z.toJSONSchema(def.params, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}

export function describeNode(def: AnyNodeDefinition): NodeDescription {
  const schema = paramsJsonSchema(def);
  const properties = (schema['properties'] ?? {}) as Record<string, Record<string, unknown>>;
  const required = new Set((schema['required'] as string[] | undefined) ?? []);
  const params: ParamDescription[] = Object.entries(properties).map(([name, p]) => ({
    name,
    type: describeType(p),
    default: p['default'],
    minimum: (p['minimum'] ?? p['exclusiveMinimum']) as number | undefined,
    maximum: (p['maximum'] ?? p['exclusiveMaximum']) as number | undefined,
    enum: p['enum'] as unknown[] | undefined,
    optional: !required.has(name) && p['default'] === undefined,
    description: p['description'] as string | undefined,
  }));
  return {
    type: def.type,
    version: def.version,
    title: def.title,
    category: def.category,
    summary: def.summary,
    role: def.role,
    inputs: { ...def.inputs },
    outputs: { ...def.outputs },
    params,
    paramsSchema: schema,
  };
}

function describeType(p: Record<string, unknown>): string {
  if (Array.isArray(p['enum'])) return (p['enum'] as unknown[]).map((v) => JSON.stringify(v)).join(' | ');
  if (p['type'] === 'array') {
    const items = p['items'];
    if (Array.isArray(items)) return `[${items.map((i) => describeType(i as Record<string, unknown>)).join(', ')}]`;
    if (items && typeof items === 'object') return `${describeType(items as Record<string, unknown>)}[]`;
    const prefix = p['prefixItems'];
    if (Array.isArray(prefix)) return `[${prefix.map((i) => describeType(i as Record<string, unknown>)).join(', ')}]`;
    return 'array';
  }
  return String(p['type'] ?? 'any');
}

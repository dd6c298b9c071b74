import { createHash } from 'node:crypto';
import type { CompiledPipeline } from './plan.ts';

/**
 * The normalised form is what a strategy *means*: every node with its type, version, all params
 * (defaults filled) and its wiring, keyed and sorted by id. Names, comments, layout, descriptions
 * and lock flags are left out, so a fork that changes nothing hashes the same as its origin.
 */
export interface NormalisedNode {
  type: string;
  version: number;
  params: unknown;
  in: Record<string, string | string[]>;
}

export interface NormalisedPipeline {
  nodes: Record<string, NormalisedNode>;
}

export function normalise(plan: CompiledPipeline): NormalisedPipeline {
  const nodes: Record<string, NormalisedNode> = {};
  for (const node of [...plan.nodes].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    const wiring: Record<string, string | string[]> = {};
    for (const input of node.inputs) {
      if (input.sources.length === 0) continue;
      const refs = input.sources.map((s) => `${plan.nodes[s.node]!.id}.${s.port}`);
      wiring[input.port] = input.spec.many ? refs : refs[0]!;
    }
    nodes[node.id] = { type: node.def.type, version: node.def.version, params: node.params, in: wiring };
  }
  return { nodes };
}

/** JSON with object keys sorted at every level: the same value always gives the same bytes. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export function pipelineHash(plan: CompiledPipeline): string {
  return sha256Hex(canonicalJson(normalise(plan)));
}

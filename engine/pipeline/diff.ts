import { canonicalJson, normalise, type NormalisedNode } from './normalise.ts';
import type { CompiledPipeline } from './plan.ts';

/** One structural or parameter difference between two pipelines, keyed by node id. */
export type PipelineChange =
  | { kind: 'added'; node: string; type: string }
  | { kind: 'removed'; node: string; type: string }
  | { kind: 'type'; node: string; from: string; to: string }
  | { kind: 'param'; node: string; param: string; from: unknown; to: unknown }
  | { kind: 'wire'; node: string; port: string; from: unknown; to: unknown };

/** Compares normalised forms, so formatting, comments and written-out defaults never show up. */
export function diffPipelines(a: CompiledPipeline, b: CompiledPipeline): PipelineChange[] {
  const left = normalise(a).nodes;
  const right = normalise(b).nodes;
  const changes: PipelineChange[] = [];
  for (const id of [...new Set([...Object.keys(left), ...Object.keys(right)])].sort()) {
    const x = left[id];
    const y = right[id];
    if (x === undefined) changes.push({ kind: 'added', node: id, type: y!.type });
    else if (y === undefined) changes.push({ kind: 'removed', node: id, type: x.type });
    else changes.push(...nodeChanges(id, x, y));
  }
  return changes;
}

function nodeChanges(id: string, x: NormalisedNode, y: NormalisedNode): PipelineChange[] {
  if (x.type !== y.type || x.version !== y.version) return [{ kind: 'type', node: id, from: `${x.type}@${x.version}`, to: `${y.type}@${y.version}` }];
  const out: PipelineChange[] = [];
  const px = x.params as Record<string, unknown>;
  const py = y.params as Record<string, unknown>;
  for (const param of [...new Set([...Object.keys(px), ...Object.keys(py)])].sort()) {
    if (canonicalJson(px[param]) !== canonicalJson(py[param])) out.push({ kind: 'param', node: id, param, from: px[param], to: py[param] });
  }
  for (const port of [...new Set([...Object.keys(x.in), ...Object.keys(y.in)])].sort()) {
    if (canonicalJson(x.in[port]) !== canonicalJson(y.in[port])) out.push({ kind: 'wire', node: id, port, from: x.in[port] ?? null, to: y.in[port] ?? null });
  }
  return out;
}

export function formatChange(c: PipelineChange): string {
  const v = (value: unknown) => (value === undefined ? '(unset)' : JSON.stringify(value));
  switch (c.kind) {
    case 'added':
      return `+ ${c.node} (${c.type})`;
    case 'removed':
      return `- ${c.node} (${c.type})`;
    case 'type':
      return `~ ${c.node}: type ${c.from} → ${c.to}`;
    case 'param':
      return `~ ${c.node}.${c.param}: ${v(c.from)} → ${v(c.to)}`;
    case 'wire':
      return `~ ${c.node} in.${c.port}: ${v(c.from)} → ${v(c.to)}`;
  }
}

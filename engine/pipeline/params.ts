import { z } from 'zod';
import { BarflowError, closest, quote } from '../core/errors.ts';
import type { AnyNodeDefinition } from '../core/node-definition.ts';
import type { DocumentReader } from './document.ts';
import type { FlatNode } from './expand.ts';

/** The param names a definition accepts (its zod object's keys). */
export function paramNames(def: AnyNodeDefinition): string[] {
  const schema = def.params as unknown as { shape?: Record<string, unknown> };
  return schema.shape ? Object.keys(schema.shape) : [];
}

/**
 * Validates a node's params against its definition and fills defaults. Each problem is reported at
 * the YAML line where the value (or key) was written, quoting the value.
 */
export function resolveParams(def: AnyNodeDefinition, node: FlatNode, reader: DocumentReader): unknown | undefined {
  const known = paramNames(def);
  let ok = true;
  for (const key of Object.keys(node.params)) {
    if (!known.includes(key)) {
      const hint = closest(key, known);
      if (node.overridden?.has(key)) {
        reader.errors.push(new BarflowError('param.unknown', `--set ${node.id}.${key}: ${def.type} has no param ${quote(key)}${hint ? ` (did you mean ${quote(hint)}?)` : ''}; known: ${known.join(', ') || '(none)'}`, { field: '--set', node: node.id, param: key }, key));
        ok = false;
        continue;
      }
      reader.fail(
        'param.unknown',
        `${def.type} has no param ${quote(key)}${hint ? ` (did you mean ${quote(hint)}?)` : ''}; known: ${known.join(', ') || '(none)'}`,
        node.paramPaths[key] ?? node.path,
        { node: node.id, param: key },
        'key',
        key,
      );
      ok = false;
    }
  }
  if (!ok) return undefined;
  const parsed = def.params.safeParse(node.params);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) {
    const key = String(issue.path[0] ?? '');
    const value = issue.path.reduce<unknown>((v, seg) => (v as Record<string | number, unknown> | undefined)?.[seg as string], node.params);
    const param = issue.path.join('.') || undefined;
    if (node.overridden?.has(key)) {
      reader.errors.push(new BarflowError('param.invalid', `--set ${node.id}.${key}: ${describeIssue(issue, value)}`, { field: '--set', node: node.id, param }, value));
      continue;
    }
    const path = key && node.paramPaths[key] ? [...node.paramPaths[key]!, ...issue.path.slice(1).map((s) => s as string | number)] : node.path;
    reader.fail('param.invalid', describeIssue(issue, value), path, { node: node.id, param }, 'value', value);
  }
  return undefined;
}

function describeIssue(issue: z.core.$ZodIssue, value: unknown): string {
  const got = `got ${quote(value)}`;
  switch (issue.code) {
    case 'too_small':
      return `value ${quote(value)} is below the minimum ${String(issue.minimum)}${issue.inclusive === false ? ' (exclusive)' : ''}`;
    case 'too_big':
      return `value ${quote(value)} is above the maximum ${String(issue.maximum)}${issue.inclusive === false ? ' (exclusive)' : ''}`;
    case 'invalid_type':
      return value === undefined ? `is required (expected ${issue.expected})` : `expected ${issue.expected}, ${got}`;
    case 'invalid_value':
      return `value ${quote(value)} is not one of ${issue.values.map((v) => quote(v)).join(', ')}`;
    case 'not_multiple_of':
      return `value ${quote(value)} is not a multiple of ${String(issue.divisor)}`;
    default:
      return `${issue.message} (${got})`;
  }
}

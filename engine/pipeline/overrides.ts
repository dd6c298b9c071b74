import { parse as parseYamlValue } from 'yaml';
import { BarflowError, closest, quote } from '../core/errors.ts';
import type { Expansion } from './expand.ts';

/** A `--set node.param=value` from the command line (or a sweep row). */
export interface ParamOverride {
  node: string;
  param: string;
  value: unknown;
  /** the text as the user wrote it, for error messages */
  text: string;
}

/** Parses `node_id.param=value`; the value is read as YAML, so 14, 0.5, true, [1, 2] and text all work. */
export function parseOverride(text: string): ParamOverride {
  const eq = text.indexOf('=');
  const target = eq < 0 ? text : text.slice(0, eq);
  const dot = target.lastIndexOf('.');
  if (eq < 0 || dot <= 0 || dot === target.length - 1) {
    throw new BarflowError('set.syntax', `--set ${quote(text)} must look like node_id.param=value`, { field: '--set' }, text);
  }
  const raw = text.slice(eq + 1);
  let value: unknown;
  try {
    value = parseYamlValue(raw);
  } catch {
    value = raw;
  }
  return { node: target.slice(0, dot), param: target.slice(dot + 1), value, text };
}

/** Replaces params of expanded nodes before validation, so overrides get the same checks as YAML. */
export function applyOverrides(expansion: Expansion, overrides: readonly ParamOverride[]): BarflowError[] {
  const errors: BarflowError[] = [];
  for (const o of overrides) {
    const node = expansion.nodes.find((n) => n.id === o.node);
    if (node === undefined) {
      const hint = closest(o.node, expansion.nodes.map((n) => n.id));
      errors.push(new BarflowError('set.unknown-node', `--set ${quote(o.text)}: no node ${quote(o.node)}${hint ? ` (did you mean ${quote(hint)}?)` : ''}`, { field: '--set', node: o.node }, o.text));
      continue;
    }
    node.params[o.param] = o.value;
    node.paramPaths[o.param] = node.paramPaths[o.param] ?? [...node.path, 'params'];
    (node.overridden ??= new Set()).add(o.param);
  }
  return errors;
}

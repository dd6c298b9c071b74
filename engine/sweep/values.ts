import { parse as parseYamlValue } from 'yaml';

/**
 * How sweep values are written and read, shared by the CLI's spec parser and the editor's sweep
 * form (browser-safe: no Node imports), so both split and read `--param` lists the same way.
 */

/** Splits `v1,v2,…` at top-level commas (not inside [], {} or quotes). */
export function splitList(text: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let quoteChar: string | null = null;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoteChar !== null) {
      if (c === quoteChar) quoteChar = null;
      continue;
    }
    if (c === '"' || c === "'") quoteChar = c;
    else if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      items.push(text.slice(start, i));
      start = i + 1;
    }
  }
  items.push(text.slice(start));
  return items.map((s) => s.trim());
}

/** A value as `--set` reads it: YAML, falling back to the raw text. */
export function readValue(text: string): unknown {
  try {
    return parseYamlValue(text);
  } catch {
    return text;
  }
}

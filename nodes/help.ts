import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NODE_CATALOG } from './index.ts';

/** The long help of a node type: the Markdown file beside its definition (empty if it has none). */
export function nodeHelp(type: string): string {
  const entry = NODE_CATALOG.find((e) => e.def.type === type);
  if (entry === undefined) return '';
  const file = fileURLToPath(new URL(`./${entry.dir}/${basename(entry.dir)}.md`, import.meta.url));
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}

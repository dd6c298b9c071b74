/**
 * docs/reference/nodes.md is generated from the node definitions and their help files. A change to
 * a node (a param, a port, a summary, its .md) without `npm run docs` leaves the committed file
 * stale: this test fails and says where.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { demoteHeadings, REFERENCE_FILE, renderReference } from '../../docs/reference/generate.ts';
import { NODE_CATALOG } from '../../nodes/index.ts';

/** The first line where two texts differ, quoted from both, for a message a person can act on. */
function firstDifference(committed: string, generated: string): string {
  const a = committed.split('\n');
  const b = generated.split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) {
      return `line ${i + 1}:\n  committed: ${JSON.stringify(a[i] ?? '(end of file)')}\n  generated: ${JSON.stringify(b[i] ?? '(end of file)')}`;
    }
  }
  return 'only line endings differ';
}

describe('docs/reference/nodes.md', () => {
  const generated = renderReference();

  it('equals what docs/reference/generate.ts produces from the current node definitions (run `npm run docs`)', () => {
    expect(existsSync(REFERENCE_FILE), 'docs/reference/nodes.md is missing: run `npm run docs`').toBe(true);
    const committed = readFileSync(REFERENCE_FILE, 'utf8');
    if (committed !== generated) {
      expect.fail(`docs/reference/nodes.md is out of date: run \`npm run docs\` and commit the result. First difference at ${firstDifference(committed, generated)}`);
    }
  });

  it('is deterministic: two renderings are byte-identical', () => {
    expect(renderReference()).toBe(generated);
  });

  it('has an index row and a section for every registered node type', () => {
    for (const { def } of NODE_CATALOG) {
      expect(generated, def.type).toContain(`\n| [\`${def.type}\`](#`);
      expect(generated, def.type).toContain(`\n## ${def.type}\n\n**`);
      expect(generated, def.type).toContain(` · version ${def.version} · category \`${def.category}\``);
    }
    expect(generated.match(/^## (?!Index$)/gm)).toHaveLength(NODE_CATALOG.length);
  });

  it('demotes help headings by two levels, but not `#` lines inside fenced code', () => {
    const help = ['# t — title', 'text', '## Params', '```yaml', '# a YAML comment', '```', '###### deep', '#notaheading'].join('\n');
    expect(demoteHeadings(help, 2)).toBe(['### t — title', 'text', '#### Params', '```yaml', '# a YAML comment', '```', '###### deep', '#notaheading'].join('\n'));
  });
});

import { parseArgs } from 'node:util';
import { describeNode, type NodeDescription } from '../../core/describe.ts';
import { closest } from '../../core/errors.ts';
import { NODE_DEFINITIONS } from '../../../nodes/index.ts';
import { nodeHelp } from '../../../nodes/help.ts';

/** `barflow nodes [type] [--json]`: every node type with its ports, params, defaults and help. */
export function nodesCommand(args: string[]): number {
  // strict: an unknown option is a usage error (exit 2), not silently ignored
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' } } });
  if (positionals.length > 1) {
    process.stderr.write('usage: barflow nodes [<type>] [--json]\n');
    return 2;
  }
  const json = values.json === true;
  const wanted = positionals[0];
  const defs = wanted === undefined ? NODE_DEFINITIONS : NODE_DEFINITIONS.filter((d) => d.type === wanted);
  if (defs.length === 0) {
    const hint = closest(wanted!, NODE_DEFINITIONS.map((d) => d.type));
    process.stderr.write(`unknown node type "${wanted}"${hint ? ` (did you mean "${hint}"?)` : ''}\n`);
    return 1;
  }
  const descriptions = defs.map(describeNode);
  if (json) {
    process.stdout.write(JSON.stringify(descriptions.map((d) => ({ ...d, help: nodeHelp(d.type) })), null, 2) + '\n');
    return 0;
  }
  const blocks = descriptions.map((d) => formatNode(d, wanted !== undefined));
  process.stdout.write(blocks.join('\n\n') + '\n');
  return 0;
}

function formatNode(d: NodeDescription, withHelp: boolean): string {
  const lines = [`${d.type} v${d.version} — ${d.title} (${d.category})`, `  ${d.summary}`];
  const ports = (ps: NodeDescription['inputs']) =>
    Object.entries(ps)
      .map(([name, s]) => `${name}: ${s.type}${s.many ? '[]' : ''}${s.optional ? '?' : ''}`)
      .join(', ') || '(none)';
  lines.push(`  inputs:  ${ports(d.inputs)}`, `  outputs: ${ports(d.outputs)}`);
  if (d.params.length === 0) lines.push('  params:  (none)');
  else {
    lines.push('  params:');
    for (const p of d.params) {
      const bounds = [p.minimum !== undefined ? `min ${p.minimum}` : '', p.maximum !== undefined ? `max ${p.maximum}` : ''].filter(Boolean).join(', ');
      const dflt = p.default !== undefined ? ` = ${JSON.stringify(p.default)}` : p.optional ? ' (optional)' : ' (required)';
      lines.push(`    ${p.name}: ${p.type}${dflt}${bounds ? ` [${bounds}]` : ''}${p.description ? ` — ${p.description}` : ''}`);
    }
  }
  if (withHelp) {
    const help = nodeHelp(d.type);
    if (help) lines.push('', help.trimEnd());
  }
  return lines.join('\n');
}

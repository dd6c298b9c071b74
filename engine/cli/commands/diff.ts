import { parseArgs } from 'node:util';
import { compilePipelineFile } from '../../pipeline/compile.ts';
import { diffPipelines, formatChange } from '../../pipeline/diff.ts';
import { pipelineHash } from '../../pipeline/normalise.ts';
import { registry } from '../../../nodes/index.ts';

export const DIFF_USAGE = 'barflow diff <a.yaml> <b.yaml> [--json]';

/** Structural and parameter differences; exit 0 when the two mean the same strategy, 1 when not. */
export function diffCommand(argv: string[]): number {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { json: { type: 'boolean' } } });
  if (positionals.length !== 2) {
    process.stderr.write(`usage: ${DIFF_USAGE}\n`);
    return 2;
  }
  const a = compilePipelineFile(positionals[0]!, registry);
  const b = compilePipelineFile(positionals[1]!, registry);
  const changes = diffPipelines(a, b);
  if (values.json) process.stdout.write(JSON.stringify({ a: { name: a.name, hash: pipelineHash(a) }, b: { name: b.name, hash: pipelineHash(b) }, changes }, null, 2) + '\n');
  else if (changes.length === 0) process.stdout.write(`${a.name} and ${b.name} are the same strategy (hash ${pipelineHash(a).slice(0, 16)}…)\n`);
  else process.stdout.write(`${a.name} → ${b.name}: ${changes.length} difference${changes.length === 1 ? '' : 's'}\n${changes.map(formatChange).join('\n')}\n`);
  return changes.length === 0 ? 0 : 1;
}

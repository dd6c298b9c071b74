import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { forkPipeline } from '../../pipeline/fork.ts';
import { registry } from '../../../nodes/index.ts';

export const FORK_USAGE = 'barflow fork <pipeline.yaml> <name> [--dir <folder>] [--force]';

export function forkCommand(argv: string[]): number {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { dir: { type: 'string' }, force: { type: 'boolean' } } });
  if (positionals.length !== 2) {
    process.stderr.write(`usage: ${FORK_USAGE}\n`);
    return 2;
  }
  const result = forkPipeline(positionals[0]!, positionals[1]!, registry, { dir: values.dir, force: values.force });
  process.stdout.write(`forked ${result.forkedFrom.name} (${result.forkedFrom.hash.slice(0, 16)}…) to ${relative(process.cwd(), result.file)}; it is editable and runnable\n`);
  return 0;
}

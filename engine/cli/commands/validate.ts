import { parseArgs } from 'node:util';
import { compilePipelineFile } from '../../pipeline/compile.ts';
import { pipelineHash } from '../../pipeline/normalise.ts';
import { registry } from '../../../nodes/index.ts';

export function validateCommand(args: string[]): number {
  // strict: an unknown option is a usage error (exit 2), not a file name or silently ignored
  const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
  const file = positionals[0];
  if (file === undefined || positionals.length > 1) {
    process.stderr.write('usage: barflow validate <pipeline.yaml>\n');
    return 2;
  }
  const plan = compilePipelineFile(file, registry);
  const groups = new Set(plan.groups.map((g) => g.id)).size;
  process.stdout.write(
    `ok: ${plan.name} — ${plan.nodes.length} nodes${groups > 0 ? ` (${groups} sub-graph instances)` : ''}, ` +
      `clocks ${[...new Set(plan.nodes.map((n) => n.clock.label))].join(', ')}${plan.locked ? ', locked' : ''}\n` +
      `hash ${pipelineHash(plan)}\n`,
  );
  return 0;
}

import { compilePipelineFile } from '../../pipeline/compile.ts';
import { pipelineHash } from '../../pipeline/normalise.ts';
import { registry } from '../../../nodes/index.ts';

export function validateCommand(args: string[]): number {
  const file = args[0];
  if (file === undefined) {
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

import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { compilePipelineFile } from '../../pipeline/compile.ts';
import { buildLock, goldenProblems, lockPathFor, readLock, staticLockProblems, writeLock } from '../../pipeline/lock.ts';
import { runGolden } from '../../run/golden.ts';
import { registry } from '../../../nodes/index.ts';

export const LOCK_USAGE = 'barflow lock --verify [<pipeline.yaml> ...] | barflow lock --write <pipeline.yaml>';

/** The shipped locked pipelines, verified when `lock --verify` is given no file. */
export function canonicalPipelines(): string[] {
  const dir = fileURLToPath(new URL('../../../pipelines/canonical/', import.meta.url));
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => join(dir, f));
}

/**
 * `--verify` recomputes the graph hash, node and engine versions, and re-runs the golden backtest,
 * comparing each with the lock; `--write` records them (a deliberate act, reviewed like code).
 */
export function lockCommand(argv: string[]): number {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { verify: { type: 'boolean' }, write: { type: 'boolean' } } });
  if (values.verify === values.write) {
    process.stderr.write(`usage: ${LOCK_USAGE}\n`);
    return 2;
  }
  if (values.write) {
    if (positionals.length !== 1) {
      process.stderr.write(`usage: ${LOCK_USAGE}\n`);
      return 2;
    }
    const file = positionals[0]!;
    const plan = compilePipelineFile(file, registry);
    const lock = buildLock(plan, runGolden(plan));
    writeLock(lockPathFor(file), lock);
    process.stdout.write(`wrote ${lockPathFor(file)}: hash ${lock.hash}, golden ${lock.golden.trades} trades, fills ${lock.golden.fillsSha256.slice(0, 16)}…\n`);
    return 0;
  }
  const files = positionals.length > 0 ? positionals : canonicalPipelines();
  let failed = 0;
  for (const file of files) {
    const plan = compilePipelineFile(file, registry);
    const lock = readLock(lockPathFor(file));
    const problems = staticLockProblems(plan, lock);
    if (lock !== null && problems.length === 0) problems.push(...goldenProblems(lock.golden, runGolden(plan)));
    const name = relative(process.cwd(), file);
    if (problems.length === 0) process.stdout.write(`ok: ${name} matches its lock (hash ${lock!.hash.slice(0, 16)}…, golden ${lock!.golden.trades} trades)\n`);
    else {
      failed++;
      process.stdout.write(`FAILED: ${name}\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
    }
  }
  return failed === 0 ? 0 : 1;
}

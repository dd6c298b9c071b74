import { BarflowError, BarflowErrors } from '../core/errors.ts';
import { diffCommand, DIFF_USAGE } from './commands/diff.ts';
import { forkCommand, FORK_USAGE } from './commands/fork.ts';
import { lockCommand, LOCK_USAGE } from './commands/lock.ts';
import { nodesCommand } from './commands/nodes.ts';
import { serveCommand, SERVE_USAGE } from './commands/serve.ts';
import { startCommand, START_USAGE } from './commands/start.ts';
import { runCommand, RUN_USAGE } from './commands/run.ts';
import { sweepCommand, SWEEP_USAGE } from './commands/sweep.ts';
import { validateCommand } from './commands/validate.ts';

const COMMANDS: Record<string, { run: (args: string[]) => number | Promise<number>; usage: string }> = {
  validate: { run: validateCommand, usage: 'barflow validate <pipeline.yaml>' },
  run: { run: runCommand, usage: RUN_USAGE.replace('usage: ', '') },
  sweep: { run: sweepCommand, usage: SWEEP_USAGE },
  nodes: { run: nodesCommand, usage: 'barflow nodes [<type>] [--json]' },
  lock: { run: lockCommand, usage: LOCK_USAGE },
  fork: { run: forkCommand, usage: FORK_USAGE },
  diff: { run: diffCommand, usage: DIFF_USAGE },
  serve: { run: serveCommand, usage: SERVE_USAGE },
  start: { run: startCommand, usage: START_USAGE },
};

function usage(): string {
  return ['barflow — typed dataflow graphs for crypto-perpetual strategies', '', 'commands:', ...Object.values(COMMANDS).map((c) => `  ${c.usage}`)].join('\n');
}

/** Every user error ends as `file:line: node "x": message [code]` on stderr and exit code 1. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage() + '\n');
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (command === undefined) {
    process.stderr.write(`unknown command "${name}"\n\n${usage()}\n`);
    return 2;
  }
  try {
    return await command.run(args);
  } catch (error) {
    if (error instanceof BarflowErrors) {
      for (const e of error.errors) process.stderr.write(`error: ${e.format()}\n`);
      return 1;
    }
    if (error instanceof BarflowError) {
      process.stderr.write(`error: ${error.format()}\n`);
      return 1;
    }
    if (error instanceof TypeError && (error as NodeJS.ErrnoException).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      process.stderr.write(`error: ${error.message}\n${command.usage}\n`);
      return 2;
    }
    throw error;
  }
}

import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runCommand } from './run.ts';
import { serveCommand } from './serve.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const START_USAGE = 'barflow start [--port 8080] [--speed <bars/s>]';

/**
 * `npm start`: the canonical ENYGMA pipeline's backtest on the embedded data, headless, with its
 * summary printed and its reports written to out/enygma (as `barflow run` does); then builds the
 * editor when its sources are newer than the build, and serves on 127.0.0.1 with the same pipeline
 * replaying, and prints the URL.
 */
export async function startCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { port: { type: 'string' }, speed: { type: 'string' } } });
  process.stdout.write('backtest of the canonical ENYGMA pipeline on the embedded ETH 5m data:\n');
  const ran = runCommand([join(ROOT, 'pipelines/canonical/enygma.yaml'), '--out', join(ROOT, 'out/enygma')]);
  if (ran !== 0) return ran;
  process.stdout.write('\n');
  if (editorIsStale()) {
    process.stdout.write('building the editor (first start, or its sources changed)…\n');
    const { build } = await import('vite');
    await build({ configFile: join(ROOT, 'editor/vite.config.ts'), logLevel: 'warn' });
  }
  return serveCommand(['--replay', 'enygma', '--speed', values.speed ?? '50', ...(values.port === undefined ? [] : ['--port', values.port])]);
}

/** true when editor/dist is missing or older than any editor source (also used by the end-to-end tests) */
export function editorIsStale(): boolean {
  const built = join(ROOT, 'editor/dist/index.html');
  if (!existsSync(built)) return true;
  const builtAt = statSync(built).mtimeMs;
  return [join(ROOT, 'editor/src'), join(ROOT, 'editor/index.html'), join(ROOT, 'engine/server/protocol')].some((p) => newestMtime(p) > builtAt);
}

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

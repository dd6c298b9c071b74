/**
 * The canonical locked pipeline and copies of it, for the lock, fork and diff tests
 * (tests/cli/lock.test.ts, fork.test.ts, diff.test.ts). A copy lives in a temp folder at the same
 * depth as the shipped one, beside a link to data/, so the relative feed path and the lock's hash
 * stay valid: nothing in the repository is written.
 */
import { mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { compilePipelineFile } from '../../engine/pipeline/compile.ts';
import type { PipelineLock } from '../../engine/pipeline/lock.ts';
import { pipelineHash } from '../../engine/pipeline/normalise.ts';
import { registry } from '../../nodes/index.ts';
import { writeFile } from './cli.ts';
import { ROOT } from './shipped.ts';

export const CANONICAL = join(ROOT, 'pipelines', 'canonical', 'enygma.yaml');
export const CANONICAL_TEXT = readFileSync(CANONICAL, 'utf8');
export const LOCK_TEXT = readFileSync(join(ROOT, 'pipelines', 'canonical', 'enygma.lock.json'), 'utf8');
export const LOCK = JSON.parse(LOCK_TEXT) as PipelineLock;
/** `barflow run` arguments that cut a run of the canonical pipeline short */
export const SHORT = ['--to', '2020-12-05'];
/** the canonical feed's params line */
export const FEED_LINE = '    params: { file: ../../data/ethusdt-binance-spot-5m.csv.gz, symbol: ETHUSDTM, timeframe: 5m }\n';

/** `text` with the one occurrence of `from` replaced (fails loudly if it is not there exactly once). */
export function edit(text: string, from: string, to: string): string {
  const at = text.indexOf(from);
  if (at < 0 || text.indexOf(from, at + 1) >= 0) throw new Error(`expected exactly one ${JSON.stringify(from)}`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}

/** the canonical text (or a fork's) with risk.sizePct 3 instead of 2 */
export const sizePct3 = (text: string) => edit(text, '      sizePct: 2\n', '      sizePct: 3\n');

/**
 * The canonical pipeline with only comments, layout, number spelling and written-out defaults
 * changed: it means the same strategy, so its normalised hash is the locked one.
 */
export const COSMETIC_TEXT = (() => {
  let text = '# a reviewed copy: comments, layout and defaults only\n\n' + CANONICAL_TEXT;
  text = edit(text, '      sizePct: 2\n', '      sizePct: 2.0 # percent of equity per trade\n');
  // block style, keys reordered, quoted, and the default symbol left out
  text = edit(text, FEED_LINE, '    params:\n      timeframe: "5m"\n      # the embedded data\n      file: \'../../data/ethusdt-binance-spot-5m.csv.gz\'\n');
  // every executor param equals its default: leave them all out
  text = text.slice(0, text.indexOf('  executor:\n')) + '  executor:\n    type: executor.paper\n    in:\n      orders:\n        - risk.order\n';
  // a sub-graph instance param equal to the sub-graph's default
  text = edit(text, '      timeframe: 4hour\n      rsiPeriod: 14\n', '      timeframe: 4hour\n');
  return text;
})();

/**
 * `<root>/<label>/pipelines/canonical/enygma.yaml` (and its lock unless `lock` is false) beside
 * `<root>/<label>/data`, a link to the repository's data: the same depth as the shipped folder.
 */
export function canonicalCopyIn(root: string, label: string, options: { text?: string; lock?: string | false } = {}): string {
  const base = join(root, label);
  const folder = join(base, 'pipelines', 'canonical');
  mkdirSync(folder, { recursive: true });
  symlinkSync(join(ROOT, 'data'), join(base, 'data'), 'dir');
  const file = writeFile(folder, 'enygma.yaml', options.text ?? CANONICAL_TEXT);
  if (options.lock !== false) writeFile(folder, 'enygma.lock.json', options.lock ?? LOCK_TEXT);
  return file;
}

/** the normalised hash of a pipeline file */
export const hashOf = (file: string) => pipelineHash(compilePipelineFile(file, registry));

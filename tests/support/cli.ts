/** Runs the real `barflow` command (node bin/barflow.js …) as a child process. */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { BIN, ETH_5M, ROOT } from './shipped.ts';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function barflow(args: readonly string[], options: { cwd?: string; timeoutMs?: number } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd ?? ROOT,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`barflow ${args.join(' ')} took longer than ${options.timeoutMs ?? 45_000} ms\n${stderr}`));
    }, options.timeoutMs ?? 45_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The header and the first `rows` rows of the ETH 5m data, as CSV text. */
export function ethCsvHead(rows: number): string {
  const lines = gunzipSync(readFileSync(ETH_5M)).toString('utf8').split('\n', rows + 1);
  return lines.join('\n') + '\n';
}

/** A fresh temp folder with `small.csv` (the first 3000 ETH 5m bars) in it. */
export function workspace(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  writeFileSync(join(dir, 'small.csv'), ethCsvHead(3000));
  return dir;
}

/** Writes `<dir>/<name>` and returns its path. */
export function writeFile(dir: string, name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** The summary.json a `barflow run` wrote into `out`. */
export function readSummary(out: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as Record<string, unknown>;
}

/** `text` with every regular-expression metacharacter escaped, to match it literally. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A small runnable pipeline on `small.csv` (see `workspace`): RSI(14) below 30 / above 70 makes an
 * entry, sized by a bracket risk node, on the paper executor. `extra` is YAML (node entries,
 * indented by two) placed after the rsi node.
 */
export function rsiPipelineText(name: string, extra: readonly string[] = []): string {
  return [
    `pipeline: ${name}`,
    'nodes:',
    '  candles:',
    '    type: feed.replay',
    '    params: { file: small.csv, timeframe: 5m }',
    '  rsi:',
    '    type: indicator.rsi',
    '    params: { period: 14 }',
    '    in: { source: candles.close }',
    ...extra,
    '  low:',
    '    type: signal.compare',
    "    params: { op: '<', threshold: 30 }",
    '    in: { a: rsi.value }',
    '  high:',
    '    type: signal.compare',
    "    params: { op: '>', threshold: 70 }",
    '    in: { a: rsi.value }',
    '  entry:',
    '    type: signal.entry',
    '    params: { reason: rsi-extreme }',
    '    in: { long: low.value, short: high.value }',
    '  account:',
    '    type: account.state',
    '  risk:',
    '    type: risk.bracket',
    '    params: { leverage: 5, marginPct: 0.05, stopLoss: 5, takeProfit: 10 }',
    '    in: { intent: entry.intent, account: account.account, price: candles.close }',
    '  executor:',
    '    type: executor.paper',
    '    in: { orders: [risk.order] }',
    '',
  ].join('\n');
}

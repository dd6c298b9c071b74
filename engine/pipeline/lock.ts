import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { BarflowError } from '../core/errors.ts';
import { ENGINE_VERSION } from '../version.ts';
import { pipelineHash } from './normalise.ts';
import type { CompiledPipeline } from './plan.ts';

/**
 * A lock pins what a canonical strategy *is* and what it *does*: the hash of its normalised graph,
 * every node type's version, the engine version, and the hash of its golden backtest's fills on the
 * shipped data. Any drift — an edited param, a node whose meaning changed, an engine change that
 * moves a single fill — fails `barflow lock --verify` until someone deliberately writes a new lock.
 */
export interface PipelineLock {
  pipeline: string;
  hash: string;
  engineVersion: string;
  nodeVersions: Record<string, number>;
  golden: GoldenResult;
}

export interface GoldenResult {
  /** candle file, relative to the pipeline file */
  data: string;
  dataSha256: string;
  fillsSha256: string;
  fills: number;
  trades: number;
  netPnl: string;
  finalEquity: string;
}

export function lockPathFor(pipelineFile: string): string {
  return join(dirname(pipelineFile), `${basename(pipelineFile).replace(/\.ya?ml$/, '')}.lock.json`);
}

export function nodeVersions(plan: CompiledPipeline): Record<string, number> {
  const versions: Record<string, number> = {};
  for (const node of [...plan.nodes].sort((a, b) => a.def.type.localeCompare(b.def.type))) versions[node.def.type] = node.def.version;
  return versions;
}

export function buildLock(plan: CompiledPipeline, golden: GoldenResult): PipelineLock {
  return { pipeline: plan.name, hash: pipelineHash(plan), engineVersion: ENGINE_VERSION, nodeVersions: nodeVersions(plan), golden };
}

export function readLock(file: string): PipelineLock | null {
  if (!existsSync(file)) return null;
  let lock: unknown;
  try {
    lock = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new BarflowError('lock.read', `lock file is not valid JSON: ${(error as Error).message}`, { file });
  }
  const missing = lockShapeProblem(lock);
  if (missing !== null) throw new BarflowError('lock.read', `not a pipeline lock: ${missing}`, { file });
  return lock as PipelineLock;
}

const GOLDEN_FIELDS = ['data', 'dataSha256', 'fillsSha256', 'netPnl', 'finalEquity'] as const;

/** What a parsed lock file lacks (the first thing found), or null: keeps a hand-edited lock from crashing the checks. */
function lockShapeProblem(lock: unknown): string | null {
  const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (!isObject(lock)) return 'expected a JSON object';
  for (const key of ['pipeline', 'hash', 'engineVersion'] as const) if (typeof lock[key] !== 'string') return `"${key}" must be text`;
  if (!isObject(lock['nodeVersions']) || !Object.values(lock['nodeVersions']).every((v) => typeof v === 'number')) return '"nodeVersions" must map node types to version numbers';
  const golden = lock['golden'];
  if (!isObject(golden)) return '"golden" must be an object';
  for (const key of GOLDEN_FIELDS) if (typeof golden[key] !== 'string') return `"golden.${key}" must be text`;
  for (const key of ['fills', 'trades'] as const) if (typeof golden[key] !== 'number') return `"golden.${key}" must be a number`;
  return null;
}

export function writeLock(file: string, lock: PipelineLock): void {
  writeFileSync(file, JSON.stringify(lock, null, 2) + '\n');
}

/** Differences between a pipeline as compiled now and its lock, without re-running the golden backtest. */
export function staticLockProblems(plan: CompiledPipeline, lock: PipelineLock | null): string[] {
  if (lock === null) return ['no lock file'];
  const problems: string[] = [];
  if (!plan.locked) problems.push('the pipeline is no longer marked `locked: true`');
  if (lock.pipeline !== plan.name) problems.push(`the pipeline is named "${plan.name}", the lock is for "${lock.pipeline}"`);
  const hash = pipelineHash(plan);
  if (lock.hash !== hash) problems.push(`graph hash ${hash.slice(0, 12)}… differs from the locked ${lock.hash.slice(0, 12)}… (a node, param or wire changed)`);
  if (lock.engineVersion !== ENGINE_VERSION) problems.push(`engine version ${ENGINE_VERSION} differs from the locked ${lock.engineVersion}`);
  const now = nodeVersions(plan);
  for (const type of new Set([...Object.keys(now), ...Object.keys(lock.nodeVersions)])) {
    if (now[type] !== lock.nodeVersions[type]) problems.push(`node type ${type}: version ${now[type] ?? 'absent'} differs from the locked ${lock.nodeVersions[type] ?? 'absent'}`);
  }
  return problems;
}

export function goldenProblems(expected: GoldenResult, actual: GoldenResult): string[] {
  const problems: string[] = [];
  if (expected.dataSha256 !== actual.dataSha256) problems.push(`golden data ${expected.data} changed (sha256 ${actual.dataSha256.slice(0, 12)}…, locked ${expected.dataSha256.slice(0, 12)}…)`);
  for (const field of ['fills', 'trades', 'netPnl', 'finalEquity'] as const) {
    if (expected[field] !== actual[field]) problems.push(`golden ${field} ${actual[field]} differs from the locked ${expected[field]}`);
  }
  if (expected.fillsSha256 !== actual.fillsSha256) {
    problems.push(`golden backtest changed: fills sha256 ${actual.fillsSha256.slice(0, 12)}… (${actual.fills} fills, ${actual.trades} trades, net ${actual.netPnl}) vs locked ${expected.fillsSha256.slice(0, 12)}… (${expected.fills} fills, ${expected.trades} trades, net ${expected.netPnl})`);
  }
  return problems;
}

/** The refusal a locked pipeline gets when its content no longer matches its lock. */
export function lockedRefusal(plan: CompiledPipeline, problems: string[]): BarflowError {
  return new BarflowError(
    'pipeline.locked',
    `${plan.name} is locked and no longer matches ${basename(lockPathFor(plan.file))}: ${problems.join('; ')}. ` +
      `Locked pipelines are not edited: fork it (barflow fork ${plan.file} <name>) and change the fork, ` +
      `or restore the original file.`,
    { file: plan.file },
  );
}

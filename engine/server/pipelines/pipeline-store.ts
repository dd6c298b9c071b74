import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { BarflowError, quote } from '../../core/errors.ts';
import type { NodeRegistry } from '../../core/node-definition.ts';
import { compilePipelineText } from '../../pipeline/compile.ts';
import { forkPipeline } from '../../pipeline/fork.ts';
import { lockPathFor, readLock, staticLockProblems } from '../../pipeline/lock.ts';
import { pipelineHash } from '../../pipeline/normalise.ts';
import type { CompiledPipeline } from '../../pipeline/plan.ts';
import { PIPELINE_NAME_PATTERN, type LockStatus, type PipelineDetail, type PipelineKind, type PipelineSummary, type ValidateResponse } from '../protocol/rest.ts';
import { graphGroups, graphNodes, problemsOf } from './graph-view.ts';

const FOLDERS: Record<PipelineKind, string> = { canonical: 'canonical', example: 'examples', fork: 'forks' };

/**
 * The pipelines the server offers, by name: pipelines/canonical (locked), pipelines/examples and
 * pipelines/forks. A name is a file name checked against one strict pattern before it touches the
 * file system, so no request can reach outside these folders. Only forks can be written.
 */
export class PipelineStore {
  constructor(
    readonly root: string,
    private readonly registry: NodeRegistry,
  ) {}

  list(): PipelineSummary[] {
    const out: PipelineSummary[] = [];
    for (const kind of Object.keys(FOLDERS) as PipelineKind[]) {
      const dir = join(this.root, FOLDERS[kind]);
      if (!existsSync(dir)) continue;
      for (const file of readdirSync(dir).sort()) {
        if (!file.endsWith('.yaml')) continue;
        const name = file.slice(0, -5);
        if (!PIPELINE_NAME_PATTERN.test(name)) continue;
        out.push(this.summary(name, kind, readFileSync(join(dir, file), 'utf8')));
      }
    }
    return out;
  }

  /** The file of a pipeline, or null; throws on a name that is not a pipeline name. */
  locate(name: string): { kind: PipelineKind; file: string } | null {
    checkName(name);
    for (const kind of Object.keys(FOLDERS) as PipelineKind[]) {
      const file = join(this.root, FOLDERS[kind], `${name}.yaml`);
      if (existsSync(file)) return { kind, file };
    }
    return null;
  }

  require(name: string): { kind: PipelineKind; file: string } {
    const found = this.locate(name);
    if (found === null) throw new BarflowError('pipeline.not-found', `no pipeline named ${quote(name)}`, { field: 'name' }, name);
    return found;
  }

  compile(name: string): { plan: CompiledPipeline; kind: PipelineKind; file: string; yaml: string } {
    const { kind, file } = this.require(name);
    const yaml = readFileSync(file, 'utf8');
    return { plan: compilePipelineText(yaml, file, this.registry), kind, file, yaml };
  }

  detail(name: string): PipelineDetail {
    const { kind, file } = this.require(name);
    const yaml = readFileSync(file, 'utf8');
    const summary = this.summary(name, kind, yaml);
    try {
      const plan = compilePipelineText(yaml, file, this.registry);
      return { ...summary, yaml, nodes: graphNodes(plan), groups: graphGroups(plan), lock: this.lockStatus(plan, file) };
    } catch (error) {
      return { ...summary, yaml, nodes: [], groups: [], lock: { locked: false, ok: false, problems: [], lockHash: null }, problems: problemsOf(error) };
    }
  }

  /** Compiles text as if it were saved as `name` (relative paths resolve from that pipeline's folder). */
  validate(yaml: string, name?: string): ValidateResponse {
    const file = name !== undefined && this.locate(name) !== null ? this.locate(name)!.file : join(this.root, FOLDERS.fork, `${name ?? 'untitled'}.yaml`);
    try {
      const plan = compilePipelineText(yaml, file, this.registry);
      return { ok: true, problems: [], hash: pipelineHash(plan), nodes: graphNodes(plan), groups: graphGroups(plan) };
    } catch (error) {
      return { ok: false, problems: problemsOf(error), hash: null };
    }
  }

  fork(source: string, name: string): PipelineSummary {
    const { file } = this.require(source);
    if (this.locate(name) !== null) throw new BarflowError('fork.exists', `a pipeline named ${quote(name)} already exists`, { field: 'name' }, name);
    forkPipeline(file, name, this.registry, { dir: join(this.root, FOLDERS.fork) });
    return this.summary(name, 'fork', readFileSync(join(this.root, FOLDERS.fork, `${name}.yaml`), 'utf8'));
  }

  /** Saves a fork after re-validating it; the previous version stays if the new text does not compile. */
  save(name: string, yaml: string): ValidateResponse {
    const { kind, file } = this.require(name);
    if (kind !== 'fork') throw new BarflowError('pipeline.read-only', `${quote(name)} is ${kind === 'canonical' ? 'a locked canonical pipeline' : 'a shipped example'}: fork it to change it`, { field: 'name' }, name);
    const result = this.validate(yaml, name);
    if (!result.ok) return result;
    const doc = parseDocument(yaml);
    if (doc.get('locked') === true) {
      return { ok: false, hash: null, problems: [{ code: 'pipeline.locked', message: 'a fork cannot be locked; only canonical pipelines carry a lock', formatted: 'locked: a fork cannot be locked', field: 'locked' }] };
    }
    if (doc.get('pipeline') !== name) {
      return { ok: false, hash: null, problems: [{ code: 'pipeline.name', message: `"pipeline" must stay ${quote(name)} (the file's name)`, formatted: `pipeline: must stay ${quote(name)}`, field: 'pipeline' }] };
    }
    mkdirSync(join(this.root, FOLDERS.fork), { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, yaml);
    renameSync(temp, file);
    return result;
  }

  private summary(name: string, kind: PipelineKind, yaml: string): PipelineSummary {
    const file = join(this.root, FOLDERS[kind], `${name}.yaml`);
    try {
      const plan = compilePipelineText(yaml, file, this.registry);
      return { name, kind, description: plan.description, locked: plan.locked, hash: pipelineHash(plan), forkedFrom: plan.forkedFrom, problems: [] };
    } catch (error) {
      return { name, kind, locked: false, hash: null, problems: problemsOf(error) };
    }
  }

  private lockStatus(plan: CompiledPipeline, file: string): LockStatus {
    if (!plan.locked) return { locked: false, ok: true, problems: [], lockHash: null };
    const lock = readLock(lockPathFor(file));
    const problems = staticLockProblems(plan, lock);
    return { locked: true, ok: problems.length === 0, problems, lockHash: lock?.hash ?? null };
  }
}

export function checkName(name: string): void {
  if (!PIPELINE_NAME_PATTERN.test(name)) {
    throw new BarflowError('pipeline.name', `${quote(name)} is not a pipeline name (lowercase letters, digits, "-" or "_"; at most 64)`, { field: 'name' }, name);
  }
}

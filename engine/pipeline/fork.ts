import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { BarflowError, quote } from '../core/errors.ts';
import type { NodeRegistry } from '../core/node-definition.ts';
import { compilePipelineFile, compilePipelineText } from './compile.ts';
import { PIPELINE_NAME } from './document.ts';
import { pipelineHash } from './normalise.ts';

export interface ForkResult {
  file: string;
  name: string;
  forkedFrom: { name: string; hash: string };
}

/** Where forks of a pipeline land: `forks/` beside the folder holding it (pipelines/forks for shipped ones). */
export function forksDirFor(pipelineFile: string): string {
  return resolve(dirname(resolve(pipelineFile)), '..', 'forks');
}

/**
 * Writes an editable copy: same YAML (comments kept), new name, `locked` dropped, and
 * `forkedFrom: {name, hash}` naming the original and the hash of what was forked. Relative file
 * paths in params are rewritten so they still point at the same files from the new folder.
 */
export function forkPipeline(sourceFile: string, name: string, registry: NodeRegistry, options: { dir?: string; force?: boolean } = {}): ForkResult {
  if (!PIPELINE_NAME.test(name)) {
    throw new BarflowError('fork.name', `fork name ${quote(name)} must be lowercase letters, digits, "-" or "_" (at most 64, no slashes or dots)`, { field: 'name' }, name);
  }
  const plan = compilePipelineFile(sourceFile, registry);
  const dir = options.dir ?? forksDirFor(sourceFile);
  const target = join(dir, `${name}.yaml`);
  if (existsSync(target) && !options.force) {
    throw new BarflowError('fork.exists', `${target} already exists; choose another name or pass --force to replace it`, { file: target });
  }
  const doc = parseDocument(readFileSync(sourceFile, 'utf8'));
  const origin = { name: plan.name, hash: pipelineHash(plan) };
  doc.set('pipeline', name);
  doc.delete('locked');
  doc.set('forkedFrom', doc.createNode(origin, { flow: true }));
  rewritePaths(doc, plan, dirname(resolve(sourceFile)), resolve(dir));
  const text = doc.toString({ lineWidth: 0 });
  compilePipelineText(text, target, registry);
  mkdirSync(dir, { recursive: true });
  writeFileSync(target, text);
  return { file: target, name, forkedFrom: origin };
}

function rewritePaths(doc: ReturnType<typeof parseDocument>, plan: ReturnType<typeof compilePipelineFile>, fromDir: string, toDir: string): void {
  if (fromDir === toDir) return;
  for (const node of plan.nodes) {
    if (node.group !== null) continue;
    for (const param of node.def.pathParams ?? []) {
      const path = ['nodes', node.id, 'params', param];
      const value = doc.getIn(path);
      if (typeof value !== 'string' || isAbsolute(value)) continue;
      doc.setIn(path, relative(toDir, resolve(fromDir, value)));
    }
  }
}

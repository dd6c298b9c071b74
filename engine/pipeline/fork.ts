import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { BarflowError, quote } from '../core/errors.ts';
import type { NodeRegistry } from '../core/node-definition.ts';
import { compilePipelineFile, compilePipelineText } from './compile.ts';
import { DocumentReader, PIPELINE_NAME } from './document.ts';
import { expandDocument } from './expand.ts';
import { pipelineHash } from './normalise.ts';
import { parseYamlSource } from './yaml-source.ts';

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
  const source = readFileSync(sourceFile, 'utf8');
  const doc = parseDocument(source);
  const origin = { name: plan.name, hash: pipelineHash(plan) };
  doc.set('pipeline', name);
  doc.delete('locked');
  doc.set('forkedFrom', doc.createNode(origin, { flow: true }));
  rewritePaths(doc, source, sourceFile, registry, dirname(resolve(sourceFile)), resolve(dir));
  const text = doc.toString({ lineWidth: 0 });
  compilePipelineText(text, target, registry);
  mkdirSync(dir, { recursive: true });
  writeFileSync(target, text);
  return { file: target, name, forkedFrom: origin };
}

/**
 * Rewrites every relative path param where it is written: on the node itself, or — for a node inside
 * a sub-graph — on the instance that passes it (`file: $file`) or in the sub-graph's own defaults.
 */
function rewritePaths(doc: ReturnType<typeof parseDocument>, source: string, file: string, registry: NodeRegistry, fromDir: string, toDir: string): void {
  if (fromDir === toDir) return;
  const reader = new DocumentReader(parseYamlSource(source, file));
  const parsed = reader.read();
  if (parsed === undefined) return;
  const done = new Set<string>();
  for (const node of expandDocument(parsed, reader).nodes) {
    for (const param of registry.get(node.type)?.pathParams ?? []) {
      const path = node.paramPaths[param];
      if (path === undefined || done.has(JSON.stringify(path))) continue;
      const value = doc.getIn(path);
      // `$$x` (a literal that only looks like a reference) is written differently from its value: leave it
      if (typeof value !== 'string' || value !== node.params[param] || isAbsolute(value)) continue;
      done.add(JSON.stringify(path));
      doc.setIn(path, relative(toDir, resolve(fromDir, value)));
    }
  }
}

import { LineCounter, parseDocument, isAlias, isMap, isSeq, isScalar, isPair, visit, type Node as YamlNode } from 'yaml';
import { BarflowError, BarflowErrors } from '../core/errors.ts';

/** Pipelines are small; anything bigger is a mistake or an attack. */
export const MAX_PIPELINE_BYTES = 1_048_576;
/** Aliases can expand exponentially ("billion laughs"); legitimate pipelines need few. */
export const MAX_ALIAS_COUNT = 64;

export type YamlPath = readonly (string | number)[];

export interface Position {
  line: number;
  column: number;
}

/** A parsed YAML document that can still tell where any value or key came from. */
export interface YamlSource {
  file: string;
  text: string;
  value: unknown;
  /** position of the value at `path` (or of its key with `which: 'key'`), nearest ancestor if absent */
  locate(path: YamlPath, which?: 'key' | 'value'): Position | undefined;
}

export function parseYamlSource(text: string, file: string): YamlSource {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_PIPELINE_BYTES) {
    throw new BarflowError(
      'yaml.too-large',
      `pipeline is ${bytes} bytes; the limit is ${MAX_PIPELINE_BYTES}`,
      { file },
      bytes,
    );
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true });
  if (doc.errors.length > 0) {
    throw new BarflowErrors(
      doc.errors.map((e) => {
        // with prettyErrors off the library leaves linePos unset: derive it from the offset
        const pos = e.linePos?.[0] ?? (e.pos?.[0] !== undefined ? lineCounter.linePos(e.pos[0]) : undefined);
        const message = e.message.split('\n')[0] ?? e.message;
        return new BarflowError('yaml.syntax', `YAML: ${message}`, { file, line: pos?.line, column: pos?.col });
      }),
    );
  }
  // `? [a, b]: x` or `!!binary k: x` would reach the reader as a stringified object (and make the
  // library print a warning): every pipeline key is plain text, a number or null
  const complexKeys: BarflowError[] = [];
  visit(doc, {
    Pair(_, pair) {
      const key = isAlias(pair.key) ? pair.key.resolve(doc) : pair.key;
      if (key != null && !(isScalar(key) && (key.value === null || typeof key.value !== 'object'))) {
        const p = (pair.key as YamlNode).range ? lineCounter.linePos((pair.key as YamlNode).range![0]) : undefined;
        complexKeys.push(new BarflowError('yaml.key', 'YAML: a mapping key must be plain text, not a list, a mapping or a tagged value', { file, line: p?.line, column: p?.col }));
      }
    },
  });
  if (complexKeys.length > 0) throw new BarflowErrors(complexKeys);
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new BarflowError(
      'yaml.aliases',
      `YAML aliases expand too far (more than ${MAX_ALIAS_COUNT} resolutions): ${message}`,
      { file },
    );
  }

  const positionOf = (offset: number | undefined): Position | undefined => {
    if (offset === undefined) return undefined;
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };

  const locate = (path: YamlPath, which: 'key' | 'value' = 'value'): Position | undefined => {
    let node: unknown = doc.contents;
    let best = positionOf((node as YamlNode | null)?.range?.[0]);
    for (let i = 0; i < path.length; i++) {
      const segment = path[i]!;
      const last = i === path.length - 1;
      if (isMap(node)) {
        const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment));
        if (pair === undefined) return best;
        const keyPos = positionOf((pair.key as YamlNode).range?.[0]);
        if (last && which === 'key') return keyPos ?? best;
        node = pair.value;
        best = positionOf((node as YamlNode | null)?.range?.[0]) ?? keyPos ?? best;
      } else if (isSeq(node) && typeof segment === 'number') {
        const item = node.items[segment];
        if (item === undefined) return best;
        node = item;
        best = positionOf((item as YamlNode).range?.[0]) ?? best;
      } else {
        return best;
      }
    }
    return best;
  };

  return { file, text, value, locate };
}

import type { Problem } from '../api/client.ts';

/** A 1-based range, as Monaco markers take it. */
export interface TextRange {
  startLineNumber: number;
  startColumn: number;
  endLineNumber: number;
  endColumn: number;
}

function lineOfKey(lines: string[], key: string, under: string | null): number | null {
  let inside = under === null;
  let depth = -1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (under !== null && new RegExp(`^${under}\\s*:`).test(line)) {
      inside = true;
      continue;
    }
    if (!inside) continue;
    if (under !== null && /^\S/.test(line) && !line.startsWith('#')) break;
    const m = /^(\s*)([a-z][a-z0-9_]*)\s*:/.exec(line);
    if (m === null) continue;
    const indent = m[1]!.length;
    if (depth < 0 && (under === null ? indent === 0 : indent > 0)) depth = indent;
    if (indent === depth && m[2] === key) return i + 1;
  }
  return null;
}

/** The line a problem without one most likely concerns: its node's entry, or its top-level field. */
export function problemLine(lines: string[], problem: Problem): number {
  if (problem.line !== undefined && problem.line >= 1) return Math.min(problem.line, Math.max(1, lines.length));
  if (problem.node !== undefined) {
    const line = lineOfKey(lines, problem.node.split('/')[0]!, 'nodes');
    if (line !== null) return line;
  }
  if (problem.field !== undefined) {
    const line = lineOfKey(lines, problem.field, null);
    if (line !== null) return line;
  }
  return 1;
}

/**
 * Where to draw a problem: from its column to the end of the value or key there (a quoted string
 * to its closing quote), or the whole line (without its indentation) when it has no column.
 */
export function problemRange(lines: string[], problem: Problem): TextRange {
  const lineNumber = problemLine(lines, problem);
  const text = lines[lineNumber - 1] ?? '';
  const whole = (): TextRange => {
    const first = text.search(/\S/);
    const start = first < 0 ? 1 : first + 1;
    return { startLineNumber: lineNumber, startColumn: start, endLineNumber: lineNumber, endColumn: Math.max(start + 1, text.length + 1) };
  };
  if (problem.line === undefined || problem.column === undefined || problem.column < 1 || problem.column > text.length) return whole();
  const start = problem.column - 1;
  let end = start;
  const quote = text[start];
  if (quote === '"' || quote === "'") {
    end = text.indexOf(quote, start + 1);
    end = end < 0 ? text.length : end + 1;
  } else {
    while (end < text.length && !/[\s,{}[\]#]/.test(text[end]!)) end++;
    if (end > start + 1 && text[end - 1] === ':') end--;
    if (end === start) end = Math.min(text.length, start + 1);
  }
  return { startLineNumber: lineNumber, startColumn: start + 1, endLineNumber: lineNumber, endColumn: Math.max(end + 1, start + 2) };
}

/** "Ln 8, Col 23" for the list under the editor. */
export function problemWhere(lines: string[], problem: Problem): string {
  const line = problemLine(lines, problem);
  return problem.line !== undefined && problem.column !== undefined ? `Ln ${line}, Col ${problem.column}` : `Ln ${line}`;
}

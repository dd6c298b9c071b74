/**
 * Every error a user can cause carries where it happened (file, line, node, port, param) and the
 * offending value, so the CLI, the server and the editor can all show it the same way.
 */
export interface ErrorLocation {
  file?: string;
  line?: number;
  column?: number;
  node?: string;
  port?: string;
  param?: string;
  field?: string;
  row?: number;
}

export class BarflowError extends Error {
  readonly location: ErrorLocation;
  readonly code: string;
  readonly value: unknown;

  constructor(code: string, message: string, location: ErrorLocation = {}, value?: unknown) {
    super(message);
    this.name = 'BarflowError';
    this.code = code;
    this.location = location;
    this.value = value;
  }

  /** `file:line:col: node "x" port "y": message` — the one format every consumer prints. */
  format(): string {
    return formatError(this.code, this.message, this.location);
  }

  toJSON(): Record<string, unknown> {
    return { code: this.code, message: this.message, location: this.location, formatted: this.format() };
  }
}

/** Several problems found in one pass (the compiler reports them all, not only the first). */
export class BarflowErrors extends Error {
  readonly errors: BarflowError[];

  constructor(errors: BarflowError[]) {
    super(errors.map((e) => e.format()).join('\n'));
    this.name = 'BarflowErrors';
    this.errors = errors;
  }
}

export function formatError(code: string, message: string, loc: ErrorLocation): string {
  const where: string[] = [];
  if (loc.file !== undefined) {
    let w = loc.file;
    if (loc.line !== undefined) w += `:${loc.line}`;
    if (loc.line !== undefined && loc.column !== undefined) w += `:${loc.column}`;
    where.push(w);
  }
  if (loc.row !== undefined) where.push(`row ${loc.row}`);
  const subject: string[] = [];
  if (loc.node !== undefined) subject.push(`node "${loc.node}"`);
  if (loc.port !== undefined) subject.push(`port "${loc.port}"`);
  if (loc.param !== undefined) subject.push(`param "${loc.param}"`);
  if (loc.field !== undefined) subject.push(`field "${loc.field}"`);
  const prefix = [...where, subject.join(' ')].filter((s) => s.length > 0).join(': ');
  return `${prefix.length > 0 ? prefix + ': ' : ''}${message} [${code}]`;
}

/** Quote a value for an error message without ever dumping something huge. */
export function quote(value: unknown): string {
  let text: string;
  if (typeof value === 'string') text = JSON.stringify(value);
  else if (typeof value === 'number' && !Number.isFinite(value)) text = String(value);
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  return text.length > 80 ? text.slice(0, 77) + '...' : text;
}

/** The closest known name, for "did you mean" hints. */
export function closest(name: string, known: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prevDiagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const saved = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prevDiagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      prevDiagonal = saved;
    }
  }
  return row[b.length]!;
}

import { BarflowError, closest, quote } from '../core/errors.ts';
import type { IncrementalRunner } from '../incremental/runner.ts';
import type { CompiledPipeline } from '../pipeline/plan.ts';
import { csvCell } from './csv.ts';

/**
 * Records named node outputs after every committed bar — the same observation the editor makes —
 * as CSV cells: numbers in shortest round-trip form, an empty cell for NaN/null (before warm-up),
 * booleans as true/false, structured values as JSON.
 */
export class ValueRecorder {
  readonly columns: string[] = [];
  /** rows not yet handed to the sink (all of them when there is no sink) */
  readonly rows: string[] = [];
  private readonly targets: { node: number; port: string }[] = [];
  private readonly sink: ((text: string) => void) | null;
  private headerWritten = false;

  /**
   * With a `sink`, rows are handed over in chunks as the run goes (a 177-node dump over 65k bars
   * runs to hundreds of MB); without one they stay in `rows`.
   */
  constructor(plan: CompiledPipeline, names: readonly string[], sink: ((text: string) => void) | null = null) {
    this.sink = sink;
    for (const name of names) {
      const direct = plan.byId.get(name);
      if (direct !== undefined) {
        for (const port of Object.keys(direct.def.outputs)) this.add(direct.index, direct.id, port);
        continue;
      }
      const dot = name.lastIndexOf('.');
      const node = dot > 0 ? plan.byId.get(name.slice(0, dot)) : undefined;
      if (node === undefined) {
        const hint = closest(name, plan.byId.keys());
        throw new BarflowError('dump.unknown-node', `--dump ${quote(name)}: no such node${hint ? ` (did you mean ${quote(hint)}?)` : ''}`, { field: '--dump', node: name });
      }
      const port = name.slice(dot + 1);
      if (!(port in node.def.outputs)) {
        throw new BarflowError('dump.unknown-port', `--dump ${quote(name)}: ${node.def.type} has no output ${quote(port)}; outputs: ${Object.keys(node.def.outputs).join(', ')}`, { field: '--dump', node: node.id, port });
      }
      this.add(node.index, node.id, port);
    }
  }

  private add(index: number, id: string, port: string): void {
    this.targets.push({ node: index, port });
    this.columns.push(`${id}.${port}`);
  }

  record(runner: IncrementalRunner): void {
    let line = String(runner.time);
    for (const t of this.targets) line += ',' + csvCell(runner.outputsOf(t.node)[t.port]);
    this.rows.push(line);
    if (this.sink !== null && this.rows.length >= 2000) this.flush();
  }

  /** Hands every pending row to the sink (call once the run is over). */
  flush(): void {
    if (this.sink === null) return;
    let text = '';
    if (!this.headerWritten) {
      text = this.header() + '\n';
      this.headerWritten = true;
    }
    if (this.rows.length > 0) text += this.rows.join('\n') + '\n';
    this.rows.length = 0;
    if (text !== '') this.sink(text);
  }

  get streamed(): boolean {
    return this.sink !== null;
  }

  toCsv(): string {
    return [this.header(), ...this.rows].join('\n') + '\n';
  }

  private header(): string {
    return 'time,' + this.columns.map(csvCell).join(',');
  }
}

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
  readonly rows: string[] = [];
  private readonly targets: { node: number; port: string }[] = [];

  constructor(plan: CompiledPipeline, names: readonly string[]) {
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
  }

  toCsv(): string {
    return ['time,' + this.columns.map(csvCell).join(','), ...this.rows].join('\n') + '\n';
  }
}

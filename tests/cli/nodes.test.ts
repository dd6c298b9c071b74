/**
 * `barflow nodes`: every registered node type with its ports and params; one type with its help;
 * `--json` for tools (the editor), with a JSON Schema of the params per node.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { describeNode } from '../../engine/core/describe.ts';
import { NODE_DEFINITIONS } from '../../nodes/index.ts';
import { nodeHelp } from '../../nodes/help.ts';
import { barflow } from '../support/cli.ts';
import { BIN, ROOT } from '../support/shipped.ts';

describe('barflow nodes', () => {
  it.concurrent('lists every registered node type with its inputs, outputs and params', async () => {
    const run = await barflow(['nodes']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const blocks = run.stdout.trimEnd().split('\n\n');
    expect(blocks).toHaveLength(NODE_DEFINITIONS.length);
    for (const def of NODE_DEFINITIONS) {
      const block = blocks.find((b) => b.startsWith(`${def.type} v${def.version} — ${def.title} (${def.category})\n`));
      expect(block, def.type).toBeDefined();
      const inputs = block!.split('\n').find((l) => l.startsWith('  inputs:'))!;
      const outputs = block!.split('\n').find((l) => l.startsWith('  outputs:'))!;
      for (const port of Object.keys(def.inputs)) expect(inputs, `${def.type} input ${port}`).toContain(`${port}: ${def.inputs[port]!.type}`);
      for (const port of Object.keys(def.outputs)) expect(outputs, `${def.type} output ${port}`).toContain(`${port}: ${def.outputs[port]!.type}`);
      const params = describeNode(def).params;
      if (params.length === 0) expect(block).toContain('  params:  (none)');
      for (const p of params) expect(block, `${def.type} param ${p.name}`).toMatch(new RegExp(`\\n {4}${p.name}: `));
    }
  });

  it.concurrent('prints one type with its params, defaults, bounds and its help text', async () => {
    const run = await barflow(['nodes', 'indicator.rsi']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^indicator\.rsi v1 — RSI \(indicator\)\n/);
    expect(run.stdout).toContain('  inputs:  source: series\n');
    expect(run.stdout).toContain('  outputs: value: series\n');
    expect(run.stdout).toMatch(/\n {4}period: integer = 14 \[min 2, max 10000\] — /);
    const help = nodeHelp('indicator.rsi');
    expect(help.length).toBeGreaterThan(100);
    expect(run.stdout).toContain(help.trimEnd());
  });

  it.concurrent('refuses an unknown type with a suggestion and exits 1', async () => {
    const run = await barflow(['nodes', 'indicator.rsx']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('unknown node type "indicator.rsx" (did you mean "indicator.rsi"?)\n');
  });

  it.concurrent('prints valid JSON with the ports, params and a params JSON Schema of every node with --json', async () => {
    const run = await barflow(['nodes', '--json']);
    expect(run.code).toBe(0);
    const nodes = JSON.parse(run.stdout) as Record<string, unknown>[];
    expect(nodes.map((n) => n['type'])).toEqual(NODE_DEFINITIONS.map((d) => d.type));
    for (const node of nodes) {
      const def = NODE_DEFINITIONS.find((d) => d.type === node['type'])!;
      expect(node['inputs'], def.type).toEqual(JSON.parse(JSON.stringify(def.inputs)));
      expect(node['outputs'], def.type).toEqual(JSON.parse(JSON.stringify(def.outputs)));
      const schema = node['paramsSchema'] as Record<string, unknown>;
      expect(schema['type'], def.type).toBe('object');
      const names = Object.keys((schema['properties'] ?? {}) as object);
      expect((node['params'] as { name: string }[]).map((p) => p.name), def.type).toEqual(names);
      expect(typeof node['help'], def.type).toBe('string');
    }
    const rsi = nodes.find((n) => n['type'] === 'indicator.rsi')!;
    const period = ((rsi['paramsSchema'] as { properties: Record<string, Record<string, unknown>> }).properties)['period']!;
    expect(period).toMatchObject({ type: 'integer', default: 14, minimum: 2, maximum: 10000 });
  });

  it.concurrent('prints the usage and exits 2 for an unknown option', async () => {
    const run = await barflow(['nodes', '--bogus']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('barflow nodes [<type>] [--json]');
  });

  it.concurrent('stops quietly when the reader closes the pipe early (barflow nodes --json | head)', async () => {
    const child = spawn(process.execPath, [BIN, 'nodes', '--json'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});

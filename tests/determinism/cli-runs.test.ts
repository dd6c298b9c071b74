/**
 * Determinism of the real command: `barflow run` twice on the same pipeline and data writes
 * byte-identical files (fills, trades, equity, summary and, with --dump, values), and the summary
 * names the exact inputs: the pipeline's hash and the sha256 of the data file's bytes.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pipelineHash } from '../../engine/pipeline/normalise.ts';
import { resolveFromPipeline } from '../../engine/run/backtest.ts';
import { barflow } from '../support/cli.ts';
import { compileShipped, shippedPipelines } from '../support/shipped.ts';

const dir = mkdtempSync(join(tmpdir(), 'barflow-determinism-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// ~4400 bars with a warm-up before them: long enough to trade, short enough for the test budget
const RANGE = ['--from', '2020-12-05', '--to', '2020-12-20T06:30'];

describe.each(shippedPipelines().map((file) => [basename(file), file] as const))('barflow run %s', (name, file) => {
  it('writes byte-identical reports on two runs, and a summary naming the pipeline hash and the data sha256', async () => {
    const plan = compileShipped(file);
    // every node of a small pipeline; of a big one an even spread of 40 series, bool and text
    // outputs (all 177 nodes of the canonical pipeline, JSON records included, run to gigabytes)
    const small = plan.nodes.length <= 40;
    const names = small
      ? plan.nodes.map((n) => n.id)
      : plan.nodes.flatMap((n) => Object.entries(n.def.outputs).flatMap(([port, spec]) => (['series', 'bool', 'text'].includes(spec.type) ? [`${n.id}.${port}`] : [])));
    const dump = names.filter((_, i) => small || i % Math.ceil(names.length / 40) === 0).join(',');
    const outs = [join(dir, `${name}-a`), join(dir, `${name}-b`)];
    const runs = await Promise.all(outs.map((out) => barflow(['run', file, '--out', out, '--quiet', '--dump', dump, ...RANGE], { timeoutMs: 60_000 })));
    for (const run of runs) {
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
    }
    const files = readdirSync(outs[0]!).sort();
    expect(files).toEqual(['equity.csv', 'fills.csv', 'rejections.csv', 'summary.json', 'trades.csv', 'values.csv']);
    expect(readdirSync(outs[1]!).sort()).toEqual(files);
    for (const f of files) {
      const a = readFileSync(join(outs[0]!, f));
      const b = readFileSync(join(outs[1]!, f));
      expect(a.equals(b), `${f} differs between the two runs`).toBe(true);
    }

    const summary = JSON.parse(readFileSync(join(outs[0]!, 'summary.json'), 'utf8')) as Record<string, unknown>;
    const dataFile = resolveFromPipeline(plan, (plan.nodes[plan.candleSource]!.params as { file: string }).file);
    expect(summary['pipelineHash']).toBe(pipelineHash(plan));
    expect(summary['pipelineHash']).toMatch(/^[0-9a-f]{64}$/);
    expect(summary['dataSha256']).toBe(createHash('sha256').update(readFileSync(dataFile)).digest('hex'));
    expect(summary['dataFile']).toBe(basename(dataFile));
    expect(summary['from']).toBe('2020-12-05T00:00:00Z');
    expect(summary['to']).toBe('2020-12-20T06:30:00Z');
    expect(summary['trades']).toBeGreaterThan(0);
  });
});

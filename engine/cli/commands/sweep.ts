import { isAbsolute, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { BarflowError } from '../../core/errors.ts';
import { isoTime } from '../../core/timeframe.ts';
import { paramTexts, rankedTable } from '../../sweep/results.ts';
import { buildSpec, readSpecFile } from '../../sweep/spec.ts';
import { runSweep, type SweepOutcome } from '../../sweep/sweep.ts';
import { parseTimeArg } from '../dates.ts';
import { progressBar } from '../progress.ts';
import { columns } from '../table.ts';

export const SWEEP_USAGE =
  'barflow sweep <pipeline.yaml> --param <nodeId.param>=<from>:<to>:<step> | =<v1>,<v2>,... [--param ...] [--spec <sweep.yaml>] ' +
  '[--method grid|random|genetic] [--samples N] [--population N] [--generations N] [--seed N] ' +
  '[--objective netReturn|sharpe|profitFactor|drawdownBoundedReturn] [--max-drawdown <pct>] ' +
  '[--walk-forward <windows> [--in-sample <bars|fraction>] [--out-of-sample <bars|fraction>] [--hold-out <fraction>]] ' +
  '[--data <csv>] [--from <date>] [--to <date>] [--workers N] [--kernels cpu|gpu [--gpu-mode webasm|gpu|webgpu] [--recheck N]] [--out <dir>] [--quiet]';

const KERNELS = ['cpu', 'gpu'] as const;
const GPU_MODES = ['webasm', 'gpu', 'webgpu'] as const;

/**
 * `barflow sweep`: many parameter sets of one pipeline (docs/how-to/sweeps.md). Writes
 * results.csv and sweep.json (walk-forward: walk-forward.csv and in-sample-<k>.csv too), prints the
 * top 10 and the exact `barflow run` command that reproduces the best row.
 */
export async function sweepCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      param: { type: 'string', multiple: true },
      spec: { type: 'string' },
      method: { type: 'string' },
      objective: { type: 'string' },
      'max-drawdown': { type: 'string' },
      seed: { type: 'string' },
      samples: { type: 'string' },
      population: { type: 'string' },
      generations: { type: 'string' },
      'walk-forward': { type: 'string' },
      'in-sample': { type: 'string' },
      'out-of-sample': { type: 'string' },
      'hold-out': { type: 'string' },
      data: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      workers: { type: 'string' },
      kernels: { type: 'string' },
      'gpu-mode': { type: 'string' },
      recheck: { type: 'string' },
      out: { type: 'string' },
      quiet: { type: 'boolean' },
    },
  });
  const file = positionals[0];
  if (file === undefined || positionals.length > 1) {
    process.stderr.write(`usage: ${SWEEP_USAGE}\n`);
    return 2;
  }
  const spec = buildSpec(values.spec === undefined ? null : readSpecFile(values.spec), {
    params: values.param,
    method: values.method,
    objective: values.objective,
    maxDrawdown: values['max-drawdown'],
    seed: values.seed,
    samples: values.samples,
    population: values.population,
    generations: values.generations,
    walkForward: values['walk-forward'],
    inSample: values['in-sample'],
    outOfSample: values['out-of-sample'],
    holdOut: values['hold-out'],
  });
  let workers: number | undefined;
  if (values.workers !== undefined) {
    workers = Number(values.workers);
    if (!/^\d+$/.test(values.workers) || !(workers >= 1)) throw new BarflowError('cli.option', `--workers ${JSON.stringify(values.workers)} must be a whole number from 1 (1 = no worker threads)`, { field: '--workers' }, values.workers);
  }
  const kernels = oneOf('--kernels', values.kernels, KERNELS) ?? 'cpu';
  const gpuMode = oneOf('--gpu-mode', values['gpu-mode'], GPU_MODES);
  let recheck: number | undefined;
  if (values.recheck !== undefined) {
    recheck = Number(values.recheck);
    if (!/^\d+$/.test(values.recheck) || !(recheck >= 1)) throw new BarflowError('cli.option', `--recheck ${JSON.stringify(values.recheck)} must be a whole number from 1 (the best rows re-run on the CPU path)`, { field: '--recheck' }, values.recheck);
  }
  if (kernels !== 'gpu') {
    for (const [flag, v] of [['--gpu-mode', values['gpu-mode']], ['--recheck', values.recheck]] as const) {
      if (v !== undefined) throw new BarflowError('cli.option', `${flag} needs --kernels gpu (the CPU path is exact: nothing to re-check)`, { field: flag }, v);
    }
  }
  const out = values.out ?? `out/sweeps/${file.replace(/^.*[\\/]/, '').replace(/\.ya?ml$/, '')}`;
  const outcome = await runSweep({
    file,
    spec,
    data: values.data,
    from: values.from,
    to: values.to,
    fromMs: values.from === undefined ? undefined : parseTimeArg('--from', values.from),
    toMs: values.to === undefined ? undefined : parseTimeArg('--to', values.to),
    workers,
    kernels,
    gpuMode,
    recheck,
    out,
    onProgress: values.quiet ? undefined : progressBar('sweep', 0, 'sets'),
  });
  if (!values.quiet) process.stdout.write(formatOutcome(outcome) + '\n');
  return 0;
}

function oneOf<T extends string>(flag: string, text: string | undefined, options: readonly T[]): T | undefined {
  if (text === undefined) return undefined;
  if ((options as readonly string[]).includes(text)) return text as T;
  throw new BarflowError('cli.option', `${flag} ${JSON.stringify(text)} is not one of ${options.join(', ')}`, { field: flag }, text);
}

/** A path relative to the working directory when it lies below it, else as it is. */
function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}

export function formatOutcome(o: SweepOutcome): string {
  const s = o.spec;
  const params = s.params;
  const method = s.method === 'random' ? `random (${s.samples} samples, seed ${s.seed})` : s.method === 'genetic' ? `genetic (population ${s.genetic.population}, ${s.genetic.generations} generations, seed ${s.seed})` : 'grid';
  const objective = s.objective === 'drawdownBoundedReturn' ? `drawdownBoundedReturn (max drawdown ${s.maxDrawdown}%)` : s.objective;
  const lines = [`${o.plan.name}: ${params.map((p) => `${p.name} (${p.values.length})`).join(' × ')} — ${method}, objective ${objective}, ${o.workers} worker${o.workers === 1 ? '' : 's'}, ${(o.timings.totalMs / 1000).toFixed(1)} s`];
  if (o.kernels === 'gpu' && o.gpu !== null) {
    const g = o.gpu;
    const fallback = g.backend !== 'none' && g.backend !== g.mode ? ` (asked for ${g.mode})` : '';
    const ran = g.backend === 'none' ? `no node of this sweep has a GPU kernel: all on the CPU kernels` : `gpu.js ${g.backend}${fallback} ran ${g.columns} columns in ${g.groups} groups, ${g.calls} kernel calls, ${(g.ms / 1000).toFixed(1)} s`;
    const r = o.recheck;
    lines.push(`kernels gpu: ${ran}; ranking in float32, then the top ${r?.rows ?? 0} rows${o.walkForward === null ? '' : ' of each window'} re-checked on the exact CPU path (${r?.sets ?? 0} sets, ${((r?.ms ?? 0) / 1000).toFixed(1)} s)`);
    lines.push(`  checked=cpu rows are exact (barflow run --set reproduces them); checked=gpu rows are float32 estimates, ranked below them`);
  }
  const t = (i: number) => isoTime(o.data.time[i]!);
  if (o.walkForward === null) {
    lines.push(`${o.rows.length} parameter sets, best first (top ${Math.min(10, o.rows.length)}):`, rankedTable(params, o.rows, s.objective));
    lines.push('', `best: ${o.command}`);
  } else {
    const wf = o.walkForward;
    lines.push(`walk-forward: ${wf.windows.length} windows over ${t(wf.layout.search.start)} → ${t(wf.layout.search.end)}; hold-out ${t(wf.layout.holdOut.start)} → ${t(wf.layout.holdOut.end)} (never searched)`);
    const header = ['window', 'in-sample', 'out-of-sample', ...params.map((p) => p.name), `IS ${s.objective}`, 'OOS net PnL', 'OOS return %', 'OOS max DD %', 'OOS trades', `OOS ${s.objective}`];
    const rows = wf.windows.map((w) => [
      String(w.window.index),
      `${t(w.window.inSample.start).slice(0, 16)} → ${t(w.window.inSample.end).slice(0, 16)}`,
      `${t(w.window.outOfSample.start).slice(0, 16)} → ${t(w.window.outOfSample.end).slice(0, 16)}`,
      ...paramTexts(params, w.best),
      String(w.isObjective),
      w.oosMetrics.netPnl,
      String(w.oosMetrics.returnPct),
      String(w.oosMetrics.maxDrawdownPct),
      String(w.oosMetrics.trades),
      String(w.oosObjective),
    ]);
    lines.push(columns([header, ...rows]).split('\n').map((l) => `  ${l}`).join('\n'));
    const c = wf.combined;
    lines.push(
      `out-of-sample, all windows: net ${c.netPnl} USDT, ${c.returnPct}% compounded, worst window drawdown ${c.maxDrawdownPct}%, ${c.trades} trades (win ${c.winRatePct ?? '—'}%), ${c.positiveWindows}/${c.windows} windows positive`,
      `hold-out with window ${wf.windows.length}'s best (${paramTexts(params, wf.holdOut.best).map((v, i) => `${params[i]!.name}=${v}`).join(' ')}): net ${wf.holdOut.metrics.netPnl} USDT, ${wf.holdOut.metrics.returnPct}%, max drawdown ${wf.holdOut.metrics.maxDrawdownPct}%, ${wf.holdOut.metrics.trades} trades, ${s.objective} ${wf.holdOut.objective}`,
      '',
      `hold-out: ${o.command}`,
    );
  }
  lines.push('', `  written: ${o.written.map(shown).join(', ')}`);
  return lines.join('\n');
}

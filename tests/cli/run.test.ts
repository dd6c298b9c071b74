/**
 * `barflow run` on a small temp pipeline and the first 3000 ETH 5m bars: the reports and their
 * documented columns, summary fields, --dump, --set, --from/--to, --data, and how bad input is
 * refused (exit 1 with the place named; usage errors exit 2).
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { barflow, escapeRegExp, ethCsvHead, readSummary, rsiPipelineText, workspace, writeFile } from '../support/cli.ts';

const dir = workspace('barflow-run-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PIPELINE = writeFile(dir, 'rsi.yaml', rsiPipelineText('rsi-small'));
const SMALL = join(dir, 'small.csv');
const FIRST = 1606780800000; // 2020-12-01T00:00Z, the first bar of the data
const FIVE_MIN = 300_000;

let outs = 0;
/** Runs the pipeline into a fresh --out folder; returns the result and the folder. */
async function run(...args: string[]) {
  const out = join(dir, `out-${++outs}`);
  const result = await barflow(['run', PIPELINE, '--out', out, '--quiet', ...args]);
  return { ...result, out, read: (name: string) => readFileSync(join(out, name), 'utf8') };
}
const lines = (text: string) => text.trimEnd().split('\n');
const summaryOf = (r: { out: string }) => readSummary(r.out);

describe('barflow run', () => {
  it.concurrent('writes fills, trades, equity and summary with the documented columns', async () => {
    const r = await run();
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(readdirSync(r.out).sort()).toEqual(['equity.csv', 'fills.csv', 'rejections.csv', 'summary.json', 'trades.csv']);
    const fills = lines(r.read('fills.csv'));
    expect(fills[0]).toBe('time,side,price,lots,notional,fee,funding,reason,kind,position,slippage');
    expect(fills.length).toBeGreaterThan(10);
    expect(fills[1]).toMatch(/^2020-\d\d-\d\dT\d\d:\d\d:00Z,(buy|sell),[\d.]+,\d+,\d+\.\d{8},\d+\.\d{8},-?\d+\.\d{8},rsi-extreme,entry,1,\d+\.\d{8}$/);
    const trades = lines(r.read('trades.csv'));
    expect(trades[0]).toBe('id,side,entry_time,entry_price,exit_time,exit_price,lots,leverage,margin,gross_pnl,fees,funding,slippage,net_pnl,roi_pct,bars_held,entry_reason,exit_reason,exits,stop_path,entry_detail');
    expect(trades.length).toBeGreaterThan(5);
    const equity = lines(r.read('equity.csv'));
    expect(equity[0]).toBe('time,equity,cash,unrealized,position_lots,drawdown_pct');
    // one row per bar close, from the first bar
    expect(equity).toHaveLength(3001);
    expect(equity[1]).toBe('2020-12-01T00:00:00Z,10000.00000000,10000.00000000,0.00000000,0,0');

    const s = summaryOf(r);
    for (const field of ['netPnl', 'fees', 'funding', 'finalEquity']) expect(s[field], field).toMatch(/^-?\d+\.\d{8}$/);
    for (const field of ['returnPct', 'maxDrawdownPct', 'sharpe', 'winRatePct', 'profitFactor']) expect(typeof s[field], field).toBe('number');
    expect(Number.isInteger(s['trades'])).toBe(true);
    expect(s['trades']).toBe(trades.length - 1);
    expect(s['pipelineHash']).toMatch(/^[0-9a-f]{64}$/);
    expect(s['dataSha256']).toBe(createHash('sha256').update(readFileSync(SMALL)).digest('hex'));
    expect(s['dataFile']).toBe('small.csv');
    expect(s['bars']).toBe(3000);
  });

  it.concurrent('prints the summary table and where the reports went without --quiet', async () => {
    const out = join(dir, 'out-loud');
    const r = await barflow(['run', PIPELINE, '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^rsi-small {2}small\.csv \(5m\) {2}2020-12-01T00:00:00Z → 2020-12-11T09:55:00Z\n/);
    expect(r.stdout).toContain('net PnL');
    expect(r.stdout).toContain(`reports: ${join(out, 'fills.csv')}`);
  });

  it.concurrent('dumps the named outputs to values.csv: a time column, one column per nodeId.port, empty before warm-up', async () => {
    const r = await run('--dump', 'rsi,entry.blockedBy,low.value');
    expect(r.code).toBe(0);
    const rows = lines(r.read('values.csv')).map((line) => line.split(','));
    expect(rows[0]).toEqual(['time', 'rsi.value', 'entry.blockedBy', 'low.value']);
    expect(rows).toHaveLength(3001);
    rows.slice(1).forEach((row, i) => expect(row[0]).toBe(String(FIRST + i * FIVE_MIN)));
    // RSI(14) needs 14 moves: empty on the first 14 bars, a number from the 15th
    expect(rows.slice(1, 15).every((row) => row[1] === '')).toBe(true);
    expect(Number(rows[15]![1])).toBeGreaterThan(0);
    expect(rows.slice(15).every((row) => Number(row[1]) >= 0 && Number(row[1]) <= 100)).toBe(true);
    expect(rows.slice(1).every((row) => row[3] === 'true' || row[3] === 'false')).toBe(true);
    expect(rows.slice(1).some((row) => row[3] === 'true')).toBe(true);
  });

  it.concurrent('refuses a --dump of an unknown node or port, naming it', async () => {
    const node = await run('--dump', 'rsi,nosuch');
    expect(node.code).toBe(1);
    expect(node.stderr).toMatch(/^error: node "nosuch" field "--dump": .*no such node/);
    const port = await run('--dump', 'rsi.nope');
    expect(port.code).toBe(1);
    expect(port.stderr).toMatch(/^error: node "rsi" port "nope" field "--dump": .*has no output "nope"/);
  });

  it.concurrent('changes the result and the pipeline hash with --set node.param=value', async () => {
    const [base, changed] = await Promise.all([run(), run('--set', 'rsi.period=7', '--set', 'risk.leverage=3')]);
    expect(changed.stderr).toBe('');
    expect(changed.code).toBe(0);
    const a = summaryOf(base);
    const b = summaryOf(changed);
    expect(b['pipelineHash']).not.toBe(a['pipelineHash']);
    expect(b['netPnl']).not.toBe(a['netPnl']);
    expect(b['trades']).not.toBe(a['trades']);
  });

  it.concurrent('rejects an invalid --set value with a message naming the node and the param', async () => {
    const cases: [string, RegExp][] = [
      ['rsi.period=abc', /node "rsi" param "period" field "--set": --set rsi\.period: expected number, got "abc"/],
      ['rsi.period=1', /node "rsi" param "period" field "--set": --set rsi\.period: value 1 is below the minimum 2/],
      ['rsi.nope=3', /node "rsi" param "nope" field "--set": --set rsi\.nope: indicator\.rsi has no param "nope"/],
      ['rsx.period=3', /node "rsx" field "--set": --set "rsx\.period=3": no node "rsx" \(did you mean "rsi"\?\)/],
      ['rsi.period', /field "--set": --set "rsi\.period" must look like node_id\.param=value/],
    ];
    for (const [set, message] of cases) {
      const r = await run('--set', set);
      expect(r.code, set).toBe(1);
      expect(r.stderr, set).toMatch(new RegExp(`^error: .*${message.source}`));
      expect(existsSync(r.out), set).toBe(false);
    }
  });

  it.concurrent('restricts the traded range to --from/--to and warms up on the data before --from', async () => {
    // --from between two bars: the first traded bar is the next one
    const [all, part] = await Promise.all([run('--dump', 'rsi'), run('--from', '2020-12-05T06:02', '--to', '2020-12-08T12:00', '--dump', 'rsi')]);
    expect(part.stderr).toBe('');
    expect(part.code).toBe(0);
    const equity = lines(part.read('equity.csv'));
    expect(equity[1]!.startsWith('2020-12-05T06:05:00Z,')).toBe(true);
    expect(equity[equity.length - 1]!.startsWith('2020-12-08T12:00:00Z,')).toBe(true);
    const s = summaryOf(part);
    expect(s['from']).toBe('2020-12-05T06:05:00Z');
    expect(s['to']).toBe('2020-12-08T12:00:00Z');
    expect(s['bars']).toBe(equity.length - 1);
    // warmed up on earlier data: as many bars as the pipeline needs, and RSI already has its
    // full-history value on the first traded bar
    expect(s['warmupBars']).toBe(s['pipelineWarmupBars']);
    expect(s['warmupBars']).toBeGreaterThan(14);
    const fillTimes = lines(part.read('fills.csv')).slice(1).map((f) => f.split(',')[0]!);
    expect(fillTimes.length).toBeGreaterThan(0);
    expect(fillTimes.every((t) => t >= '2020-12-05T06:05:00Z' && t <= '2020-12-08T12:00:00Z')).toBe(true);
    const first = lines(part.read('values.csv'))[1]!.split(',');
    const same = lines(all.read('values.csv')).find((row) => row.startsWith(first[0] + ','))!.split(',');
    expect(first[0]).toBe(String(Date.parse('2020-12-05T06:05:00Z')));
    expect(Math.abs(Number(first[1]) - Number(same[1]))).toBeLessThan(1e-9 * Number(same[1]));
  });

  it.concurrent('rejects dates that are not dates, and a range holding no bars', async () => {
    const cases: [string[], RegExp][] = [
      [['--from', 'yesterday'], /field "--from": --from "yesterday" is not a date/],
      [['--from', '2020-12-05T25:00'], /field "--from": --from "2020-12-05T25:00" is not a date/],
      [['--to', '2021-02-30'], /field "--to": --to "2021-02-30" is not a date/],
      [['--to', '2020-13-01'], /field "--to": --to "2020-13-01" is not a date/],
      [['--from', '2021-06-01'], /the --from\/--to range holds no bars of the data \[run\.range\]/],
      [['--from', '2020-12-08', '--to', '2020-12-05'], /the --from\/--to range holds no bars of the data \[run\.range\]/],
    ];
    for (const [args, message] of cases) {
      const r = await run(...args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr, args.join(' ')).toMatch(new RegExp(`^error: .*${message.source}`));
    }
  });

  it.concurrent('reads --data instead of the feed file, relative to the current folder', async () => {
    writeFile(dir, 'shorter.csv', ethCsvHead(2000));
    const out = join(dir, 'out-data');
    const r = await barflow(['run', PIPELINE, '--data', 'shorter.csv', '--out', out, '--quiet'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const s = readSummary(out);
    expect(s['dataFile']).toBe('shorter.csv');
    expect(s['bars']).toBe(2000);
    expect(s['dataSha256']).toBe(createHash('sha256').update(readFileSync(join(dir, 'shorter.csv'))).digest('hex'));
  });

  it.concurrent('refuses --data with a row out of order, naming the file and the line, and exits 1', async () => {
    const rows = ethCsvHead(200).split('\n');
    // swap data rows 100 and 101 (file lines 101 and 102)
    [rows[100], rows[101]] = [rows[101]!, rows[100]!];
    const bad = writeFile(dir, 'out-of-order.csv', rows.join('\n'));
    const r = await run('--data', bad);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^error: ${escapeRegExp(bad)}:102: field "time": out of order: 2020-12-01T08:15:00Z comes after 2020-12-01T08:20:00Z \\(line 101\\) \\[data\\.row\\]\\n$`));
    expect(existsSync(r.out)).toBe(false);
  });

  it.concurrent('prints the usage and exits 2 for an unknown command or option', async () => {
    const command = await barflow(['frobnicate']);
    expect(command.code).toBe(2);
    expect(command.stderr).toMatch(/^unknown command "frobnicate"\n/);
    expect(command.stderr).toContain('barflow run <pipeline.yaml>');
    const option = await run('--bogus');
    expect(option.code).toBe(2);
    expect(option.stderr).toContain("Unknown option '--bogus'");
    expect(option.stderr).toContain('barflow run <pipeline.yaml>');
    const none = await barflow([]);
    expect(none.code).toBe(2);
    expect(none.stdout).toContain('commands:');
    const noPipeline = await barflow(['run']);
    expect(noPipeline.code).toBe(2);
    expect(noPipeline.stderr).toMatch(/^usage: barflow run <pipeline\.yaml>/);
  });
});

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { BarflowError } from '../core/errors.ts';
import { ethCsvHead } from '../../tests/support/cli.ts';
import { buildSpec } from './spec.ts';
import { runSweep } from './sweep.ts';
import { walkForwardLayout } from './walk-forward.ts';

/** Every runBatch call the sweep makes (in this thread: --workers 1), with the range it was given. */
const calls = vi.hoisted(() => [] as { sets: number; from?: number; to?: number; lastTime: number }[]);
vi.mock('../batch/batch-run.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../batch/batch-run.ts')>();
  return {
    ...real,
    runBatch: function* (...args: Parameters<typeof real.runBatch>) {
      const [, sets, , options] = args;
      for (const r of real.runBatch(...args)) {
        if (r.index === 0) calls.push({ sets: sets.length, from: options?.from, to: options?.to, lastTime: r.result.data.time[r.result.lastIndex]! });
        yield r;
      }
    },
  };
});

const dir = mkdtempSync(join(tmpdir(), 'barflow-walk-forward-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const DATA = join(dir, 'eth.csv');
writeFileSync(DATA, ethCsvHead(8000));

describe('walk-forward layout', () => {
  it('rolls in-sample / out-of-sample windows up to the hold-out, which no window touches', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 500 }),
        fc.integer({ min: 200, max: 50_000 }),
        fc.integer({ min: 1, max: 8 }),
        fc.option(fc.oneof(fc.double({ min: 0.05, max: 0.5, noNaN: true }), fc.integer({ min: 10, max: 2000 })), { nil: undefined }),
        fc.option(fc.oneof(fc.double({ min: 0.02, max: 0.2, noNaN: true }), fc.integer({ min: 5, max: 800 })), { nil: undefined }),
        fc.double({ min: 0.05, max: 0.5, noNaN: true }),
        (first, bars, windows, inSample, outOfSample, holdOut) => {
          const last = first + bars - 1;
          let layout;
          try {
            layout = walkForwardLayout(first, last, { windows, inSample, outOfSample, holdOut });
          } catch (error) {
            expect(error).toBeInstanceOf(BarflowError);
            expect((error as Error).message).toMatch(/do not fit/);
            return;
          }
          const { search, holdOut: held } = layout;
          expect(search.start).toBe(first);
          expect(held.end).toBe(last);
          expect(held.start).toBe(search.end + 1);
          expect(held.end - held.start + 1).toBe(Math.max(1, Math.round(bars * holdOut)));
          expect(layout.windows).toHaveLength(windows);
          const w = layout.windows;
          for (const [k, win] of w.entries()) {
            expect(win.inSample.start).toBeGreaterThanOrEqual(search.start);
            expect(win.inSample.end).toBeGreaterThanOrEqual(win.inSample.start);
            expect(win.outOfSample.start).toBe(win.inSample.end + 1);
            expect(win.outOfSample.end).toBeGreaterThanOrEqual(win.outOfSample.start);
            // never into the hold-out
            expect(win.outOfSample.end).toBeLessThan(held.start);
            if (k > 0) {
              // rolling: same lengths, shifted by one out-of-sample length; out-of-sample stretches tile
              expect(win.inSample.end - win.inSample.start).toBe(w[0]!.inSample.end - w[0]!.inSample.start);
              expect(win.outOfSample.start).toBe(w[k - 1]!.outOfSample.end + 1);
            }
          }
          expect(w[w.length - 1]!.outOfSample.end).toBe(held.start - 1);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('defaults: 20% hold-out, out-of-sample = span / (windows + 3), in-sample the rest', () => {
    const layout = walkForwardLayout(0, 9999, { windows: 3, holdOut: 0.2 });
    expect(layout.holdOut).toEqual({ start: 8000, end: 9999 });
    expect(layout.windows.map((w) => [w.inSample, w.outOfSample])).toEqual([
      [{ start: 0, end: 4000 }, { start: 4001, end: 5333 }],
      [{ start: 1333, end: 5333 }, { start: 5334, end: 6666 }],
      [{ start: 2666, end: 6666 }, { start: 6667, end: 7999 }],
    ]);
    expect(() => walkForwardLayout(0, 99, { windows: 3, inSample: 70, outOfSample: 10, holdOut: 0.2 })).toThrow(/3 walk-forward windows \(in-sample 70 bars, out-of-sample 10 bars each\) do not fit in the 80 bars before the hold-out/);
  });
});

describe('walk-forward sweep', () => {
  beforeEach(() => {
    calls.length = 0;
  });

  it('searches only in-sample windows, evaluates out-of-sample after each, and reads the hold-out only at the end', async () => {
    const out = join(dir, 'wf');
    const spec = buildSpec(null, { params: ['risk.stopLoss=4:8:2', 'bullish.threshold=0.5,0.6'], walkForward: '3', holdOut: '0.25' });
    const outcome = await runSweep({ file: 'pipelines/examples/weighted-signals.yaml', spec, data: DATA, workers: 1, out });
    const wf = outcome.walkForward!;
    const time = outcome.data.time;
    const holdStart = time[wf.layout.holdOut.start]!;
    // 3 windows × (1 search batch + 1 out-of-sample run) + the hold-out run
    expect(calls).toHaveLength(7);
    for (const [k, w] of wf.layout.windows.entries()) {
      const search = calls[2 * k]!;
      const oos = calls[2 * k + 1]!;
      expect(search).toEqual({ sets: 6, from: time[w.inSample.start], to: time[w.inSample.end], lastTime: time[w.inSample.end] });
      expect(oos).toEqual({ sets: 1, from: time[w.outOfSample.start], to: time[w.outOfSample.end], lastTime: time[w.outOfSample.end] });
      expect(search.lastTime).toBeLessThan(holdStart);
      expect(oos.lastTime).toBeLessThan(holdStart);
    }
    const last = calls[6]!;
    expect(last).toEqual({ sets: 1, from: holdStart, to: time[wf.layout.holdOut.end], lastTime: time[time.length - 1] });
    // the hold-out is evaluated with the last window's best
    expect(wf.holdOut.best).toEqual(wf.windows[2]!.best);
    const csv = readFileSync(join(out, 'walk-forward.csv'), 'utf8').trimEnd().split('\n');
    expect(csv[0]).toBe('window,is_from,is_to,oos_from,oos_to,risk.stopLoss,bullish.threshold,is_objective,is_netPnl,oos_netPnl,oos_returnPct,oos_maxDrawdownPct,oos_sharpe,oos_trades,oos_wins,oos_losses,oos_winRatePct,oos_profitFactor,oos_fees,oos_funding,oos_objective');
    expect(csv.map((l) => l.split(',')[0])).toEqual(['window', '1', '2', '3', 'oos-total', 'hold-out']);
    expect(csv[5]!.split(',')[9]).toBe(wf.holdOut.metrics.netPnl);
    expect(outcome.command).toMatch(/^barflow run pipelines\/examples\/weighted-signals\.yaml --data \S+ --from \S+Z --to \S+Z --set risk\.stopLoss=\d --set bullish\.threshold=0\.\d$/);
    const json = JSON.parse(readFileSync(join(out, 'sweep.json'), 'utf8'));
    expect(json.walkForward.windows).toHaveLength(3);
    expect(json.walkForward.holdOut.command).toBe(outcome.command);
  });

  it('the best in-sample set is the top row of that window, and its out-of-sample run matches the search', async () => {
    const out = join(dir, 'wf2');
    const spec = buildSpec(null, { params: ['risk.stopLoss=5,9'], walkForward: '2', inSample: '3000', outOfSample: '1500', holdOut: '0.1', objective: 'sharpe' });
    const outcome = await runSweep({ file: 'pipelines/examples/weighted-signals.yaml', spec, data: DATA, workers: 1, out });
    const wf = outcome.walkForward!;
    expect(wf.windows.map((w) => [w.window.inSample.end - w.window.inSample.start + 1, w.window.outOfSample.end - w.window.outOfSample.start + 1])).toEqual([
      [3000, 1500],
      [3000, 1500],
    ]);
    for (const w of wf.windows) {
      const rows = readFileSync(join(out, `in-sample-${w.window.index}.csv`), 'utf8').trimEnd().split('\n');
      expect(rows[0]!.split(',').slice(-3)).toEqual(['objective', 'rank', 'checked']);
      expect(rows[1]!.split(',')[0]).toBe(spec.params[0]!.values[w.best[0]!]!.text);
      expect(rows[1]!.split(',')[1]).toBe(w.isMetrics.netPnl);
    }
  });
});

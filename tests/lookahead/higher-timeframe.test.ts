/**
 * A higher-timeframe value is never visible before its bar closed: a resampled period (open time
 * `time`, length tf) is first observed on a base bar whose close is at or after time + tf, and
 * nothing on that clock fires on a base bar where the resampler did not publish.
 */
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CandleSeries } from '../../engine/data/candles-csv.ts';
import type { Bar } from '../../engine/core/trading.ts';
import { IncrementalRunner } from '../../engine/incremental/runner.ts';
import { compilePipelineText } from '../../engine/pipeline/compile.ts';
import type { CompiledPipeline } from '../../engine/pipeline/plan.ts';
import { registry } from '../../nodes/index.ts';
import { compileShipped, ethBars, shippedPipelines } from '../support/shipped.ts';

const BARS = 20_000;
const HOUR = 3_600_000;

interface Observation {
  node: string;
  tf: number;
  /** published period open time → close time of the base bar on which it was first seen */
  firstSeen: Map<number, number>;
  /** complete flag of each published period */
  complete: Map<number, boolean>;
  /** "node fired on a base bar its resampler did not publish on" */
  strayFirings: string[];
  /** nodes checked for stray firings */
  onClock: number;
}

function observe(plan: CompiledPipeline, data: CandleSeries): Observation[] {
  const runner = new IncrementalRunner(plan, { venue: null });
  const resamplers = plan.nodes.filter((n) => n.def.outputInterval !== undefined);
  const observations: Observation[] = resamplers.map((n) => ({ node: n.id, tf: n.def.outputInterval!(n.params), firstSeen: new Map(), complete: new Map(), strayFirings: [], onClock: 0 }));
  // nodes on a resampled clock (not mixed with another), with the resampler that drives it
  const onClock = plan.nodes.flatMap((n) => {
    const driver = resamplers.findIndex((r) => r.index !== n.index && !n.def.outputInterval && n.clock.key === r.clock.key);
    return driver >= 0 ? [{ node: n, driver }] : [];
  });
  for (const { driver } of onClock) observations[driver]!.onClock++;
  runner.onBar((r) => {
    const close = r.time + data.intervalMs;
    resamplers.forEach((n, k) => {
      const time = r.outputsOf(n.index)['time'] as number;
      const o = observations[k]!;
      if (Number.isNaN(time) || o.firstSeen.has(time)) return;
      o.firstSeen.set(time, close);
      o.complete.set(time, r.outputsOf(n.index)['complete'] as boolean);
    });
    for (const { node, driver } of onClock) {
      if (r.fired(node.index) && !r.fired(resamplers[driver]!.index)) {
        observations[driver]!.strayFirings.push(`${node.id} at ${new Date(r.time).toISOString()}`);
      }
    }
  });
  for (let i = 0; i < data.length; i++) {
    const bar: Bar = { time: data.time[i]!, open: data.open[i]!, high: data.high[i]!, low: data.low[i]!, close: data.close[i]!, volume: data.volume[i]!, interval: data.intervalMs, complete: true };
    runner.push(bar, i === 0 ? 0 : data.gapBefore[i]!, true);
  }
  return observations;
}

function check(o: Observation): void {
  const early: string[] = [];
  const late: string[] = [];
  for (const [time, seen] of o.firstSeen) {
    // the honesty claim: never before the period closed
    if (time + o.tf > seen) early.push(`${new Date(time).toISOString()} seen at ${new Date(seen).toISOString()}`);
    // and no later than needed: a complete period shows on the base bar that closes it
    if (o.complete.get(time) && time + o.tf !== seen) late.push(`${new Date(time).toISOString()} seen at ${new Date(seen).toISOString()}`);
  }
  expect(early).toEqual([]);
  expect(late).toEqual([]);
  expect(o.strayFirings).toEqual([]);
}

describe('higher-timeframe values', () => {
  const data = ethBars(BARS);

  it('never shows a 1h bar before the base bar that closes its hour, gaps included', () => {
    const yaml = [
      'pipeline: hourly',
      'nodes:',
      '  candles:',
      '    type: feed.replay',
      '    params: { file: unused.csv }',
      '  bars_1h:',
      '    type: transform.resample',
      '    params: { timeframe: 1h }',
      '    in: { bar: candles.bar }',
      '  rsi:',
      '    type: indicator.rsi',
      '    in: { source: bars_1h.close }',
      '',
    ].join('\n');
    const [hourly] = observe(compilePipelineText(yaml, 'hourly.yaml', registry), data);
    expect(hourly!.tf).toBe(HOUR);
    expect(hourly!.onClock).toBe(1);
    // every hour of the slice that has any data is published once; the gaps make some incomplete
    expect(hourly!.firstSeen.size).toBeGreaterThan(1600);
    expect([...hourly!.complete.values()].filter((c) => !c).length).toBeGreaterThan(0);
    check(hourly!);
  });

  it.each(shippedPipelines().map((file) => [basename(file), file] as const))('never shows a resampled bar of %s before its period closed', (_name, file) => {
    const observations = observe(compileShipped(file), data);
    expect(observations.length).toBeGreaterThan(0);
    for (const o of observations) check(o);
  });
});

import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BarflowError } from '../../core/errors.ts';
import { sliceCandles } from '../../data/candles-csv.ts';
import { NODE_DEFINITIONS } from '../../../nodes/index.ts';
import { compileShipped, ethBars, ROOT } from '../../../tests/support/shipped.ts';
import { buildApp } from '../app.ts';
import { serverOptions } from '../config.ts';
import { RunRequest } from '../protocol/rest.ts';
import { RunSession, type SessionHooks } from './run-session.ts';
import { barIndexAt, candles } from './run-views.ts';
import { registry } from '../../../nodes/index.ts';

const hooks: SessionHooks = { onStatus: () => {}, onBars: () => {}, onCommitted: () => {}, onNodeTime: () => {} };
const FIVE_MINUTES = 5 * 60_000;

/** A paused session of an example pipeline over a slice of the ETH 5m data, with `bars` bars committed. */
function session(data = ethBars(3000), bars = 1000): RunSession {
  const plan = compileShipped(join(ROOT, 'pipelines/examples/mean-reversion.yaml'));
  const s = new RunSession('test', RunRequest.parse({ pipeline: 'mean-reversion', mode: 'replay', paused: true }), plan, data, hooks);
  if (bars > 0) s.control({ action: 'step', bars });
  return s;
}

describe('barIndexAt (GET /api/runs/:id/index)', () => {
  it('maps a bar open time to its own index, and a time inside a bar to that bar', () => {
    const s = session();
    const t = s.data.time;
    expect(barIndexAt(s, t[0]!)).toEqual({ index: 0, time: t[0] });
    expect(barIndexAt(s, t[500]!)).toEqual({ index: 500, time: t[500] });
    expect(barIndexAt(s, t[500]! + FIVE_MINUTES - 1)).toEqual({ index: 500, time: t[500] });
  });

  it('turns a 30m candle (its end) into the base bar that closes it', () => {
    const s = session();
    const c = candles(s, 30 * 60_000);
    const k = 40;
    const end = c.time[k]! + 30 * 60_000 - 1;
    const { index, time } = barIndexAt(s, end);
    expect(time).toBe(c.time[k]! + 25 * 60_000);
    expect(s.data.time[index]).toBe(time);
  });

  it('never goes past the last committed bar', () => {
    const s = session(ethBars(3000), 200);
    expect(s.lastIndex).toBe(199);
    expect(barIndexAt(s, s.data.time[2500]!)).toEqual({ index: 199, time: s.data.time[199] });
  });

  it('gives the bar before a data gap for a time inside the gap', () => {
    const all = ethBars();
    let gapAt = -1;
    for (let i = 1; i < all.length; i++) {
      if (all.gapBefore[i]! > 0) {
        gapAt = i;
        break;
      }
    }
    expect(gapAt).toBeGreaterThan(0);
    const from = Math.max(0, gapAt - 300);
    const data = sliceCandles(all, from, gapAt + 300);
    const local = gapAt - from;
    const s = session(data, 600);
    const inGap = data.time[local - 1]! + FIVE_MINUTES * (1 + Math.floor(data.gapBefore[local]! / 2));
    expect(inGap).toBeLessThan(data.time[local]!);
    expect(barIndexAt(s, inGap).index).toBe(local - 1);
    expect(barIndexAt(s, data.time[local]!).index).toBe(local);
  });

  it('refuses a time before the run or before any committed bar', () => {
    const s = session();
    expect(() => barIndexAt(s, s.data.time[0]! - 1)).toThrow(BarflowError);
    expect(() => barIndexAt(s, Number.NaN)).toThrow(/no committed bar/);
    const fresh = session(ethBars(3000), 0);
    expect(() => barIndexAt(fresh, fresh.data.time[10]!)).toThrow(/no bar has been committed/);
  });
});

describe('GET /api/runs/:id/index', () => {
  let app: Awaited<ReturnType<typeof buildApp>>['app'];
  let ctx: Awaited<ReturnType<typeof buildApp>>['ctx'];

  beforeAll(async () => {
    ({ app, ctx } = await buildApp(serverOptions({}, { BARFLOW_TOKEN: 'test-token-0123456789' }), { registry, definitions: NODE_DEFINITIONS, help: () => '', logger: false }));
  });
  afterAll(async () => {
    await app.close();
  });

  it('answers the index and time of the last committed bar at or before the time; 400 or 422 otherwise', async () => {
    const run = ctx.runs.start(RunRequest.parse({ pipeline: 'mean-reversion', mode: 'replay', paused: true, data: { embedded: 'eth-5m' } }));
    run.control({ action: 'step', bars: 100 });
    const t = run.data.time;
    const ok = await app.inject({ method: 'GET', url: `/api/runs/${run.id}/index?time=${t[42]! + 60_000}` });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ index: 42, time: t[42] });
    const later = await app.inject({ method: 'GET', url: `/api/runs/${run.id}/index?time=${t[5000]!}` });
    expect(later.json()).toEqual({ index: 99, time: t[99] });
    const before = await app.inject({ method: 'GET', url: `/api/runs/${run.id}/index?time=${t[0]! - 1}` });
    expect(before.statusCode).toBe(422);
    expect(before.json().error).toBe('request.time');
    const bad = await app.inject({ method: 'GET', url: `/api/runs/${run.id}/index?time=soon` });
    expect(bad.statusCode).toBe(400);
    const missing = await app.inject({ method: 'GET', url: `/api/runs/nope/index?time=${t[0]!}` });
    expect(missing.statusCode).toBe(404);
    run.control({ action: 'stop' });
  });
});

/**
 * The quiet-bar shortcut (settleBar takes it on most bars; settleStretch, the batch executor's way
 * through quiet stretches, takes it in a loop) against the full settlement of every bar: on
 * random hourly paths over several days — so that stops, targets, liquidations, funding instants
 * and UTC day changes all fall inside stretches — with entries and closes submitted now and then,
 * both venues end with the same fills, trades, rejections, equity tape and state, and the stretch
 * venue stops exactly on the bars where its position state changed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Bar, EntryOrder } from '../../core/trading.ts';
import { money } from './money.ts';
import type { PaperVenue } from './paper-venue.ts';
import { T0, testVenue } from './test-kit.ts';

const HOUR = 3_600_000;

const step = fc.record({
  move: fc.double({ min: -0.04, max: 0.04, noNaN: true }),
  range: fc.double({ min: 0, max: 0.03, noNaN: true }),
  act: fc.integer({ min: 0, max: 12 }),
});

function pathOf(steps: readonly { move: number; range: number }[]): Bar[] {
  let price = 100;
  return steps.map((s, i) => {
    const open = price;
    price = Math.max(1, price * (1 + s.move));
    return { time: T0 + i * HOUR, open, high: Math.max(open, price) * (1 + s.range), low: Math.min(open, price) * (1 - s.range), close: price, volume: 1, interval: HOUR, complete: true };
  });
}

function entry(i: number, price: number): EntryOrder {
  const side = i % 2 === 0 ? 1 : -1;
  return { kind: 'entry', time: T0, side, lots: 30, leverage: 5 + (i % 20), refPrice: price, bracket: { stopFrac: -0.015 * side, takeProfitFrac: 0.03 * side, partials: [{ triggerFrac: 0.01 * side, fraction: 0.5, label: 'half' }] }, reason: 'test' };
}

/** the commands of bar i, decided from the venue's state after the bar settled */
function act(v: PaperVenue, i: number, code: number, price: number): boolean {
  const p = v.openPosition;
  if (code === 1 && p === null) v.submit(entry(i, price), T0 + i * HOUR);
  else if (code === 2 && p !== null) v.submit({ kind: 'close', time: T0 + i * HOUR, positionId: p.id, reason: 'test' }, T0 + i * HOUR);
  else if (code === 3 && p !== null) v.submit({ kind: 'stop', time: T0 + i * HOUR, positionId: p.id, price: price * (1 - 0.01 * p.side), reason: 'trail' }, T0 + i * HOUR);
  else return false;
  return true;
}

function ledgerOf(v: PaperVenue) {
  const l = v.ledger;
  const money = Array.from({ length: l.equity.length }, (_, i) => `${l.equity.cashAt(i).toString()} ${l.equity.exactAt(i).toString()}`);
  return { fills: JSON.stringify(l.fills), trades: JSON.stringify(l.trades), rejections: JSON.stringify(l.rejections), times: Array.from(l.equity.times()), equity: Array.from(l.equity.equities()), lots: Array.from(l.equity.positionLots()), money, state: JSON.stringify(v.snapshot()) };
}

describe('settling quiet stretches', () => {
  it('gives what settling every bar in full gives (property)', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 30, maxLength: 200 }), fc.integer({ min: 0, max: 10 }), (steps, warmup) => {
        const bars = pathOf(steps);
        // the reference settles every bar in full (the private path settleBar falls back to)
        const one = testVenue({ slippage: money('0.0002') });
        const full = one as unknown as { settleFully(bar: Bar, trading: boolean): void };
        bars.forEach((bar, i) => {
          full.settleFully(bar, i >= warmup);
          act(one, i, steps[i]!.act, bar.close);
        });

        // the stretch venue settles in stretches up to each bar that carries a command
        const two = testVenue({ slippage: money('0.0002') });
        let i = 0;
        while (i < bars.length) {
          let end = i;
          // a bar whose command code could act: settle it alone, then act
          while (end < bars.length - 1 && steps[end]!.act > 3) end++;
          const inPosition = two.inPosition;
          const settled = two.settleStretch(bars, i, end, warmup);
          expect(settled).toBeGreaterThanOrEqual(i);
          expect(settled).toBeLessThanOrEqual(end);
          if (settled < end) expect(two.inPosition !== inPosition || two.pendingEntries === 0).toBe(true);
          if (settled === end) act(two, end, steps[end]!.act, bars[end]!.close);
          i = settled + 1;
        }
        expect(ledgerOf(two)).toEqual(ledgerOf(one));
      }),
      { seed: 11, numRuns: 150 },
    );
  });
});

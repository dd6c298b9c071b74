import { describe, expect, it } from 'vitest';
import { LiveStream } from './stream.ts';

const frame = (i: number, values: Record<string, Record<string, unknown>>) => ({ i, time: 1000 * i, sentAt: Date.now(), values });

function feed(stream: LiveStream, frames: ReturnType<typeof frame>[]): void {
  (stream as unknown as { receive(text: string): void }).receive(JSON.stringify({ type: 'bars', runId: 'r', frames, merged: 0 }));
  stream.flush();
}

/** A stream whose "animation frames" run when the test says. */
function manual(): { stream: LiveStream; tick(): void; pending(): number } {
  const queue: (() => void)[] = [];
  const stream = new LiveStream((flush) => {
    queue.push(flush);
    return () => queue.splice(queue.indexOf(flush) >>> 0, 1);
  });
  return { stream, tick: () => queue.splice(0).forEach((f) => f()), pending: () => queue.length };
}

const send = (stream: LiveStream, runId: string, frames: ReturnType<typeof frame>[]) =>
  (stream as unknown as { receive(text: string): void }).receive(JSON.stringify({ type: 'bars', runId, frames, merged: 0 }));

describe('LiveStream', () => {
  it('keeps the latest outputs and the last 60 numbers of each series', () => {
    const stream = new LiveStream();
    stream.subscribe('r');
    feed(stream, Array.from({ length: 50 }, (_, k) => frame(k, { a: { v: k, s: 'x' } })));
    feed(stream, Array.from({ length: 30 }, (_, k) => frame(50 + k, { a: { v: 50 + k, s: 'y' }, b: { w: k } })));
    expect(stream.state.values.a).toEqual({ v: 79, s: 'y' });
    expect(stream.state.lastIndex).toBe(79);
    expect(stream.state.recent['a.v']).toHaveLength(60);
    expect(stream.state.recent['a.v']![0]).toBe(20);
    expect(stream.state.recent['a.v']!.at(-1)).toBe(79);
    expect(stream.state.recent['b.w']).toEqual(Array.from({ length: 30 }, (_, k) => k));
    expect(stream.state.recent['a.s']).toBeUndefined();
  });

  it('ignores frames of another run, and seeds only what frames have not set', () => {
    const stream = new LiveStream();
    stream.subscribe('r');
    (stream as unknown as { receive(text: string): void }).receive(JSON.stringify({ type: 'bars', runId: 'other', frames: [frame(1, { a: { v: 1 } })], merged: 0 }));
    expect(stream.state.values).toEqual({});
    feed(stream, [frame(10, { a: { v: 10 } })]);
    stream.seed('r', 5, 5000, { a: { v: 5 }, b: { v: 5 } });
    expect(stream.state.values).toEqual({ a: { v: 10 }, b: { v: 5 } });
    expect(stream.state.lastIndex).toBe(10);
    stream.seed('other', 20, 1, { c: {} });
    expect(stream.state.values.c).toBeUndefined();
    stream.unsubscribe();
    expect(stream.state.runId).toBeNull();
    expect(stream.state.values).toEqual({});
  });

  it('applies every message of an animation frame at once: one state change, one notification', () => {
    const { stream, tick, pending } = manual();
    stream.subscribe('r');
    let heard = 0;
    stream.on(() => heard++);
    for (let k = 0; k < 200; k++) send(stream, 'r', [frame(k, { a: { v: k } })]);
    // a message per bar: nothing applied yet, one flush waiting
    expect(heard).toBe(0);
    expect(pending()).toBe(1);
    expect(stream.state.lastIndex).toBe(-1);
    tick();
    expect(heard).toBe(1);
    expect(stream.flushes).toBe(1);
    expect(stream.state.values.a).toEqual({ v: 199 });
    expect(stream.state.lastIndex).toBe(199);
    expect(stream.state.recent['a.v']).toEqual(Array.from({ length: 60 }, (_, k) => 140 + k));
    tick();
    expect(heard).toBe(1);
  });

  it('drops frames still waiting when the run changes, and applies them before a seed', () => {
    const { stream, tick, pending } = manual();
    stream.subscribe('r');
    send(stream, 'r', [frame(1, { a: { v: 1 } })]);
    stream.subscribe('s');
    expect(pending()).toBe(0);
    tick();
    expect(stream.state.values).toEqual({});
    send(stream, 's', [frame(9, { a: { v: 9 } })]);
    stream.seed('s', 3, 3000, { a: { v: 3 }, b: { v: 3 } });
    expect(stream.state.values).toEqual({ a: { v: 9 }, b: { v: 3 } });
    expect(stream.state.lastIndex).toBe(9);
  });

  it('asks for the inspected node whole on top of every node\'s light outputs', () => {
    const stream = new LiveStream();
    const sent: unknown[] = [];
    (stream as unknown as { ws: { readyState: number; send(t: string): void } }).ws = { readyState: 1, send: (t: string) => sent.push(JSON.parse(t)) };
    stream.subscribe('r');
    stream.focus(['tf_30m/scorer']);
    stream.focus(['tf_30m/scorer']);
    stream.focus([]);
    expect(sent).toEqual([
      { type: 'subscribe', runId: 'r', nodes: ['*'] },
      { type: 'subscribe', runId: 'r', nodes: ['*', 'tf_30m/scorer'] },
      { type: 'subscribe', runId: 'r', nodes: ['*'] },
    ]);
  });
});

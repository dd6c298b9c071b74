import { describe, expect, it } from 'vitest';
import { compilePipelineFile } from '../../pipeline/compile.ts';
import { loadPipelineData } from '../../run/backtest.ts';
import { sliceCandles } from '../../data/candles-csv.ts';
import { registry } from '../../../nodes/index.ts';
import { RunSession } from './run-session.ts';

const hooks = { onStatus: () => {}, onBars: () => {}, onCommitted: () => {}, onNodeTime: () => {} };

function steppedSession(file: string, bars: number): RunSession {
  const plan = compilePipelineFile(file, registry);
  const data = sliceCandles(loadPipelineData(plan), 0, bars);
  const session = new RunSession('t', { pipeline: plan.name, mode: 'replay', speed: 0, set: [], paused: true }, plan, data, hooks);
  session.control({ action: 'step', bars });
  return session;
}

describe('run session history', () => {
  it('gives signal nodes the same history from node-major columns as from a replay', () => {
    const session = steppedSession('pipelines/examples/consensus.yaml', 6000);
    const nodes = ['rsi', 'votes', 'bands', 'entry'].map((id) => session.plan.byId.get(id)!.index);
    for (const [from, to, points] of [[0, 5999, 500], [2500, 2600, 1000], [5990, 9000, 50]] as const) {
      const fast = session.history(nodes, from, to, points);
      const slow = (session as unknown as { replayHistory: RunSession['history'] }).replayHistory(nodes, from, to, points);
      expect(fast.index).toEqual(slow.index);
      expect(fast.time).toEqual(slow.time);
      expect(JSON.stringify(fast.values)).toBe(JSON.stringify(slow.values));
    }
  });

  it('replays nodes that read the account', () => {
    const session = steppedSession('pipelines/examples/consensus.yaml', 3000);
    const risk = session.plan.byId.get('risk')!.index;
    const h = session.history([risk], 0, 2999, 100);
    expect(h.index.length).toBeGreaterThan(50);
    expect(Object.keys(h.values)).toContain('risk.order');
  });
});

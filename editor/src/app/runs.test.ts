import { describe, expect, it } from 'vitest';
import type { RunStatus } from '../api/client.ts';
import { pickRun } from './runs.ts';

const run = (id: string, pipeline: string, state: RunStatus['state'], hash = 'h', barsDone = 10): RunStatus => ({
  id, pipeline, pipelineHash: hash, mode: 'replay', speed: 0, state, barsDone, barsTotal: 100, lastTime: 1, dataFile: 'x', error: null, trades: 0, equity: null,
});

describe('pickRun', () => {
  it('prefers the newest active run of the pipeline', () => {
    expect(pickRun([run('a', 'p', 'running'), run('b', 'p', 'done'), run('c', 'q', 'running')], 'p', 'h')?.id).toBe('a');
    expect(pickRun([run('a', 'p', 'paused'), run('b', 'p', 'running')], 'p', 'h')?.id).toBe('b');
  });
  it('falls back to the newest finished run, and skips other graphs and empty failures', () => {
    expect(pickRun([run('a', 'p', 'done'), run('b', 'p', 'stopped')], 'p', 'h')?.id).toBe('b');
    expect(pickRun([run('a', 'p', 'running', 'other')], 'p', 'h')).toBeNull();
    expect(pickRun([run('a', 'p', 'failed', 'h', 0)], 'p', 'h')).toBeNull();
    expect(pickRun([], 'p', null)).toBeNull();
  });
});

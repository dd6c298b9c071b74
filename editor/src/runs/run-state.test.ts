import { describe, expect, it } from 'vitest';
import type { PipelineDetail, RunStatus } from '../api/client.ts';
import { dataFileOf, dataRefOf, embeddedNameFor, feedDataFile, isActive, isFinished, parseSpeed, progressOf, reusableRun } from './run-state.ts';

function status(over: Partial<RunStatus>): RunStatus {
  return {
    id: 'r',
    pipeline: 'enygma',
    pipelineHash: 'h1',
    mode: 'backtest',
    speed: 0,
    state: 'done',
    barsDone: 100,
    barsTotal: 100,
    lastTime: 0,
    dataFile: 'eth.csv.gz',
    error: null,
    trades: 3,
    equity: '10000.00000000',
    ...over,
  };
}

const SETS = [
  { name: 'eth-5m', file: 'ethusdt-binance-spot-5m.csv.gz' },
  { name: 'btc-5m', file: 'btcusdt-binance-spot-5m.csv.gz' },
];

describe('states and progress', () => {
  it('tells active from finished runs', () => {
    expect(isActive(status({ state: 'running' }))).toBe(true);
    expect(isActive(status({ state: 'paused' }))).toBe(true);
    expect(isActive(status({ state: 'done' }))).toBe(false);
    expect(isFinished(status({ state: 'failed' }))).toBe(true);
    expect(isFinished(null)).toBe(false);
  });

  it('measures progress in bars', () => {
    expect(progressOf(status({ barsDone: 1234, barsTotal: 65742 }))).toEqual({ fraction: 1234 / 65742, text: '1,234 / 65,742 (1.9%)' });
    expect(progressOf(status({ barsDone: 65741, barsTotal: 65742 })).text).toContain('(99.9%)');
    expect(progressOf(status({ barsDone: 0, barsTotal: 0 })).fraction).toBe(0);
    expect(progressOf(null).text).toBe('no run');
  });

  it('reads the replay speed', () => {
    expect(parseSpeed('300')).toBe(300);
    expect(parseSpeed('0')).toBe(0);
    expect(parseSpeed('12.5')).toBe(12.5);
    expect(parseSpeed('-1')).toBeNull();
    expect(parseSpeed('fast')).toBeNull();
    expect(parseSpeed('')).toBeNull();
    expect(parseSpeed('2000000')).toBeNull();
  });
});

describe('data choice', () => {
  const detail = { nodes: [{ type: 'indicator.rsi', params: {} }, { type: 'feed.replay', params: { file: '../../data/ethusdt-binance-spot-5m.csv.gz', symbol: 'ETHUSDTM' } }] } as unknown as PipelineDetail;
  it("finds the pipeline's own data file and its embedded name", () => {
    expect(feedDataFile(detail)).toBe('ethusdt-binance-spot-5m.csv.gz');
    expect(feedDataFile({ nodes: [] })).toBeNull();
    expect(feedDataFile(null)).toBeNull();
    expect(embeddedNameFor('ethusdt-binance-spot-5m.csv.gz', SETS)).toBe('eth-5m');
    expect(embeddedNameFor('mine.csv', SETS)).toBeNull();
  });
  it('turns the select into a data ref and a file', () => {
    expect(dataRefOf('')).toBeUndefined();
    expect(dataRefOf('btc-5m')).toEqual({ embedded: 'btc-5m' });
    expect(dataFileOf('', 'own.csv', SETS)).toBe('own.csv');
    expect(dataFileOf('btc-5m', 'own.csv', SETS)).toBe('btcusdt-binance-spot-5m.csv.gz');
  });
});

describe('reusableRun', () => {
  const want = { pipeline: 'enygma', hash: 'h1', dataFile: 'eth.csv.gz' };
  it('takes a finished full backtest of the same pipeline, hash and data, the newest among equals', () => {
    const runs = [status({ id: 'a' }), status({ id: 'b' }), status({ id: 'replay', mode: 'replay' })];
    expect(reusableRun(runs, want)?.id).toBe('b');
  });
  it('prefers finished over running, and the longest range', () => {
    expect(reusableRun([status({ id: 'done' }), status({ id: 'run', state: 'running', barsDone: 5 })], want)?.id).toBe('done');
    expect(reusableRun([status({ id: 'run', state: 'running', barsDone: 5 })], want)?.id).toBe('run');
    expect(reusableRun([status({ id: 'long', barsTotal: 200, barsDone: 200 }), status({ id: 'short' })], want)?.id).toBe('long');
  });
  it('never takes another hash, other data, another pipeline, or a stopped, failed or paused run', () => {
    const runs = [
      status({ id: 'hash', pipelineHash: 'h2' }),
      status({ id: 'data', dataFile: 'btc.csv.gz' }),
      status({ id: 'name', pipeline: 'fork' }),
      status({ id: 'stopped', state: 'stopped', barsDone: 50 }),
      status({ id: 'failed', state: 'failed' }),
      status({ id: 'paused', state: 'paused' }),
    ];
    expect(reusableRun(runs, want)).toBeNull();
    expect(reusableRun(runs, { ...want, hash: null, dataFile: null })?.id).toBe('data');
  });
});

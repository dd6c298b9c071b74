import type { z } from 'zod';
import type { NodeDescription } from '../../../engine/core/describe.ts';
import type {
  DataRef,
  PipelineDetail,
  PipelineSummary,
  Problem,
  RunControl,
  RunRequest,
  RunStatus,
  SweepDetail,
  SweepRequest,
  SweepRow,
  SweepStatus,
  ValidateResponse,
} from '../../../engine/server/protocol/rest.ts';
import { token } from './token.ts';

export type { DataRef, PipelineDetail, PipelineSummary, Problem, RunControl, RunRequest, RunStatus, SweepDetail, SweepRequest, SweepRow, SweepStatus, ValidateResponse };

/** An error the server explained: its problems carry line, node, port and param. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly problems: Problem[],
  ) {
    super(message);
  }
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  const t = token();
  if (method !== 'GET' && t !== null) headers['authorization'] = `Bearer ${t}`;
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  const parsed = text.length > 0 ? JSON.parse(text) : null;
  if (!response.ok) {
    const message = response.status === 401 ? 'This action needs the server token: open the URL that `barflow serve` printed.' : (parsed?.message ?? `${method} ${path} failed (${response.status})`);
    throw new ApiError(response.status, message, parsed?.problems ?? []);
  }
  return parsed as T;
}

/** GET /api/nodes: a node type as engine/core/describe.ts describes it, with its help page. */
export type NodeTypeInfo = NodeDescription & { help: string };

export interface RunResults {
  status: RunStatus;
  summary: Record<string, unknown> | null;
  trades: TradeInfo[];
  fills: Record<string, unknown>[];
  rejections: { time: number; command: string; reason: string }[];
}

export interface TradeInfo {
  id: number;
  side: 'long' | 'short';
  entryTime: number;
  entryPrice: string;
  exitTime: number;
  exitPrice: string;
  lots: string;
  netPnl: string;
  grossPnl: string;
  fees: string;
  funding: string;
  slippage: string;
  roiPct: number;
  entryReason: string;
  entryDetail: Record<string, unknown> | null;
  exitReason: string;
  exits: { time: number; price: string; lots: string; reason: string }[];
  stopPath: { time: number; price: number; reason: string }[];
}

export interface Candles {
  time: number[];
  open: number[];
  high: number[];
  low: number[];
  close: number[];
  volume: number[];
}

export interface History {
  index: number[];
  time: number[];
  values: Record<string, unknown[]>;
}

export const api = {
  pipelines: () => call<PipelineSummary[]>('GET', '/api/pipelines'),
  pipeline: (name: string) => call<PipelineDetail>('GET', `/api/pipelines/${encodeURIComponent(name)}`),
  validate: (yaml: string, name?: string) => call<ValidateResponse>('POST', '/api/pipelines/validate', { yaml, name }),
  fork: (source: string, name: string) => call<PipelineSummary>('POST', `/api/pipelines/${encodeURIComponent(source)}/fork`, { name }),
  save: (name: string, yaml: string) => call<ValidateResponse>('PUT', `/api/pipelines/${encodeURIComponent(name)}`, { yaml }),
  nodes: () => call<NodeTypeInfo[]>('GET', '/api/nodes'),
  data: () => call<{ name: string; file: string }[]>('GET', '/api/data'),
  runs: () => call<RunStatus[]>('GET', '/api/runs'),
  startRun: (request: z.input<typeof import('../../../engine/server/protocol/rest.ts').RunRequest>) => call<RunStatus>('POST', '/api/runs', request),
  control: (id: string, control: RunControl) => call<RunStatus>('POST', `/api/runs/${id}/control`, control),
  results: (id: string) => call<RunResults>('GET', `/api/runs/${id}/results`),
  equity: (id: string, maxPoints = 2000) => call<{ time: number[]; equity: number[]; drawdownPct: number[] }>('GET', `/api/runs/${id}/equity?maxPoints=${maxPoints}`),
  candles: (id: string, timeframe: string, from?: number, to?: number, maxBars?: number) =>
    call<Candles>('GET', `/api/runs/${id}/candles?timeframe=${encodeURIComponent(timeframe)}${from !== undefined ? `&from=${from}` : ''}${to !== undefined ? `&to=${to}` : ''}${maxBars !== undefined ? `&maxBars=${maxBars}` : ''}`),
  /** the data index of the last committed base bar with open time ≤ time (ms UTC) */
  barIndex: (id: string, time: number) => call<{ index: number; time: number }>('GET', `/api/runs/${id}/index?time=${Math.floor(time)}`),
  history: (id: string, nodes: string[], from?: number, to?: number, maxPoints = 2000) =>
    call<History>('GET', `/api/runs/${id}/values?nodes=${encodeURIComponent(nodes.join(','))}&maxPoints=${maxPoints}${from !== undefined ? `&from=${from}` : ''}${to !== undefined ? `&to=${to}` : ''}`),
  sweeps: () => call<SweepStatus[]>('GET', '/api/sweeps'),
  sweep: (id: string) => call<SweepDetail>('GET', `/api/sweeps/${encodeURIComponent(id)}`),
  startSweep: (request: z.input<typeof import('../../../engine/server/protocol/rest.ts').SweepRequest>) => call<SweepStatus>('POST', '/api/sweeps', request),
  stopSweep: (id: string) => call<SweepStatus>('POST', `/api/sweeps/${encodeURIComponent(id)}/stop`, {}),
  /** a finished sweep's row (by rank) as a new fork of the swept pipeline */
  forkSweepRow: (id: string, row: number, name: string) => call<PipelineSummary>('POST', `/api/sweeps/${encodeURIComponent(id)}/fork`, { row, name }),
  barValues: (id: string, index: number) => call<{ index: number; time: number; values: Record<string, Record<string, unknown>> }>('GET', `/api/runs/${id}/bars/${index}`),
};

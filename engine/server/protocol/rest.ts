import { z } from 'zod';

/**
 * The REST contract between the server and the editor, as zod schemas: the server validates
 * bodies with them and the editor types its calls with them. Browser-safe (zod only).
 */
export const PIPELINE_NAME_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;
export const PipelineName = z.string().regex(PIPELINE_NAME_PATTERN, 'a pipeline name is lowercase letters, digits, "-" or "_" (at most 64)');

export const PipelineKind = z.enum(['canonical', 'example', 'fork']);
export type PipelineKind = z.infer<typeof PipelineKind>;

export const ProblemSchema = z.object({
  code: z.string(),
  message: z.string(),
  formatted: z.string(),
  line: z.number().optional(),
  column: z.number().optional(),
  node: z.string().optional(),
  port: z.string().optional(),
  param: z.string().optional(),
  field: z.string().optional(),
});
export type Problem = z.infer<typeof ProblemSchema>;

export const PortSchema = z.object({ port: z.string(), type: z.string(), many: z.boolean(), optional: z.boolean() });

export const GraphNodeSchema = z.object({
  id: z.string(),
  type: z.string(),
  title: z.string(),
  category: z.string(),
  group: z.string().nullable(),
  label: z.string().optional(),
  line: z.number().optional(),
  params: z.unknown(),
  clock: z.string(),
  inputs: z.array(PortSchema.extend({ sources: z.array(z.object({ node: z.string(), port: z.string() })) })),
  outputs: z.array(PortSchema),
  historyDependent: z.array(z.string()),
});
export type GraphNode = z.infer<typeof GraphNodeSchema>;

export const GraphGroupSchema = z.object({ id: z.string(), subgraph: z.string(), parent: z.string().nullable(), params: z.record(z.string(), z.unknown()), label: z.string().optional() });
export type GraphGroup = z.infer<typeof GraphGroupSchema>;

export const LockStatusSchema = z.object({ locked: z.boolean(), ok: z.boolean(), problems: z.array(z.string()), lockHash: z.string().nullable() });
export type LockStatus = z.infer<typeof LockStatusSchema>;

export const PipelineSummarySchema = z.object({
  name: z.string(),
  kind: PipelineKind,
  description: z.string().optional(),
  locked: z.boolean(),
  hash: z.string().nullable(),
  forkedFrom: z.object({ name: z.string(), hash: z.string() }).optional(),
  problems: z.array(ProblemSchema),
});
export type PipelineSummary = z.infer<typeof PipelineSummarySchema>;

export const PipelineDetailSchema = PipelineSummarySchema.extend({
  yaml: z.string(),
  nodes: z.array(GraphNodeSchema),
  groups: z.array(GraphGroupSchema),
  lock: LockStatusSchema,
});
export type PipelineDetail = z.infer<typeof PipelineDetailSchema>;

export const ValidateRequest = z.object({ yaml: z.string().max(1_048_576), name: z.string().optional() });
export const ValidateResponse = z.object({ ok: z.boolean(), problems: z.array(ProblemSchema), hash: z.string().nullable(), nodes: z.array(GraphNodeSchema).optional(), groups: z.array(GraphGroupSchema).optional() });
export type ValidateResponse = z.infer<typeof ValidateResponse>;

export const ForkRequest = z.object({ name: PipelineName });
export const SaveRequest = z.object({ yaml: z.string().max(1_048_576) });

export const DataRef = z.union([z.object({ embedded: z.string().regex(/^[a-z0-9-]{1,32}$/) }), z.object({ upload: z.string().regex(/^[a-f0-9]{16,64}$/) })]);
export type DataRef = z.infer<typeof DataRef>;

export const RunMode = z.enum(['backtest', 'replay']);
export const RunRequest = z.object({
  pipeline: PipelineName,
  mode: RunMode.default('backtest'),
  /** replay speed in base bars per second; 0 = as fast as possible */
  speed: z.number().min(0).max(1_000_000).default(0),
  data: DataRef.optional(),
  from: z.number().int().optional(),
  to: z.number().int().optional(),
  set: z.array(z.string().max(500)).max(100).default([]),
  /** start paused (replays: then step or resume) */
  paused: z.boolean().default(false),
});
export type RunRequest = z.infer<typeof RunRequest>;

export const RunState = z.enum(['running', 'paused', 'done', 'stopped', 'failed']);
export type RunState = z.infer<typeof RunState>;

export const RunStatusSchema = z.object({
  id: z.string(),
  pipeline: z.string(),
  pipelineHash: z.string(),
  mode: RunMode,
  speed: z.number(),
  state: RunState,
  barsDone: z.number(),
  barsTotal: z.number(),
  lastTime: z.number().nullable(),
  dataFile: z.string(),
  error: z.string().nullable(),
  trades: z.number(),
  equity: z.string().nullable(),
});
export type RunStatus = z.infer<typeof RunStatusSchema>;

export const RunControl = z.object({ action: z.enum(['pause', 'resume', 'step', 'stop', 'speed']), bars: z.number().int().min(1).max(100_000).optional(), speed: z.number().min(0).max(1_000_000).optional() });
export type RunControl = z.infer<typeof RunControl>;

export const ValuesQuery = z.object({ nodes: z.string().max(4000), from: z.coerce.number().int().optional(), to: z.coerce.number().int().optional(), maxPoints: z.coerce.number().int().min(10).max(20_000).default(2000) });

export const UploadResponse = z.object({ id: z.string(), file: z.string(), bars: z.number(), timeframe: z.string(), gaps: z.number(), duplicates: z.number() });

// ---------------------------------------------------------------------------------------------
// sweeps

/** The most parameter sets one server sweep may evaluate (the CLI takes more: `barflow sweep`). */
export const MAX_SWEEP_SETS = 5000;
export const SWEEP_PARAM_PATTERN = /^[a-z][a-z0-9_]*(?:\/[a-z][a-z0-9_]*)*\.[a-zA-Z][a-zA-Z0-9]*$/;
export const SweepMethod = z.enum(['grid', 'random', 'genetic']);
export const SweepObjective = z.enum(['netReturn', 'sharpe', 'profitFactor', 'drawdownBoundedReturn']);
export type SweepObjective = z.infer<typeof SweepObjective>;
/** an inclusive numeric range, stepped exactly (0.1 to 0.5 by 0.1 is 0.1, 0.2, 0.3, 0.4, 0.5) */
export const SweepRange = z.object({ from: z.number(), to: z.number(), step: z.number() });
/** the values themselves, as `--set` would read them (numbers, text, booleans, lists) */
export const SweepValues = z.array(z.unknown()).min(1).max(1000);
export const SweepRequest = z.object({
  /** a fork: canonical and example pipelines are swept through a fork */
  pipeline: PipelineName,
  /** `node.param` (sub-graph nodes `instance/node.param`) → a range or a list of values */
  params: z.record(z.string().max(200), z.union([SweepRange, SweepValues])).refine((p) => Object.keys(p).length >= 1 && Object.keys(p).length <= 10, 'sweep 1 to 10 params'),
  method: SweepMethod.default('grid'),
  objective: SweepObjective.default('netReturn'),
  /** drawdownBoundedReturn: the largest max-drawdown (%) a set may have */
  maxDrawdown: z.number().positive().max(100).optional(),
  seed: z.number().int().min(0).max(0xffffffff).optional(),
  /** random: sets drawn */
  samples: z.number().int().min(1).max(MAX_SWEEP_SETS).optional(),
  /** genetic */
  population: z.number().int().min(2).max(MAX_SWEEP_SETS).optional(),
  generations: z.number().int().min(1).max(MAX_SWEEP_SETS).optional(),
  data: DataRef.optional(),
  from: z.number().int().optional(),
  to: z.number().int().optional(),
});
export type SweepRequest = z.infer<typeof SweepRequest>;

export const SweepState = z.enum(['running', 'done', 'failed', 'stopped']);
export type SweepState = z.infer<typeof SweepState>;

export const SweepParamSchema = z.object({ name: z.string(), node: z.string(), param: z.string(), values: z.array(z.string()) });
export type SweepParamInfo = z.infer<typeof SweepParamSchema>;

export const SweepStatusSchema = z.object({
  id: z.string(),
  pipeline: z.string(),
  /** the hash of the pipeline as swept */
  pipelineHash: z.string(),
  state: SweepState,
  done: z.number(),
  total: z.number(),
  /** ms since the epoch */
  started: z.number(),
  finished: z.number().nullable(),
  error: z.string().nullable(),
  method: SweepMethod,
  objective: SweepObjective,
  maxDrawdown: z.number(),
  gridSize: z.number(),
  workers: z.number(),
  dataFile: z.string(),
  /** the swept params, in column order; each value as the text `--set` reads back */
  params: z.array(SweepParamSchema),
});
export type SweepStatus = z.infer<typeof SweepStatusSchema>;

/** Infinite objectives (no trades, a drawdown above the bound) travel as text. */
export const ObjectiveValue = z.union([z.number(), z.enum(['Infinity', '-Infinity', 'NaN'])]);
export const SweepMetricsSchema = z.object({
  netPnl: z.string(),
  returnPct: z.number(),
  maxDrawdownPct: z.number(),
  maxDrawdown: z.string(),
  sharpe: z.number().nullable(),
  trades: z.number(),
  wins: z.number(),
  losses: z.number(),
  winRatePct: z.number().nullable(),
  profitFactor: z.number().nullable(),
  fees: z.string(),
  funding: z.string(),
  slippage: z.string(),
  exposurePct: z.number(),
});
export type SweepMetrics = z.infer<typeof SweepMetricsSchema>;

export const SweepRowSchema = z.object({
  /** 1 = best by the objective (ties: net PnL, then the grid's order) */
  rank: z.number(),
  /** the set's order in the sweep */
  index: z.number(),
  /** per swept param, the index into its values */
  point: z.array(z.number()),
  /** per swept param, the value's text */
  values: z.array(z.string()),
  objective: ObjectiveValue,
  metrics: SweepMetricsSchema,
});
export type SweepRow = z.infer<typeof SweepRowSchema>;

export const SweepDetailSchema = SweepStatusSchema.extend({ rows: z.array(SweepRowSchema) });
export type SweepDetail = z.infer<typeof SweepDetailSchema>;

/** Opens one row of a finished sweep as a new fork of the swept pipeline. */
export const SweepForkRequest = z.object({ row: z.number().int().min(1).describe('the row rank'), name: PipelineName });

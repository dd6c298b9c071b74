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

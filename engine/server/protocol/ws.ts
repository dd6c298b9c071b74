import { z } from 'zod';
import { RunStatusSchema } from './rest.ts';

/**
 * The WebSocket contract (one module, imported by the server and the editor, validated on both
 * sides). Clients subscribe to a run's node values; the server sends only those nodes, one frame
 * per committed bar, batched — and when a client falls behind, merged to the latest value per node
 * (the count of merged-away frames is reported, never hidden).
 */
/**
 * `subscribe.nodes`: node ids (every output of each), and/or '*' (every node, without `record`
 * outputs such as a scorer's breakdown — large, and read one node at a time: name the node too).
 * A new subscribe to the same run replaces the previous one.
 */
export const ClientMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('subscribe'), runId: z.string().max(64), nodes: z.array(z.string().max(200)).max(2000) }),
  z.object({ type: z.literal('unsubscribe'), runId: z.string().max(64) }),
  z.object({ type: z.literal('ping'), id: z.number() }),
]);
export type ClientMessage = z.infer<typeof ClientMessage>;

/** port → value; NaN and undefined travel as null */
export const NodeValues = z.record(z.string(), z.record(z.string(), z.unknown()));
export type NodeValues = z.infer<typeof NodeValues>;

export const BarFrame = z.object({
  /** index of the base bar in the run's data */
  i: z.number(),
  /** bar open time, ms UTC */
  time: z.number(),
  /** server clock when the bar was committed (ms since epoch), for latency measurement */
  sentAt: z.number(),
  /** only the subscribed nodes that fired on this bar */
  values: NodeValues,
});
export type BarFrame = z.infer<typeof BarFrame>;

export const ServerMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('hello'), server: z.string(), runs: z.array(RunStatusSchema) }),
  z.object({ type: z.literal('bars'), runId: z.string(), frames: z.array(BarFrame), merged: z.number() }),
  z.object({ type: z.literal('status'), run: RunStatusSchema }),
  z.object({ type: z.literal('error'), message: z.string() }),
  z.object({ type: z.literal('pong'), id: z.number() }),
]);
export type ServerMessage = z.infer<typeof ServerMessage>;

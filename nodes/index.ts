import { createRegistry, type AnyNodeDefinition } from '../engine/core/node-definition.ts';
import { replayFeed } from './feeds/replay/replay.node.ts';
import { sma } from './indicators/sma/sma.node.ts';
import { resample } from './transforms/resample/resample.node.ts';

/** Every node type barflow ships, in one explicit list (the registry the compiler is handed). */
export const NODE_DEFINITIONS: readonly AnyNodeDefinition[] = [
  replayFeed,
  resample,
  sma,
];

export const registry = createRegistry(NODE_DEFINITIONS);

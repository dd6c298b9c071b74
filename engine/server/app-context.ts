import type { AnyNodeDefinition, NodeRegistry } from '../core/node-definition.ts';
import type { ServerOptions } from './config.ts';
import type { ServerMetrics } from './metrics.ts';
import type { PipelineStore } from './pipelines/pipeline-store.ts';
import type { DataStore } from './runs/data-store.ts';
import type { RunManager } from './runs/run-manager.ts';
import type { StreamHub } from './stream/stream-hub.ts';
import type { SweepManager } from './sweeps/sweep-manager.ts';

/** What every plugin of one app shares. */
export interface AppContext {
  options: ServerOptions;
  registry: NodeRegistry;
  definitions: readonly AnyNodeDefinition[];
  help(type: string): string;
  pipelines: PipelineStore;
  data: DataStore;
  runs: RunManager;
  sweeps: SweepManager;
  hub: StreamHub;
  metrics: ServerMetrics;
}

import type { AnyNodeDefinition } from '../core/node-definition.ts';
import type { PortSpec } from '../core/port-types.ts';
import type { ForkOrigin } from './document.ts';
import type { GroupInfo } from './expand.ts';

/** What the executors run: a flat, type-checked, topologically ordered graph. */
export interface PlanSource {
  node: number;
  port: string;
}

export interface PlanInput {
  port: string;
  spec: PortSpec;
  sources: PlanSource[];
}

/**
 * A clock is the rate a node fires at. `intervalMs` null means the base feed's own interval,
 * which is only known once data is loaded.
 */
export interface Clock {
  key: string;
  /** the single-rate clocks this one is made of (itself, for a single-rate clock) */
  atoms: string[];
  intervalMs: number | null;
  label: string;
}

export interface PlanNode {
  index: number;
  id: string;
  def: AnyNodeDefinition;
  params: unknown;
  inputs: PlanInput[];
  /** distinct indices of the nodes this one reads */
  upstream: number[];
  group: string | null;
  label?: string;
  line?: number;
  clock: Clock;
  /** outputs whose values depend on all earlier history (declared, or read from such an output) */
  historyDependent: readonly string[];
}

export interface CompiledPipeline {
  name: string;
  file: string;
  description?: string;
  locked: boolean;
  forkedFrom?: ForkOrigin;
  nodes: PlanNode[];
  byId: ReadonlyMap<string, PlanNode>;
  groups: GroupInfo[];
  candleSource: number;
  executor: number | null;
}

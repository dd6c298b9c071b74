/**
 * Gates: nodes that let an entry through or block it, each with a `pass` bool and a `reason`
 * text. Pure helpers shared by the cards, the inspector and the bar inspector.
 */

export interface GateLike {
  id?: string;
  type: string;
  category: string;
}

export function isGateNode(node: GateLike): boolean {
  return node.type.endsWith('-gate') || node.category === 'gate';
}

export type GateState = 'pass' | 'block' | 'idle';

export interface GateVerdict {
  state: GateState;
  reason: string;
}

/**
 * A gate's verdict from its outputs. Before a gate first fires its outputs read `false` and `''`:
 * that is "not decided yet" (idle), not a block — a real block always says why.
 */
export function gateVerdict(values: Record<string, unknown> | undefined): GateVerdict {
  if (values === undefined) return { state: 'idle', reason: '' };
  const reason = typeof values.reason === 'string' ? values.reason : '';
  if (values.pass === true) return { state: 'pass', reason };
  if (values.pass === false && reason !== '') return { state: 'block', reason };
  return { state: 'idle', reason };
}

/** Ids of the gates that block, given every node's outputs (e.g. at one bar). */
export function blockedGates(nodes: readonly (GateLike & { id: string })[], values: Record<string, Record<string, unknown>>): string[] {
  return nodes.filter((n) => isGateNode(n) && gateVerdict(values[n.id]).state === 'block').map((n) => n.id);
}

/** The gate nodes wired into an entry node's `gates` input, in order. */
export function entryGateIds(node: { inputs: readonly { port: string; sources: readonly { node: string; port: string }[] }[] }): string[] {
  return node.inputs.find((i) => i.port === 'gates')?.sources.map((s) => s.node) ?? [];
}

/** Entry nodes: they take gates and say which one blocked. */
export function isEntryNode(node: { outputs: readonly { port: string }[] }): boolean {
  return node.outputs.some((o) => o.port === 'blockedBy');
}

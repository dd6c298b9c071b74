/**
 * The closed set of port types. An edge is legal only when the output's type is assignable to the
 * input's type; the compiler and the editor's connection validator both call `isAssignable`.
 */
export const PORT_TYPES = [
  'series', // float64 per bar; NaN means "no value yet" (before warm-up)
  'bool', // true/false per bar
  'text', // a label or a reason string
  'bar', // a whole candle (time, open, high, low, close, volume)
  'intent', // an entry wish: side, score and why; null when there is none
  'order', // a command for the venue (entry bracket, stop move, close); null when there is none
  'account', // the venue's account view (equity, cash, position) at this bar's close
  'record', // a structured value for inspection (e.g. a scorer's per-indicator breakdown)
  'book', // an order-book snapshot (live only: bids and asks to a depth); null in backtests
] as const;

export type PortType = (typeof PORT_TYPES)[number];

export interface PortSpec {
  type: PortType;
  /** A `many` input takes a list of connections and receives an array of values. */
  many?: boolean;
  /** An optional input may be left unwired; the node then sees `undefined` (or `[]` if `many`). */
  optional?: boolean;
  help?: string;
}

export type PortMap = Readonly<Record<string, PortSpec>>;

export function isPortType(value: unknown): value is PortType {
  return typeof value === 'string' && (PORT_TYPES as readonly string[]).includes(value);
}

/** Exact match: implicit conversions (bool→series, say) would hide wiring mistakes. */
export function isAssignable(from: PortType, to: PortType): boolean {
  return from === to;
}

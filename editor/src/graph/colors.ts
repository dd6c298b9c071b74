/**
 * Colours of the graph: one per port type (handles, edges, legend) and one per node category
 * (card accent, minimap). Chosen to stay distinct from each other on the dark background.
 */
export const PORT_TYPE_COLORS: Readonly<Record<string, string>> = {
  series: '#4f8ff7',
  bool: '#34c77b',
  text: '#a0a8b8',
  bar: '#f2a33a',
  intent: '#b57bf7',
  order: '#f0606a',
  account: '#2cc4b4',
  record: '#e86fb4',
  book: '#49c2e8',
};

export const UNKNOWN_PORT_COLOR = '#7d8596';

export const CATEGORY_COLORS: Readonly<Record<string, string>> = {
  feed: '#8b95a7',
  transform: '#27b3c9',
  indicator: '#4f8ff7',
  scorer: '#9b7bf2',
  signal: '#eaa23b',
  gate: '#ef6b6b',
  risk: '#e86fb4',
  account: '#2cc4b4',
  executor: '#c9ced8',
};

export const UNKNOWN_CATEGORY_COLOR = '#7d8596';

export function portColor(type: string): string {
  return PORT_TYPE_COLORS[type] ?? UNKNOWN_PORT_COLOR;
}

export function categoryColor(category: string): string {
  return CATEGORY_COLORS[category] ?? UNKNOWN_CATEGORY_COLOR;
}

/** The port types in legend order. */
export const PORT_TYPES: readonly string[] = Object.keys(PORT_TYPE_COLORS);

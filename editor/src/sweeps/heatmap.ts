/**
 * The sweep heatmap's arithmetic, pure: cells over two swept params (x and y) holding the chosen
 * metric's best value — the max over every other swept param — with the row that reached it, and
 * a colour scale with its legend. Values may be ±Infinity (an objective with no trades, a drawdown
 * above the bound); they take part in the max, but the scale spans the finite values only.
 */

export interface HeatInput {
  rank: number;
  /** per swept param, the index into its values */
  point: readonly number[];
  /** the metric; null when undefined for this row (e.g. no Sharpe) */
  value: number | null;
}

export interface HeatCell {
  x: number;
  y: number;
  /** the max over the other params */
  value: number;
  /** the rank of the row reaching it (the best-ranked, on a tie) */
  rank: number;
  /** how many rows fall in this cell */
  rows: number;
}

export interface Heatmap {
  width: number;
  height: number;
  /** [y][x]; null where no row (random and genetic searches leave gaps) or no value */
  cells: (HeatCell | null)[][];
  /** the finite values' range (null when there is none) */
  min: number | null;
  max: number | null;
}

/**
 * Cells over params `x` and `y` (indices into the swept params; `y` null = one row), of sizes
 * `xCount` and `yCount` (their value counts).
 */
export function buildHeatmap(rows: readonly HeatInput[], x: number, y: number | null, xCount: number, yCount: number): Heatmap {
  const height = y === null ? 1 : yCount;
  const cells: (HeatCell | null)[][] = Array.from({ length: height }, () => Array<HeatCell | null>(xCount).fill(null));
  const counts: number[][] = Array.from({ length: height }, () => Array<number>(xCount).fill(0));
  for (const row of rows) {
    const cx = row.point[x];
    const cy = y === null ? 0 : row.point[y];
    if (cx === undefined || cy === undefined || cx < 0 || cx >= xCount || cy < 0 || cy >= height) continue;
    counts[cy]![cx]!++;
    const v = row.value;
    if (v === null || Number.isNaN(v)) continue;
    const cell = cells[cy]![cx];
    if (cell === null || cell === undefined || v > cell.value || (v === cell.value && row.rank < cell.rank)) cells[cy]![cx] = { x: cx, y: cy, value: v, rank: row.rank, rows: 0 };
  }
  let min: number | null = null;
  let max: number | null = null;
  for (let j = 0; j < height; j++) {
    for (let i = 0; i < xCount; i++) {
      const cell = cells[j]![i];
      if (cell === null || cell === undefined) continue;
      cell.rows = counts[j]![i]!;
      if (!Number.isFinite(cell.value)) continue;
      if (min === null || cell.value < min) min = cell.value;
      if (max === null || cell.value > max) max = cell.value;
    }
  }
  return { width: xCount, height, cells, min, max };
}

type Rgb = [number, number, number];

/** low (red) → 0 (neutral) → high (green), for ranges crossing zero */
const DIVERGING: Rgb[] = [
  [240, 96, 106],
  [58, 64, 76],
  [52, 199, 123],
];
/** viridis (dark purple → blue → teal → green → yellow: lightness rises steadily), for one-signed ranges */
const SEQUENTIAL: Rgb[] = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
];

function mix(stops: Rgb[], t: number): string {
  const u = Math.min(1, Math.max(0, Number.isNaN(t) ? 0 : t)) * (stops.length - 1);
  const k = Math.min(stops.length - 2, Math.floor(u));
  const f = u - k;
  const a = stops[k]!;
  const b = stops[k + 1]!;
  const c = a.map((v, i) => Math.round(v + (b[i]! - v) * f)) as Rgb;
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
}

export interface ColourScale {
  kind: 'diverging' | 'sequential';
  /** the ends of the scale (diverging: symmetric around 0) */
  low: number;
  high: number;
  colour(value: number): string;
}

/**
 * A scale for values in [min, max]: diverging around 0 (red below, green above, symmetric so equal
 * distances from 0 get equal strength) when the range crosses zero, sequential otherwise. −∞
 * takes the low end's colour, +∞ the high end's.
 */
export function colourScale(min: number | null, max: number | null): ColourScale {
  const lo = min ?? 0;
  const hi = max ?? 0;
  if (lo < 0 && hi > 0) {
    const m = Math.max(-lo, hi);
    return { kind: 'diverging', low: -m, high: m, colour: (v) => mix(DIVERGING, v === Infinity ? 1 : v === -Infinity ? 0 : (v + m) / (2 * m)) };
  }
  const span = hi - lo;
  return { kind: 'sequential', low: lo, high: hi, colour: (v) => mix(SEQUENTIAL, v === Infinity ? 1 : v === -Infinity ? 0 : span === 0 ? 1 : (v - lo) / span) };
}

/** `n` evenly spaced stops of the scale, low to high, for the legend's gradient and ticks. */
export function legendStops(scale: ColourScale, n = 5): { value: number; colour: string; offset: number }[] {
  const count = Math.max(2, n);
  return Array.from({ length: count }, (_, k) => {
    const offset = k / (count - 1);
    const value = scale.low + (scale.high - scale.low) * offset;
    return { value, colour: scale.colour(value), offset };
  });
}

/** Text that stays readable on a cell of this colour. */
export function textOn(colour: string): string {
  const m = /rgb\((\d+), (\d+), (\d+)\)/.exec(colour);
  if (m === null) return '#e4e7ec';
  const [r, g, b] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return 0.299 * r + 0.587 * g + 0.114 * b > 150 ? '#0e1014' : '#e4e7ec';
}

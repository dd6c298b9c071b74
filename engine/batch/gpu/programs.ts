/**
 * The gpu.js programs behind the nodes' `gpu` members (GpuProgramCall in engine/core/
 * node-definition.ts). Every kernel runs one thread per (output index, parameter set): the output
 * is [x, y] = [columns, parameter sets], so `this.thread.y` picks the parameter set and each
 * parameter set's results come back as one Float32Array row.
 *
 * A gpu.js kernel returns exactly one value per thread, so a recurrence over time cannot be a loop
 * inside one thread per parameter set (that thread could publish only its last value). It is a
 * blocked scan instead, all in float32, with B = BLOCK inputs per block and G = GROUP blocks per
 * group; y(t) = y(t − 1) + gain·(u(t) − y(t − 1)) is linear, so the value at the end of a span is
 * decay^len · (value before it) + (the span run from 0), decay = 1 − gain:
 *   1. partials — thread (block m, set k): block m run from 0 (the block holding the seed starts
 *      from the seed, so its partial is the exact value; earlier blocks give 0);
 *   2. group partials — thread (group g, set k): its blocks' partials chained in Horner form,
 *      acc·decay^B + partial (each rounding then fades like the smoother's own);
 *   3. group carries — thread (group g, set k): the exact value at the end of group g, the group
 *      partials chained from the seed's group (one loop over groups: N/(B·G) steps);
 *   4. carries — thread (block m, set k): the value at the end of block m, from the carry of the
 *      group before it and ≤ G partials;
 *   5. outputs — thread (index t, set k): the carry of the block before t's, then ≤ B steps.
 * About B/2 + G/B + 2 steps per output, instead of the whole history per output, and nothing is
 * truncated: a value that decays towards 0 (gains in a flat market) keeps its relative precision,
 * which a cut-off on old blocks' weights would not.
 *
 * Float32 care: smoothers update as y + gain·(u − y) (TA-Lib's EMA form), so decay = 1 − gain is
 * implied rather than rounded on its own (a separately rounded decay and gain summing to 1 + 3e-8
 * put an EMA(200) 3e-6 off its input's level); seeds and windows are summed in runs of 16 added into
 * a total, so rounding grows with 16 + length/16 terms, not with the length.
 *
 * Kernel functions are plain JavaScript read by gpu.js's parser: no closures, no helpers, typed
 * arrays and numbers only; counters step as `j = j + 1` (gpu.js types a loop variable started from
 * a float expression as f32, and WGSL has no ++ on floats). gpu.js's webasm and WebGPU backends
 * pass no array to a helper function, so the seed's sum in runs of 16 is written out in each
 * kernel that reads a seed or a window. Before the first valid index they
 * return 0 and the host writes NaN (not every backend has a NaN to return).
 */

/** inputs per block in the scans */
export const BLOCK = 16;
/** blocks per group in the scans */
export const GROUP = 64;

/** pass 1 of `smoother`: output [blocks, sets] */
export function smootherPartials(this: any, u: any, gain: any, seedAt: any, seedLength: any, n: number, block: number): number {
  const m = this.thread.x;
  const k = this.thread.y;
  const start = m * block;
  let end = start + block - 1;
  if (end > n - 1) end = n - 1;
  const s = seedAt[k];
  if (end < s) return 0;
  let y = 0;
  let from = start;
  if (s >= start) {
    let sum = 0;
    let part = 0;
    let c = 0;
    for (let j = s - seedLength[k] + 1; j <= s; j = j + 1) {
      part += u[j];
      c = c + 1;
      if (c === 16) {
        sum += part;
        part = 0;
        c = 0;
      }
    }
    y = (sum + part) / seedLength[k];
    from = s + 1;
  }
  const b = gain[k];
  for (let j = from; j <= end; j = j + 1) y = y + b * (u[j] - y);
  return y;
}

/** pass 2 of `smoother`: output [groups, sets] */
export function groupPartials(this: any, partials: any, decayPerBlock: any, blocks: number, group: number): number {
  const g = this.thread.x;
  const k = this.thread.y;
  const first = g * group;
  let last = first + group - 1;
  if (last > blocks - 1) last = blocks - 1;
  const aB = decayPerBlock[k];
  let acc = 0;
  for (let m = first; m <= last; m = m + 1) acc = acc * aB + partials[k][m];
  return acc;
}

/** pass 3 of `smoother`: output [groups, sets] */
export function groupCarries(this: any, groupPartialValues: any, decayPerGroup: any, seedAt: any, block: number, group: number): number {
  const g = this.thread.x;
  const k = this.thread.y;
  const first = Math.floor(seedAt[k] / (block * group));
  const aG = decayPerGroup[k];
  let acc = 0;
  for (let q = first; q <= g; q = q + 1) acc = acc * aG + groupPartialValues[k][q];
  return acc;
}

/** pass 4 of `smoother`: output [blocks, sets] */
export function blockCarries(this: any, partials: any, groupCarryValues: any, decayPerBlock: any, group: number): number {
  const m = this.thread.x;
  const k = this.thread.y;
  const g = Math.floor(m / group);
  let acc = 0;
  if (g > 0) acc = groupCarryValues[k][g - 1];
  const aB = decayPerBlock[k];
  for (let q = g * group; q <= m; q = q + 1) acc = acc * aB + partials[k][q];
  return acc;
}

/** pass 5 of `smoother`: output [columns, sets] */
export function smootherOutputs(this: any, u: any, carries: any, gain: any, seedAt: any, seedLength: any, block: number): number {
  const t = this.thread.x;
  const k = this.thread.y;
  const s = seedAt[k];
  if (t < s) return 0;
  const m = Math.floor(t / block);
  let y = 0;
  let from = 0;
  if (m === Math.floor(s / block)) {
    let sum = 0;
    let part = 0;
    let c = 0;
    for (let j = s - seedLength[k] + 1; j <= s; j = j + 1) {
      part += u[j];
      c = c + 1;
      if (c === 16) {
        sum += part;
        part = 0;
        c = 0;
      }
    }
    y = (sum + part) / seedLength[k];
    from = s + 1;
  } else {
    y = carries[k][m - 1];
    from = m * block;
  }
  const b = gain[k];
  for (let j = from; j <= t; j = j + 1) y = y + b * (u[j] - y);
  return y;
}

/** pass 5 of `wilder-ratio` (passes 1–4 are the smoother's, for each side): both smoothers, then 100 · U / (U + D); output [columns, sets] */
export function ratioOutputs(this: any, up: any, down: any, upCarries: any, downCarries: any, gain: any, seedAt: any, seedLength: any, block: number): number {
  const t = this.thread.x;
  const k = this.thread.y;
  const s = seedAt[k];
  if (t < s) return 0;
  const m = Math.floor(t / block);
  let yu = 0;
  let yd = 0;
  let from = 0;
  if (m === Math.floor(s / block)) {
    let su = 0;
    let sd = 0;
    let pu = 0;
    let pd = 0;
    let c = 0;
    for (let j = s - seedLength[k] + 1; j <= s; j = j + 1) {
      pu += up[j];
      pd += down[j];
      c = c + 1;
      if (c === 16) {
        su += pu;
        sd += pd;
        pu = 0;
        pd = 0;
        c = 0;
      }
    }
    yu = (su + pu) / seedLength[k];
    yd = (sd + pd) / seedLength[k];
    from = s + 1;
  } else {
    yu = upCarries[k][m - 1];
    yd = downCarries[k][m - 1];
    from = m * block;
  }
  const b = gain[k];
  for (let j = from; j <= t; j = j + 1) {
    yu = yu + b * (up[j] - yu);
    yd = yd + b * (down[j] - yd);
  }
  const total = yu + yd;
  if (total < 1e-14) return 0;
  return 100 * (yu / total);
}

/** `window-mean`: thread (t, k) sums its own window (in runs of 16); output [columns, sets]. */
export function windowMean(this: any, u: any, length: any, from: any): number {
  const t = this.thread.x;
  const k = this.thread.y;
  const len = length[k];
  if (t < from[k] + len - 1) return 0;
  let sum = 0;
  let part = 0;
  let c = 0;
  for (let j = t - len + 1; j <= t; j = j + 1) {
    part += u[j];
    c = c + 1;
    if (c === 16) {
      sum += part;
      part = 0;
      c = 0;
    }
  }
  return (sum + part) / len;
}

export const KERNEL_FUNCTIONS = { smootherPartials, groupPartials, groupCarries, blockCarries, smootherOutputs, ratioOutputs, windowMean } as const;
export type KernelName = keyof typeof KERNEL_FUNCTIONS;

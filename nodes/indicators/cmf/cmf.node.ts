import { z } from 'zod';
import { defineNode } from '../../../engine/core/node-definition.ts';
import { ring, ringFull, ringPush, type Ring } from '../../_kit/ring.ts';
import { cmfBatch } from './cmf.batch.ts';

interface CmfState {
  flows: Ring; // money-flow volume MFM·V of each bar in the window
  volumes: Ring;
  flowSum: number;
  volSum: number;
  peak: number; // largest volume sum since the last re-summation
  collapse: number; // re-sum when the volume sum falls below peak / collapse
}

/**
 * Running sums drift, and CMF's error is judged against the window's own volume, which can be
 * tiny (or zero) next to a spike that just left. So the window is re-added from scratch when the
 * ring wraps (bounding the rounding to ~3·period operations, ~2 additions per bar) and whenever
 * the volume sum collapses below peak/collapse; with collapse = 3e4/period the worst case stays
 * under 1e-11 of the volume sum (3·period·2⁻⁵³·collapse), and an emptied window sums to exactly 0.
 */
function resum(s: CmfState): void {
  const flows = s.flows.items;
  const volumes = s.volumes.items;
  let flowSum = 0;
  let volSum = 0;
  for (let k = 0; k < s.volumes.size; k++) {
    flowSum += flows[k]!;
    volSum += volumes[k]!;
  }
  s.flowSum = flowSum;
  s.volSum = volSum;
  s.peak = volSum;
}

/**
 * Chaikin money flow: sum(MFM·V) / sum(V) over `period` bars, MFM = ((C−L)−(H−C))/(H−L), taken as
 * 0 on a flat bar (TA-Lib AD's rule). A window without traded volume gives 0 rather than 0/0.
 */
export const cmf = defineNode({
  type: 'indicator.cmf',
  version: 1,
  title: 'CMF',
  category: 'indicator',
  summary: 'Chaikin money flow: volume-weighted position of the close within the bar range, over a window.',
  params: z.object({
    period: z.number().int().min(1).max(10_000).default(20).describe('number of bars summed'),
  }),
  inputs: { high: { type: 'series' }, low: { type: 'series' }, close: { type: 'series' }, volume: { type: 'series' } },
  outputs: { value: { type: 'series', help: '−1..1' } },
  syncInputs: true,
  batch: cmfBatch,
  warmup: (p) => p.period - 1,
  init: (p): CmfState => ({
    flows: ring(p.period),
    volumes: ring(p.period),
    flowSum: 0,
    volSum: 0,
    peak: 0,
    collapse: 3e4 / p.period,
  }),
  step(s: CmfState, i: { high: number; low: number; close: number; volume: number }, o: { value: number }) {
    const h = i.high;
    const l = i.low;
    const c = i.close;
    const v = i.volume;
    if (h !== h || l !== l || c !== c || v !== v) {
      o.value = NaN;
      return true;
    }
    const range = h - l;
    const flow = range > 0 ? (((c - l) - (h - c)) / range) * v : 0;
    const volumes = s.volumes;
    const oldFlow = ringPush(s.flows, flow);
    const oldVol = ringPush(volumes, v);
    if (oldVol === oldVol) {
      s.flowSum -= oldFlow;
      s.volSum -= oldVol;
    }
    s.flowSum += flow;
    const volSum = (s.volSum += v);
    if (volSum > s.peak) s.peak = volSum;
    else if (volSum * s.collapse < s.peak || volumes.head === 0) resum(s);

    if (!ringFull(volumes)) o.value = NaN;
    else if (s.volSum === 0) o.value = 0;
    else o.value = s.flowSum / s.volSum;
    return true;
  },
});

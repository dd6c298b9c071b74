import { describe, expect, it } from 'vitest';
import { describeNodeContract } from '../../_kit/contract.ts';
import { expectSeriesClose } from '../../_kit/compare.ts';
import { columnsOf, loadEmbedded } from '../../_kit/reference-data.ts';
import { paramsOf, runNode } from '../../_kit/run-node.ts';
import { talibRun } from '../../_kit/talib.ts';
import { sma } from './sma.node.ts';

const eth = columnsOf(loadEmbedded('eth-5m'));

describe('indicator.sma', () => {
  for (const period of [2, 14, 50]) {
    it(`matches TA-Lib SMA(${period}) on ETH 5m to 1e-9`, () => {
      const ours = runNode(sma, paramsOf(sma, { period }), { source: eth.close }).value!;
      const ref = talibRun('SMA', { inReal: eth.close, optInTimePeriod: period }, eth.close.length).outReal!;
      expectSeriesClose('sma', ours, ref, { from: period - 1 });
    });
  }

  it('skips NaN inputs (an upstream still warming up) without consuming them', () => {
    const out = runNode(sma, paramsOf(sma, { period: 2 }), { source: [NaN, NaN, 1, 3, 5] }).value!;
    expect(Array.from(out)).toEqual([NaN, NaN, NaN, 2, 4]);
  });
});

describeNodeContract(sma, paramsOf(sma, { period: 5 }), { source: eth.close.slice(0, 300) });

import { describe, it } from 'vitest';
import { describeNodeContract } from '../../_kit/contract.ts';
import { paramsOf, runNode } from '../../_kit/run-node.ts';
import { stochastic } from '../../indicators/stochastic/stochastic.node.ts';
import { kdZoneExamples } from '../_enygma/kd-zone-testing.ts';
import { checkRealData, eth5000, plain } from '../_enygma/points-testing.ts';
import { enygmaStochasticPoints } from './enygma-stochastic-points.node.ts';

// ENYGMA's Stochastic is 14 / smoothK 3 / 3 (enygma.md §2)
const eth = eth5000();
const real = runNode(stochastic, paramsOf(stochastic), { high: eth.high, low: eth.low, close: eth.close });

describe('enygma.stochastic-points', () => {
  kdZoneExamples(enygmaStochasticPoints, 18);

  it('on real Stochastic(14, 3, 3) of ETH 5m: within ±40, both signs', () => {
    checkRealData(enygmaStochasticPoints, { k: real.k!, d: real.d! });
  });
});

describeNodeContract(enygmaStochasticPoints, paramsOf(enygmaStochasticPoints), { k: plain(real.k).slice(0, 300), d: plain(real.d).slice(0, 300) });

import { describe, it } from 'vitest';
import { describeNodeContract } from '../../_kit/contract.ts';
import { paramsOf, runNode } from '../../_kit/run-node.ts';
import { stochRsi } from '../../indicators/stoch-rsi/stoch-rsi.node.ts';
import { kdZoneExamples } from '../_enygma/kd-zone-testing.ts';
import { checkRealData, eth5000, plain } from '../_enygma/points-testing.ts';
import { enygmaStochRsiPoints } from './enygma-stoch-rsi-points.node.ts';

// ENYGMA's 30min StochRSI is 21/14/3/3 (research §2.2)
const eth = eth5000();
const real = runNode(stochRsi, paramsOf(stochRsi, { rsiPeriod: 21, stochPeriod: 14 }), { source: eth.close });

describe('enygma.stoch-rsi-points', () => {
  kdZoneExamples(enygmaStochRsiPoints, 20);

  it('on real StochRSI(21, 14, 3, 3) of ETH 5m: within ±40, both signs', () => {
    checkRealData(enygmaStochRsiPoints, { k: real.k!, d: real.d! });
  });
});

describeNodeContract(enygmaStochRsiPoints, paramsOf(enygmaStochRsiPoints), { k: plain(real.k).slice(0, 400), d: plain(real.d).slice(0, 400) });

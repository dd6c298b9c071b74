import { z } from 'zod';
import { defineNode } from '../../../engine/core/node-definition.ts';

interface ConsensusOutputs {
  direction: number;
  agreement: number;
  long: boolean;
  short: boolean;
}

/**
 * Counts votes by sign. The direction is the side with more votes; agreement is the share of all
 * voters (neutral ones included) on that side, so a 0 vote dilutes agreement and breaks unanimity.
 */
export const consensus = defineNode({
  type: 'signal.consensus',
  version: 1,
  title: 'Consensus',
  category: 'signal',
  summary: 'Combines votes (+1/−1/0): long or short when enough voters agree on one side.',
  params: z.object({
    minAgreement: z.number().min(0).max(1).default(1).describe('share of voters that must be on the majority side; 1 = unanimous'),
    minVoters: z.number().int().min(1).default(2).describe('votes that must have a value (not NaN) before anything is decided'),
  }),
  inputs: { votes: { type: 'series', many: true, help: 'votes, e.g. from signal.vote; NaN = not voting yet' } },
  outputs: {
    direction: { type: 'series', help: '+1 more bullish votes, −1 more bearish, 0 tied; NaN below minVoters' },
    agreement: { type: 'series', help: 'share of voters on the direction side (0..1); NaN below minVoters' },
    long: { type: 'bool', help: 'direction +1 and agreement ≥ minAgreement' },
    short: { type: 'bool', help: 'direction −1 and agreement ≥ minAgreement' },
  },
  warmup: () => 0,
  init: () => ({}),
  step(_s: object, i: { votes: readonly number[] }, o: ConsensusOutputs, p) {
    const votes = i.votes;
    let up = 0;
    let down = 0;
    let voters = 0;
    for (let k = 0; k < votes.length; k++) {
      const v = votes[k]!;
      if (v !== v) continue;
      voters++;
      if (v > 0) up++;
      else if (v < 0) down++;
    }
    if (voters < p.minVoters) {
      o.direction = NaN;
      o.agreement = NaN;
      o.long = false;
      o.short = false;
      return true;
    }
    const direction = up > down ? 1 : down > up ? -1 : 0;
    const agreeing = direction > 0 ? up : direction < 0 ? down : voters - up - down;
    const agreement = agreeing / voters;
    o.direction = direction;
    o.agreement = agreement;
    o.long = direction > 0 && agreement >= p.minAgreement;
    o.short = direction < 0 && agreement >= p.minAgreement;
    return true;
  },
});

import { z } from 'zod';
import { defineNode } from '../../../engine/core/node-definition.ts';
import type { AccountView } from '../../../engine/core/trading.ts';
import { block, GATE_OUTPUTS, pass, type GateOutputs } from '../_enygma/gate.ts';

/** enygma.md §4 capacity: open positions < 5 (MAX_OPEN_POSITIONS, research §4). */
export const enygmaCapacityGate = defineNode({
  type: 'enygma.capacity-gate',
  version: 1,
  title: 'ENYGMA capacity',
  category: 'gate',
  // no state; its verdict follows the account, so it is read fresh whenever the entry decides
  quiet: { wakeInputs: [], volatile: true },
  summary: 'Passes while fewer than 5 positions are open.',
  params: z.object({
    maxOpenPositions: z.number().int().min(0).default(5).describe('entries are refused once this many positions are open'),
  }),
  inputs: { account: { type: 'account', help: 'the account view (account.account), for its open positions' } },
  outputs: GATE_OUTPUTS,
  warmup: () => 0,
  init: () => ({}),
  step(_s: object, i: { account: Pick<AccountView, 'openPositions'> | null }, o: GateOutputs, p) {
    const a = i.account;
    if (a === null || a === undefined) return pass(o, 'no account yet: no positions to count');
    const ok = a.openPositions < p.maxOpenPositions;
    const text = `open positions ${a.openPositions} ${ok ? '<' : '≥'} ${p.maxOpenPositions}`;
    return ok ? pass(o, text) : block(o, text);
  },
});

import { describe, expect, it } from 'vitest';
import { PaperVenue } from '../../engine/venues/paper/paper-venue.ts';
import { NodeDigests, replay } from '../support/observe.ts';
import { compileShipped, ethBars, shippedPipelines } from '../support/shipped.ts';

/**
 * The runner's generated per-plan commit (compiled-commit.ts) must mean exactly what the generic
 * interpreted loop means: same outputs of every node on every bar, same fills, same equity.
 */
describe('generated commit ≡ interpreted commit', () => {
  const data = ethBars(20_000);
  for (const file of shippedPipelines()) {
    it(`gives identical node outputs and fills for ${file.split('/').slice(-2).join('/')}`, () => {
      const plan = compileShipped(file);
      const runs = [false, true].map((interpret) => {
        const digests = new NodeDigests(plan, data.length);
        const { venue } = replay(plan, data, { interpret, observe: (runner, i) => digests.record(runner, i) });
        return { digests, venue };
      });
      expect(runs[0]!.digests.firstDifference(runs[1]!.digests, data.length)).toBeNull();
      const [a, b] = runs.map((r) => (r.venue instanceof PaperVenue ? r.venue : null));
      expect(a?.ledger.fills.length).toBe(b?.ledger.fills.length);
      expect(a?.equity.toString()).toBe(b?.equity.toString());
    });
  }
});

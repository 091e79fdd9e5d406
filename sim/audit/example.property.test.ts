import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { intentsArb, paramsArb, runIntents } from '../../protocol/audit/randomRun.ts';
import { resolveParams } from '../../protocol/params.ts';
import { shrinkBudget } from '../../protocol/testing/shrinkBudget.ts';

// The worked example of docs/auditing.md: keep the two in step.
// Property: no epoch pays out, in claims, more than it settled. Shrinking gives up after
// ONESIM_FC_SHRINK_MS (20 s) and reports the best counterexample so far, its seed and path.
test.prop([paramsArb, intentsArb(), fc.integer({ min: 0, max: 3 })], {
  seed: 42,
  numRuns: 40,
  plugins: [shrinkBudget()],
})('claims of an epoch never exceed what it settled', (p, intents, colluders) => {
  const settled = new Map<number, bigint>();
  const claimed = new Map<number, bigint>();
  runIntents({
    params: resolveParams(p),
    intents,
    options: { colluders, lazyWorkers: true },
    onEvents: (events) => {
      for (const e of events) {
        if (e.type === 'EpochSettled') settled.set(e.epoch, e.totalMicroUsdc);
        if (e.type !== 'Claimed') continue;
        const total = (claimed.get(e.epoch) ?? 0n) + e.amountMicroUsdc;
        claimed.set(e.epoch, total);
        expect(total).toBeLessThanOrEqual(settled.get(e.epoch) ?? 0n);
      }
    },
  });
});

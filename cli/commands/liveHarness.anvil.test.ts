import { describe, expect, it } from 'vitest';
import { runLive } from '../../sim/live/runLive.ts';
import { useAnvil } from '../../sim/live/testing/anvilFixture.ts';
import { harnessInput } from './liveHarness.ts';

const anvil = useAnvil();

describe('live harness: real inferences and EIP-712 receipts settled on chain', () => {
  it('settles the harness worker’s own signed receipts, audits them by re-execution and pays the claims', async () => {
    const h = await harnessInput({ model: 'mlp-s', jobs: 16, seed: 1 });
    try {
      const r = await anvil.isolated(() =>
        runLive({
          rpcUrl: anvil.url(),
          params: h.params,
          actions: h.actions,
          signatures: 'chain',
          pinnedKeys: h.pinnedKeys,
          checkEvery: 5,
        }),
      );
      expect(r.divergence).toBeNull();
      const accepted = r.stats.chainAcceptedByType;
      expect(accepted.registerWorker).toBe(1); // KYC: the attestor's real signature, ecrecover'd on chain
      expect(accepted.settle).toBeGreaterThanOrEqual(3);
      expect(accepted.claim).toBeGreaterThan(0);
      // Verdicts need open audits, and a settlement opens one only after ecrecover of the
      // worker's signature over the posted receipt gives the receipt's worker.
      expect(accepted.auditVerdict).toBeGreaterThan(0);
      expect(r.stats.rejectedByCode).toEqual({});
    } finally {
      await h.close();
    }
  }, 120_000);
});

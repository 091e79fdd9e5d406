import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../scenarios/loadScenario.ts';
import { runLive } from './runLive.ts';
import { scenarioLiveActions } from './scenarioActions.ts';
import { useAnvil } from './testing/anvilFixture.ts';

const anvil = useAnvil();

describe('a named scenario on chain (baseline, simulated on whole seconds)', () => {
  it('agrees with the model on every action and projection, and ends in the simulation’s state', async () => {
    const sim = await scenarioLiveActions({
      scenario: await loadScenario('baseline'),
      seed: 3,
      days: 1,
      scale: 0.1,
      commit: 'test',
    });
    expect(sim.status).toBe('completed');
    const r = await runLive({ params: sim.params, actions: sim.actions, rpcUrl: anvil.url() });
    expect(r.divergence).toBeNull();
    expect(r.actions).toBe(sim.actions.length);
    expect(r.modelStateHash).toBe(sim.finalStateHash);
    // The stream reaches the chain's rules, not only the off-chain job market.
    expect(r.stats.onChain).toBeGreaterThan(500);
    for (const type of [
      'deposit',
      'fundTreasury',
      'stake',
      'registerWorker',
      'registerOracle',
      'startDay',
      'reserve',
      'settle',
      'claim',
      'auditVerdict',
    ])
      expect(r.stats.chainAcceptedByType[type], `no ${type} accepted on chain`).toBeGreaterThan(0);
    expect(r.stats.checks).toBeGreaterThan(10);
  }, 120_000);
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deploymentActionTypes } from '../../protocol/actions.ts';
import { intentArb } from '../../protocol/audit/randomRun.ts';
import { simVerifier } from '../../protocol/receipts/simVerifier.ts';
import { createState } from '../../protocol/state.ts';
import { step } from '../../protocol/step.ts';
import { liveIntentsArb, liveParamsArb } from './audit/arbitraries.ts';
import { intentActions } from './randomActions.ts';

// The audit's generator deploys models and registers workers with memory, region and tags; the
// contracts have none of that, so live runs (random and the live audit) must never send them.
describe('live random runs leave deployments out', () => {
  it('draw no deployment action and register workers without deployment fields', () => {
    const samples = fc.sample(fc.tuple(liveParamsArb, liveIntentsArb), { seed: 3, numRuns: 20 });
    let registrations = 0;
    for (const [params, intents] of samples) {
      const state = createState(params);
      for (const t of intentActions(state, intents)) {
        expect(deploymentActionTypes).not.toContain(t.action.type);
        if (t.action.type === 'registerWorker') {
          registrations++;
          expect(Object.keys(t.action)).not.toEqual(
            expect.arrayContaining([expect.stringMatching(/^(memoryBytes|region|tags)$/)]),
          );
        }
        step(state, t.action, t.atMs, { verifier: simVerifier });
      }
    }
    expect(registrations).toBeGreaterThan(0);
  });

  it('even from intents of the deployment kinds (the audit’s own draw)', () => {
    const intents = fc.sample(
      intentArb.filter((i) => ['deploy', 'replicaReady', 'registerWorker'].includes(i.kind)),
      { seed: 5, numRuns: 50 },
    );
    const [params] = fc.sample(liveParamsArb, { seed: 5, numRuns: 1 });
    const state = createState(params!);
    for (const t of intentActions(state, intents)) {
      expect(deploymentActionTypes).not.toContain(t.action.type);
      if (t.action.type === 'registerWorker') expect(t.action.memoryBytes).toBeUndefined();
      step(state, t.action, t.atMs, { verifier: simVerifier });
    }
  });
});

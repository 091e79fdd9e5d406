import { describe, expect, it } from 'vitest';
import { type State, stateHash } from '../../protocol/index.ts';
import { runSimulation } from '../run/runSimulation.ts';
import { tinyScenario } from '../run/tinyScenario.ts';
import { BackgroundStateHasher } from './stateHasher.ts';

/** The state of a simulated day: jobs, receipts, audits, Maps and Sets, bigints. */
async function simulatedState(): Promise<State> {
  let state: State | null = null;
  await runSimulation({
    scenario: tinyScenario({ oracles: { count: 5, colluding: 1 } }),
    seed: '5',
    days: 1,
    commit: 'test',
    onReady: (sim) => {
      state = sim.state;
    },
  });
  return state!;
}

describe('BackgroundStateHasher (checkpoint hashes on a worker thread)', () => {
  it('gives the hash stateHash gives here, of the state as it was when asked', async () => {
    const state = await simulatedState();
    expect(state.jobs.size + state.settlements.size).toBeGreaterThan(0);
    const before = stateHash(state);
    const hasher = new BackgroundStateHasher();
    try {
      const first = hasher.hash(state);
      // Changed right after asking: the worker hashes the copy taken at the call.
      state.nowMs += 1;
      state.treasuryMicroUsdc += 7n;
      const second = hasher.hash(state);
      expect(await first).toBe(before);
      expect(await second).toBe(stateHash(state));
      expect(await second).not.toBe(before);
    } finally {
      await hasher.close();
    }
  });

  it('hashes here what cannot be copied to a thread, and refuses once closed', async () => {
    const state = await simulatedState();
    const hasher = new BackgroundStateHasher();
    const odd = { ...state, extra: () => 1 } as unknown as State;
    expect(await hasher.hash(odd)).toBe(stateHash(odd));
    await hasher.close();
    await expect(hasher.hash(state)).rejects.toThrow(/closed/);
  });
});

import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { toJsonText } from '../../protocol/actionSchema.ts';
import { loadScenario } from '../../scenarios/loadScenario.ts';
import { ScenarioActionsBoundError, scenarioLiveActions } from './scenarioActions.ts';

const digest = (v: unknown) => createHash('sha256').update(toJsonText(v)).digest('hex');

describe('scenarioLiveActions', () => {
  it('records a scaled simulation on whole seconds, with the live parameters, deterministically', async () => {
    const scenario = await loadScenario('baseline');
    const run = () => scenarioLiveActions({ scenario, seed: 2, days: 1, scale: 0.05, commit: 't' });
    const a = await run();
    expect(a.status).toBe('completed');
    expect(a.scenario.holders.count).toBe(50);
    expect(a.params.availabilityMinScore).toBe(0);
    expect(a.params.allotmentSchedule).toEqual({ kind: 'linear' });
    expect(a.actions.length).toBeGreaterThan(1_000);
    expect(a.actions.every((t) => t.atMs % 1_000 === 0)).toBe(true);
    expect(a.actions.every((t, i) => i === 0 || t.atMs >= a.actions[i - 1]!.atMs)).toBe(true);
    const b = await run();
    expect(digest(b.actions)).toBe(digest(a.actions));
    expect(b.finalStateHash).toBe(a.finalStateHash);
  });

  it('stops loudly at its bound', async () => {
    const scenario = await loadScenario('baseline');
    await expect(
      scenarioLiveActions({
        scenario,
        seed: 1,
        days: 1,
        scale: 0.05,
        commit: 't',
        actionsMax: 100,
      }),
    ).rejects.toThrow(ScenarioActionsBoundError);
  });
});

import { describe, expect, it } from 'vitest';
import { runSimulation } from '../sim/run/runSimulation.ts';
import { tinyScenario } from '../sim/run/tinyScenario.ts';
import { readCapacityProfile, withProfileWorkers } from './fromCapacityProfile.ts';

describe('workers from a harness capacity profile', () => {
  const profile = readCapacityProfile('scenarios/profiles/cpu-tinylm-s.json');

  it('takes the median measured CU/s and names the machine and provider that ran', () => {
    const s = withProfileWorkers(tinyScenario(), profile, 2);
    expect(s.profileWorkers.count).toBe(2);
    expect(s.profileWorkers.capacityCuPerSec).toBe(profile.entries[0]!.cuPerSecond);
    expect(s.profileWorkers.label).toContain('cpu');
    const bad = { ...profile, entries: profile.entries.map((e) => ({ ...e, valid: false })) };
    expect(() => withProfileWorkers(tinyScenario(), bad)).toThrow(/no valid entry/);
  });

  it('puts them into the network and reports what they earn a day', async () => {
    const record = await runSimulation({
      scenario: withProfileWorkers(tinyScenario(), profile, 2),
      seed: 1,
      days: 1,
      commit: 'test',
    });
    expect(record.workers.filter((w) => w.fromProfile)).toHaveLength(2);
    expect(record.headline.profileWorkers).toBe(2);
    expect(record.headline.profileWorkerIncomeUsdcPerDay).toBeGreaterThan(0);
  });
});

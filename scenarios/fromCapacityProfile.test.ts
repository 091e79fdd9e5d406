import { describe, expect, it } from 'vitest';
import { runSimulation } from '../sim/run/runSimulation.ts';
import { tinyScenario } from '../sim/run/tinyScenario.ts';
import { cuOfFlops, flopsPerCu, inputTokenWeight } from './calibration.ts';
import { entryCapacity, readCapacityProfile, withProfileWorkers } from './fromCapacityProfile.ts';

describe('workers from a harness capacity profile', () => {
  const profile = readCapacityProfile('scenarios/profiles/cpu-tinylm-s.json');

  it('turns measured output tokens/s into CU/s of the request shape, and names the machine and provider', () => {
    const shape = { inputTokens: 8, outputTokens: 16 };
    const s = withProfileWorkers(tinyScenario(), profile, 2, shape);
    expect(s.profileWorkers.count).toBe(2);
    const e = profile.entries[0]!;
    // a 16-token answer to an 8-token prompt is 16 + w × 8 CU; the node writes e.tokensPerSecond
    const cu = Math.round(16 + inputTokenWeight() * 8);
    expect(s.profileWorkers.capacityCuPerSec).toBe(Math.round((e.tokensPerSecond! * cu) / 16));
    // a request model's CU come from the FLOPs the harness counted (cuPerUnit × 200k FLOPs)
    const req = { ...e, cuPer: 'request' as const, cuPerUnit: 40_000_000, queriesPerSecond: 3 };
    expect(entryCapacity(req, shape)).toEqual({
      cuPerRequest: cuOfFlops(40_000_000 * 200_000),
      capacityCuPerSec: 3 * cuOfFlops(8e12),
    });
    expect(cuOfFlops(8e12)).toBe(Math.ceil(8e12 / flopsPerCu()));
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

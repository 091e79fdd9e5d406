import { readFileSync } from 'node:fs';
import { parseCapacityProfile, type CapacityProfile } from '../gpu-harness/profile/capacityProfile.ts';
import { parseScenario, type Scenario, type ScenarioInput } from '../sim/scenario/scenarioSchema.ts';

/**
 * Puts `count` workers with a harness-measured capacity into a scenario: the median CU/s of the
 * profile's valid entries (CU as the harness defines them: 100k multiply-accumulates), labelled
 * with the machine and the execution provider that actually ran.
 */
export function withProfileWorkers(input: ScenarioInput | Scenario, profile: CapacityProfile, count = 1): Scenario {
  const valid = profile.entries.filter((e) => e.valid && e.cuPerSecond > 0).map((e) => e.cuPerSecond).sort((a, b) => a - b);
  if (valid.length === 0) throw new Error('capacity profile has no valid entry with cuPerSecond > 0');
  const capacityCuPerSec = valid[(valid.length - 1) >> 1]!;
  const providers = [...new Set(profile.entries.map((e) => e.provider))].join('+');
  const label = `${profile.machine.cpuModel} (${profile.machine.logicalCores} cores, ${providers}${profile.machine.gpus.length ? `, ${profile.machine.gpus.join(', ')}` : ''})`;
  return parseScenario({ ...input, profileWorkers: { count, capacityCuPerSec, slots: 4, label } }, String((input as { name: string }).name));
}

export function readCapacityProfile(path: string): CapacityProfile {
  return parseCapacityProfile(readFileSync(path, 'utf8'));
}

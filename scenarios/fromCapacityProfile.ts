import { readFileSync } from 'node:fs';
import {
  type CapacityEntry,
  type CapacityProfile,
  parseCapacityProfile,
} from '../gpu-harness/profile/capacityProfile.ts';
import {
  parseScenario,
  type Scenario,
  type ScenarioInput,
} from '../sim/scenario/scenarioSchema.ts';
import { chatRequest } from './calibrated.ts';
import { cuOfFlops, cuOfTextRequest } from './calibration.ts';

/** FLOPs in one of the harness's own CU (100k multiply-accumulates, 2 FLOPs each). */
const HARNESS_FLOPS_PER_UNIT = 200_000;

/** Input and output tokens of one request of a text model. */
export interface RequestShape {
  inputTokens: number;
  outputTokens: number;
}

/**
 * A profile entry's capacity in onesim's CU (scenarios/calibration.ts): a text model serves
 * tokensPerSecond output tokens, and a request of `shape` is cuOfTextRequest(shape) CU, so
 * CU/s = tokens/s × CU per request ÷ output tokens per request; another model's request is
 * cuOfFlops(FLOPs the harness counted) CU, served queriesPerSecond times a second.
 */
export function entryCapacity(
  e: CapacityEntry,
  shape: RequestShape,
): { cuPerRequest: number; capacityCuPerSec: number } {
  if (e.cuPer === 'token') {
    const cuPerRequest = Math.max(1, Math.round(cuOfTextRequest(shape)));
    const tps = e.tokensPerSecond ?? 0;
    return { cuPerRequest, capacityCuPerSec: (tps * cuPerRequest) / shape.outputTokens };
  }
  const cuPerRequest = cuOfFlops(e.cuPerUnit * HARNESS_FLOPS_PER_UNIT);
  return { cuPerRequest, capacityCuPerSec: e.queriesPerSecond * cuPerRequest };
}

/** The median capacity of a profile's valid entries, in onesim's CU, and what one request costs. */
export function profileCapacity(
  profile: CapacityProfile,
  shape: RequestShape = chatRequest,
): { modelName: string; cuPerRequest: number; capacityCuPerSec: number; label: string } {
  const valid = profile.entries
    .filter((e) => e.valid)
    .map((e) => ({ e, ...entryCapacity(e, shape) }))
    .filter((x) => x.capacityCuPerSec > 0)
    .sort((a, b) => a.capacityCuPerSec - b.capacityCuPerSec);
  if (valid.length === 0)
    throw new Error('capacity profile has no valid entry with a throughput > 0');
  const mid = valid[(valid.length - 1) >> 1]!;
  const providers = [...new Set(profile.entries.map((e) => e.provider))].join('+');
  const label = `${profile.machine.cpuModel} (${profile.machine.logicalCores} cores, ${providers}${profile.machine.gpus.length ? `, ${profile.machine.gpus.join(', ')}` : ''})`;
  return {
    modelName: mid.e.modelName,
    cuPerRequest: mid.cuPerRequest,
    capacityCuPerSec: Math.round(mid.capacityCuPerSec),
    label,
  };
}

/**
 * Puts `count` workers with a harness-measured capacity into a scenario: the median capacity of
 * the profile's valid entries in onesim's CU (a text model's requests of `shape`, by default the
 * calibrated chat request), labelled with the machine and the execution provider that ran.
 */
export function withProfileWorkers(
  input: ScenarioInput | Scenario,
  profile: CapacityProfile,
  count = 1,
  shape: RequestShape = chatRequest,
): Scenario {
  const c = profileCapacity(profile, shape);
  return parseScenario(
    {
      ...input,
      profileWorkers: { count, capacityCuPerSec: c.capacityCuPerSec, slots: 4, label: c.label },
    },
    String((input as { name: string }).name),
  );
}

export function readCapacityProfile(path: string): CapacityProfile {
  return parseCapacityProfile(readFileSync(path, 'utf8'));
}

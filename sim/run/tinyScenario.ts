import { parseScenario, type Scenario } from '../scenario/scenarioSchema.ts';

/** A small network for tests: a day runs in well under a second. */
export function tinyScenario(overrides: Partial<Record<string, unknown>> = {}): Scenario {
  return parseScenario({
    name: 'tiny',
    question: 'Does a tiny network run?',
    days: 2,
    treasuryGenesisUsdc: 50_000,
    models: [
      { name: 'chat-s', cuPerRequest: 500, weight: 3 },
      { name: 'embed-s', cuPerRequest: 100, weight: 1 },
    ],
    holders: { count: 60, jobsPerDayMedian: 20 },
    sponsors: { count: 2, rateCuPerSecMin: 10, rateCuPerSecMax: 20, reservationHours: 6 },
    workers: { count: 5, slots: 2, capacityCuPerSecMedian: 200 },
    faults: { crashesPerWorkerDay: 2, restartMinutesMean: 30, resultDelayMsMax: 500 },
    ...overrides,
  });
}

import { describe, expect, it } from 'vitest';
import type { Simulation } from '../network/simulation.ts';
import { runSimulation } from './runSimulation.ts';
import { tinyScenario } from './tinyScenario.ts';

describe('sampleMetrics', () => {
  // Each alone: starved holders leaving a fixed population, then a growing one nobody leaves.
  it.each([
    ['leave', { leaveWhenDeniedShare: 0.2, leaveProbability: 0.5, growthMultiplier: 1 }],
    ['join', { leaveProbability: 0, growthMultiplier: 3 }],
  ] as const)(
    'counts active holders as a walk over every holder would, as holders %s',
    async (how, holders) => {
      let sim: Simulation | null = null;
      const recounted: number[] = [];
      const record = await runSimulation({
        scenario: tinyScenario({
          holders: { count: 60, activeShare: 0.7, jobsPerDayMedian: 400, ...holders },
        }),
        seed: 4,
        days: 4,
        commit: 'test',
        onReady: (s) => {
          sim = s;
          const keep = s.options.onMetrics!;
          s.options.onMetrics = (row) => {
            recounted.push(s.holders.filter((h) => h.active && !h.left).length);
            keep(row);
          };
        },
      });
      if (how === 'leave') {
        expect(sim!.holdersLeft).toBeGreaterThan(0);
        expect(sim!.holders.length).toBe(60);
      } else {
        expect(sim!.holdersLeft).toBe(0);
        expect(sim!.holders.length).toBeGreaterThan(60);
      }
      const counted = record.metrics.map((r) => r.activeHolders);
      expect(counted).toEqual(recounted);
      expect(new Set(counted).size).toBeGreaterThan(1);
    },
  );
});

import { describe, expect, it } from 'vitest';
import { runSimulation } from '../sim/run/runSimulation.ts';
import { summaryOf } from '../sim/run/summary.ts';
import { parseScenario } from '../sim/scenario/scenarioSchema.ts';
import { scaleScenario } from '../sim/sweep/scaleScenario.ts';
import { scenarios } from './index.ts';

describe('every named scenario at reduced scale', () => {
  for (const [name, input] of Object.entries(scenarios)) {
    it(`${name}: documents its question, runs with invariants holding, and evaluates every expectation`, async () => {
      const full = parseScenario(input, name);
      expect(full.name).toBe(name);
      expect(full.question.length).toBeGreaterThan(20);
      expect(full.expectations.length).toBeGreaterThan(0);
      const scenario = scaleScenario(full, 0.03);
      const r = await runSimulation({
        scenario,
        seed: 1,
        days: Math.min(full.days, 2),
        commit: 'test',
      });
      expect(r.status).toBe('completed');
      const a = summaryOf(r);
      expect(a.expectations).toHaveLength(full.expectations.length);
      for (const e of a.expectations) {
        expect(e.note, `${name}: ${e.label}`).toBeUndefined();
        expect(e.actual, `${name}: ${e.label}`).not.toBeNull();
      }
    });
  }
});

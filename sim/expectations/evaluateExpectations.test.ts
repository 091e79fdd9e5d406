import { describe, expect, it } from 'vitest';
import type { MetricsRow } from '../metrics/metricsCollector.ts';
import { tinyScenario } from '../run/tinyScenario.ts';
import { parseScenario, ScenarioParseError } from '../scenario/scenarioSchema.ts';
import { evaluateExpectations } from './evaluateExpectations.ts';
import { formatExpectations } from './formatExpectations.ts';

const rows = [0, 1, 2, 3].map(
  (i) =>
    ({
      tMs: (i + 1) * 3_600_000,
      day: i < 2 ? 0 : 1,
      waitIncludedMsP95: [100, 900_000, 200, 300][i]!,
      treasuryUsdc: 10 - i,
    }) as unknown as MetricsRow,
);

describe('evaluateExpectations', () => {
  it('checks headline, derived and over-time forms', () => {
    const r = evaluateExpectations({
      headline: { treasuryMinUsdc: 5, scenario: 'x' },
      derived: { honestWorkersCoveringCostShare: 0.8 },
      metrics: rows,
      expectations: [
        { metric: 'treasuryMinUsdc', op: '>=', value: 0, label: 'treasury never below 0' },
        {
          metric: 'honestWorkersCoveringCostShare',
          op: '>=',
          value: 0.9,
          label: 'honest workers cover cost',
        },
        {
          series: 'waitIncludedMsP95',
          stat: 'max',
          op: '<=',
          value: 600_000,
          label: 'Included p95 ≤ 10 min',
        },
        {
          series: 'waitIncludedMsP95',
          stat: 'max',
          fromDay: 1,
          op: '<=',
          value: 600_000,
          label: 'after warm-up',
        },
        { series: 'treasuryUsdc', stat: 'last', op: '==', value: 7, label: 'last' },
      ],
    });
    expect(r.map((e) => [e.pass, e.actual])).toEqual([
      [true, 5],
      [false, 0.8],
      [false, 900_000],
      [true, 300],
      [true, 7],
    ]);
    expect(r[3]!.subject).toBe('max of waitIncludedMsP95 from day 1');
    expect(formatExpectations(r)).toContain('FAIL  honest workers cover cost');
  });

  it('fails an unknown metric or column with a note instead of throwing', () => {
    const r = evaluateExpectations({
      headline: { scenario: 'x' },
      derived: {},
      metrics: rows,
      expectations: [
        { metric: 'scenario', op: '>=', value: 0, label: 'a string is not a number' },
        { series: 'nope', stat: 'max', op: '<=', value: 1, label: 'no such column' },
      ],
    });
    expect(r.every((e) => !e.pass && e.actual === null && e.note)).toBe(true);
  });

  it('validates expectations in scenario files, naming the field', () => {
    const base = tinyScenario();
    expect(() =>
      parseScenario({
        ...base,
        expectations: [{ metric: 'x', op: '=>', value: 0, label: 'bad op' }],
      }),
    ).toThrow(ScenarioParseError);
    try {
      parseScenario({
        ...base,
        expectations: [{ series: 'x', stat: 'median', op: '<=', value: 0, label: 'l' }],
      });
    } catch (e) {
      expect((e as ScenarioParseError).message).toContain('expectations.0');
    }
  });
});

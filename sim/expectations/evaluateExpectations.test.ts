import { describe, expect, it } from 'vitest';
import type { MetricsRow } from '../metrics/metricsCollector.ts';
import type { Derived, Headline } from '../record/fields.ts';
import { tinyScenario } from '../run/tinyScenario.ts';
import { parseScenario, ScenarioParseError } from '../scenario/scenarioSchema.ts';
import { evaluateExpectations, failsRequirement } from './evaluateExpectations.ts';
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
// Only the fields these checks read; a real record has every one.
const record = (headline: Partial<Headline>, derived: Partial<Derived>) => ({
  headline: headline as Headline,
  derived: derived as Derived,
  metrics: rows,
});

describe('evaluateExpectations', () => {
  it('checks headline, derived and over-time forms', () => {
    const r = evaluateExpectations(
      [
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
      record({ treasuryMinUsdc: 5 }, { honestWorkersCoveringCostShare: 0.8 }),
    );
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

  it('fails a number the run does not have with a note instead of throwing', () => {
    const r = evaluateExpectations(
      [
        { metric: 'profileWorkerIncomeUsdcPerDay', op: '>', value: 0, label: 'no profile workers' },
        { series: 'treasuryUsdc', stat: 'max', fromDay: 9, op: '<=', value: 1, label: 'no rows' },
      ],
      record({}, {}),
    );
    expect(r.every((e) => !e.pass && e.actual === null && e.note)).toBe(true);
  });

  it('a question answered no is reported as NO and fails no requirement; a failed check does', () => {
    const asked = evaluateExpectations(
      [
        { metric: 'treasuryMinUsdc', op: '>=', value: 0, label: 'treasury kept', question: true },
        { metric: 'treasuryMinUsdc', op: '>=', value: 9, label: 'treasury ≥ 9', question: true },
      ],
      record({ treasuryMinUsdc: 5 }, {}),
    );
    expect(asked.map((e) => [e.pass, e.question])).toEqual([
      [true, true],
      [false, true],
    ]);
    expect(failsRequirement(asked)).toBe(false);
    const table = formatExpectations(asked);
    expect(table).toContain('1 of 2 questions answered yes');
    expect(table).toContain('NO    treasury ≥ 9');
    expect(table).toContain('YES   treasury kept');
    const checked = evaluateExpectations(
      [{ metric: 'treasuryMinUsdc', op: '>=', value: 9, label: 'treasury ≥ 9' }],
      record({ treasuryMinUsdc: 5 }, {}),
    );
    expect(failsRequirement([...asked, ...checked])).toBe(true);
    expect(formatExpectations([...asked, ...checked])).toContain('0 of 1 pass; 1 of 2 questions');
  });
});

describe('expectations in scenario files', () => {
  const parseError = (expectations: unknown[]): ScenarioParseError => {
    try {
      parseScenario({ ...tinyScenario(), expectations });
    } catch (e) {
      if (e instanceof ScenarioParseError) return e;
      throw e;
    }
    throw new Error('parsed');
  };

  it('validates each field, naming it', () => {
    expect(
      parseError([{ metric: 'sigmaMin', op: '=>', value: 0, label: 'bad op' }]).message,
    ).toContain('expectations.0.op');
    expect(
      parseError([{ series: 'sigma', stat: 'median', op: '<=', value: 0, label: 'l' }]).message,
    ).toContain('expectations.0.stat');
  });

  it('rejects a metric or metrics column that does not exist when the scenario loads, naming the closest', () => {
    const metric = parseError([
      { metric: 'honestWorkerIncomeOverCostP5', op: '>=', value: 1, label: 'typo' },
    ]);
    expect(metric.issues[0]).toEqual({
      field: 'expectations.0.metric',
      message:
        'unknown metric "honestWorkerIncomeOverCostP5"; did you mean "honestWorkerIncomeOverCostP50"?',
    });
    const series = parseError([
      { series: 'waitIncludedMsP9', stat: 'max', op: '<=', value: 1, label: 'typo' },
    ]);
    expect(series.issues[0]).toEqual({
      field: 'expectations.0.series',
      message: 'unknown metrics column "waitIncludedMsP9"; did you mean "waitIncludedMsP95"?',
    });
    const key = parseError([{ metrc: 'sigmaMin', op: '>=', value: 1, label: 'typo' }]);
    expect(key.issues[0]).toEqual({
      field: 'expectations.0.metrc',
      message: 'unknown field "metrc"; did you mean "metric"?',
    });
  });
});

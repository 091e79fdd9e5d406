import { describe, expect, it } from 'vitest';
import { baselineNetwork } from '../../scenarios/network.ts';
import { parseScenario, ScenarioParseError } from './scenarioSchema.ts';

const base = { name: 'strict', question: 'Are unknown keys refused?', ...baselineNetwork };
const issuesOf = (input: unknown) => {
  try {
    parseScenario(input, 'strict.json');
  } catch (e) {
    if (e instanceof ScenarioParseError) return e.issues;
    throw e;
  }
  throw new Error('parsed');
};

describe('scenario files are strict', () => {
  it('accepts what the schema knows, keeping params as written', () => {
    const s = parseScenario({ ...base, params: { takeRate: { num: 10, den: 100 } } });
    expect(s.params).toEqual({ takeRate: { num: 10, den: 100 } });
    expect(s.workers.count).toBe(20);
  });

  it.each([
    [{ ...base, workerz: { count: 3 } }, 'workerz', 'workers'],
    [{ ...base, holders: { ...base.holders, cuont: 3 } }, 'holders.cuont', 'count'],
    [{ ...base, params: { takeRat: { num: 1, den: 10 } } }, 'params.takeRat', 'takeRate'],
    [{ ...base, params: { takeRate: { num: 1, dem: 10 } } }, 'params.takeRate.dem', 'den'],
    [
      {
        ...base,
        params: { allotmentSchedule: { kind: 'tiers', tiers: [{ minStake: 1, creditsCu: 1 }] } },
      },
      'params.allotmentSchedule.tiers.0.minStake',
      'minStakeOneWei',
    ],
    [{ ...base, models: [{ name: 'm', cuPerRequest: 1, wieght: 1 }] }, 'models.0.wieght', 'weight'],
    [
      { ...base, demand: { bursts: [{ dya: 1, startHour: 1, hours: 1, multiplier: 2 }] } },
      'demand.bursts.0.dya',
      'day',
    ],
    [
      {
        ...base,
        adversaries: {
          lazyWorkers: { count: 1, fakeShare: 0.5, savingUsdcPerFakedJob: 0, cuont: 2 },
        },
      },
      'adversaries.lazyWorkers.cuont',
      'count',
    ],
    [{ ...base, run: { metricsIntervalMz: 1 } }, 'run.metricsIntervalMz', 'metricsIntervalMs'],
    [
      {
        ...base,
        expectations: [
          { series: 'sigma', stat: 'min', op: '>=', value: 1, label: 'l', fromDya: 1 },
        ],
      },
      'expectations.0.fromDya',
      'fromDay',
    ],
  ])(
    '%#: an unknown key is an error naming it and the closest valid key',
    (input, field, closest) => {
      const key = field.split('.').at(-1)!;
      expect(issuesOf(input)[0]).toEqual({
        field,
        message: `unknown field ${JSON.stringify(key)}; did you mean ${JSON.stringify(closest)}?`,
      });
    },
  );

  it('lists the valid keys when none is close', () => {
    const input = {
      ...base,
      expectations: [{ metric: 'sigmaMin', op: '>=', value: 1, label: 'l', fromDya: 1 }],
    };
    expect(issuesOf(input)[0]).toEqual({
      field: 'expectations.0.fromDya',
      message: 'unknown field "fromDya"; valid keys: "metric", "op", "value", "label", "question"',
    });
  });

  it('reports a bad parameter value under params, naming the field', () => {
    expect(issuesOf({ ...base, params: { takeRate: { num: 5, den: 2 } } })).toEqual([
      { field: 'params.takeRate', message: 'ratio must satisfy 0 ≤ num ≤ den, den > 0' },
    ]);
    expect(issuesOf({ ...base, params: 5 })[0]!.field).toBe('params');
  });
});

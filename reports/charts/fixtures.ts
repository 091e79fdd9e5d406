import type { SweepAggregate } from '../../sim/sweep/aggregateSweep.ts';
import type { GridAxis } from '../../sim/sweep/parseGrid.ts';
import type { Row, RunData } from '../readRunDir.ts';

const HOUR = 3_600_000;

/** A made-up three-day run with smooth, exactly representable numbers: the golden charts' input. */
export function fixtureRun(): RunData {
  const metrics: Row[] = Array.from({ length: 72 }, (_, i) => {
    const h = i + 1;
    const day = Math.floor(i / 24);
    return {
      tMs: h * HOUR,
      day,
      treasuryUsdc: 250_000 - 12.5 * h,
      sigma: h < 48 ? 1 : 0.875,
      creditsIssuedCu: 5_000_000 + day * 250_000,
      creditsUsedCu: ((i % 24) + 1) * 100_000,
      includedQueued: i % 5,
      dedicatedQueued: i % 3,
      running: 10 + (i % 7),
      waitIncludedMsP50: 0,
      waitIncludedMsP95: (i % 12) * 5_000,
      waitIncludedMsP99: 0,
      waitDedicatedMsP50: 0,
      waitDedicatedMsP95: (i % 8) * 2_500,
      waitDedicatedMsP99: 0,
      goodputIncluded: i % 12 === 11 ? 0.875 : 1,
      goodputDedicated: i % 24 === 14 ? 0.75 : 1,
      utilisation: 0.25 + (i % 24) / 100,
      submitted: 100,
      completed: 99,
      expired: 1,
      failed: 0,
      denied: 2,
      workerIncomeUsdc: 4.5,
      activeWorkers: 20,
      activeHolders: 600,
    };
  });
  const workers: Row[] = Array.from({ length: 20 }, (_, i) => ({
    worker: `0x${i}`,
    operator: `Op ${i}`,
    region: 'DE',
    honest: 'true',
    left: 'false',
    capacityCuPerSec: 250,
    incomeUsdcPerDay: 1 + (i % 8) * 0.75,
    costUsdcPerDay: 5,
  }));
  const summary: RunData['summary'] = {
    scenario: 'fixture',
    question: 'Do the charts render?',
    seed: '1',
    days: 3,
    commit: 'golden',
    status: 'completed',
    finalStateHash: '0x00',
    params: { takeRate: { num: '5', den: '100' } },
    invariants: { checks: 3, violation: null },
    headline: { treasuryMinUsdc: 249_100, waitIncludedMsP95: 55_000 },
    expectations: [
      {
        label: 'treasury never below 0',
        subject: 'treasuryMinUsdc',
        op: '>=',
        value: 0,
        actual: 249_100,
        pass: true,
      },
    ],
  };
  return { summary, metrics, workers };
}

export function fixtureSweep(): { agg: SweepAggregate; grid: GridAxis[] } {
  const grid: GridAxis[] = [
    { key: 'params.takeRate.num', values: [5, 10] },
    { key: 'holders.count', values: [100, 200] },
  ];
  const cells = [0, 1, 2, 3].map((index) => ({
    index,
    assignments: {
      'params.takeRate.num': index < 2 ? 5 : 10,
      'holders.count': index % 2 ? 200 : 100,
    },
    runs: 10,
    incomplete: 0,
    expectationFailure: { 'treasury never below 0': index / 8 },
    anyExpectationFailure: index / 8,
    metrics: {
      treasuryEndUsdc: {
        p5: 1_000 * index,
        p50: 1_500 * index,
        p95: 2_000 * index,
        mean: 1_500 * index + 250,
      },
      goodputIncluded: { p5: 0.875, p50: 1 - index / 16, p95: 1, mean: 1 - index / 16 },
    },
    risk: {
      includedMissedShareP95: {
        value: index / 16,
        lo: index / 32,
        hi: index / 8,
        confidence: 0.96875,
        runs: 10,
        metric: 'includedMissedShare',
        label: 'p95 share of Included jobs missed (not done within SLO)',
      },
    },
    intervals: {},
  }));
  const fans = cells.map((c) => ({
    cell: c.index,
    column: 'treasuryUsdc',
    points: [1, 2, 3].map((day) => ({
      day,
      p5: 1_000 - 10 * day * (c.index + 1),
      p50: 1_000 - 5 * day * (c.index + 1),
      p95: 1_000,
    })),
  }));
  return {
    grid,
    agg: {
      scenario: 'fixture',
      days: 3,
      seeds: 10,
      runs: 40,
      cells,
      expectationFailure: {},
      fans,
      sensitivity: [
        {
          key: 'params.takeRate.num',
          metric: 'goodputIncluded',
          byValue: [
            { value: 5, mean: 0.96875 },
            { value: 10, mean: 0.84375 },
          ],
          effect: 0.125,
          relativeEffect: 0.137931,
        },
        {
          key: 'holders.count',
          metric: 'goodputIncluded',
          byValue: [
            { value: 100, mean: 0.875 },
            { value: 200, mean: 0.9375 },
          ],
          effect: 0.0625,
          relativeEffect: 0.068966,
        },
      ],
    },
  };
}

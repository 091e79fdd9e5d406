import { describe, expect, it } from 'vitest';
import { findingsMarkdown } from '../../reports/findings/findingsMarkdown.ts';
import { chatRequest } from '../../scenarios/calibrated.ts';
import { calibrationFile, figuresOf } from '../../scenarios/calibration.ts';
import type { SweepAggregate } from '../sweep/aggregateSweep.ts';
import { quantileInterval } from '../sweep/riskFigures.ts';
import { questions, withInterval } from './questions.ts';
import { findingsContext, sweepCommand } from './runFindings.ts';

const q = (id: string) => questions(findingsContext()).find((x) => x.id === id)!;

/** An aggregate whose cells hold the given per-seed values of some metrics. */
function aggregate(
  cells: Array<{ fail: number; values: Record<string, number[]> }>,
): SweepAggregate {
  return {
    scenario: 'test',
    days: 7,
    seeds: 20,
    runs: 20 * cells.length,
    expectationFailure: {},
    fans: [],
    sensitivity: [],
    cells: cells.map((c, index) => ({
      index,
      assignments: {},
      runs: 20,
      incomplete: 0,
      expectationFailure: {},
      anyExpectationFailure: c.fail,
      metrics: Object.fromEntries(
        Object.entries(c.values).map(([m, v]) => {
          const s = [...v].sort((a, b) => a - b);
          return [m, { p5: s[0]!, p50: s[10]!, p95: s[19]!, mean: s.reduce((a, b) => a + b) / 20 }];
        }),
      ),
      risk: {},
      intervals: Object.fromEntries(
        Object.entries(c.values).map(([m, v]) => [
          m,
          { p5: quantileInterval(v, 0.05), p95: quantileInterval(v, 0.95) },
        ]),
      ),
    })),
  };
}
const around = (x: number) => Array.from({ length: 20 }, (_, i) => x * (0.9 + i / 100));

describe('findings questions', () => {
  it('healthy: names the largest fleet (and bucket) whose runs all pass in 95 % of seeds', () => {
    const h = q('healthy');
    expect(h.grid.map((a) => a.key)).toEqual(['workers.count', 'params.dedicatedBurstMs']);
    const fleets = h.grid[0]!.values as number[];
    const cells = fleets.flatMap((f) =>
      [60_000, 300_000].map((b) => ({
        fail: f <= 4 && b === 300_000 ? 0.05 : 0.5,
        values: {
          honestWorkerIncomeOverCostP50: around(6 / f),
          paidToWorkersUsdc: around(600),
          goodputDedicated: around(b === 60_000 ? 0.98 : 0.9999).map((v) => Math.min(1, v)),
          goodputIncluded: around(1).map(() => 1),
          utilisationMean: around(0.1),
        },
      })),
    );
    const a = h.answer(aggregate(cells));
    expect(a.text).toMatch(
      /^With 4 RTX 4090-class workers instead of 20 and a Dedicated token bucket of 300 s/,
    );
    expect(a.table).toHaveLength(1 + cells.length);
    expect(a.table[1]![3]).toMatch(/^\d[\d.]* \[\d[\d.]*, \d[\d.]*\]/); // p5 with its interval
  });

  it('price-take: the smallest Dedicated price at which p5 of the median worker income over cost reaches 1', () => {
    const pt = q('price-take');
    const prices = pt.grid[0]!.values as number[];
    const takes = pt.grid[1]!.values as number[];
    const cells = prices.flatMap((p) =>
      takes.map((t) => ({
        fail: 0,
        values: {
          honestWorkerIncomeOverCostP50: around((p / 6) * (1 - t / 100) * 1.2),
          treasuryNetUsdc: around(100),
        },
      })),
    );
    const a = pt.answer(aggregate(cells));
    // p5 is 0.9 × (price / 6) × (1 − τ) × 1.2: price 6 suffices at τ 0 and 5 %, 12 at 10 %
    expect(a.text).toContain(
      'is: 6 µUSDC per CU at τ = 0 %; 6 µUSDC per CU at τ = 5 %; 12 µUSDC per CU at τ = 10 %.',
    );
    expect(a.text).toMatch(/API providers charge 0\.\d+–0\.\d+ µUSDC per CU/);
  });

  it('dedicated-load: answers in goodput, so a starved lane reads as missed jobs, not as a 0 s wait', () => {
    const d = q('dedicated-load');
    const n = d.grid[0]!.values.length;
    const cells = Array.from({ length: n }, (_, i) => ({
      fail: 0,
      values: {
        dedicatedDemandOverCapacity: around(0.4 * (i + 1)),
        includedMissedShare: around(i < 3 ? 0.001 : 0.6),
        goodputIncluded: around(i < 3 ? 0.999 : 0.4),
        goodputDedicated: around(0.99),
        jobsExpired: around(i * 100),
        waitIncludedMsP95: around(i === n - 1 ? 0 : 60_000),
        submissionsDenied: around(i * 10),
      },
    }));
    const a = d.answer(aggregate(cells));
    expect(a.text).toMatch(
      /Included goodput falls below 95 % \(median seed\) once Dedicated demand passes about \d+ %/,
    );
    expect(a.text).not.toContain('comes back');
    expect(a.table[0]).toContain('Included goodput p50');
    expect(a.table[0]).toContain('submissions refused p50');
    expect(a.table.at(-1)![2]).toMatch(/^4[0-9.]* %$/);
    // Goodput back at the top, with sponsors refused there: the answer says why.
    const back = cells.map((c, i) =>
      i === n - 1
        ? {
            ...c,
            values: {
              ...c.values,
              goodputIncluded: around(0.6),
              submissionsDenied: around(3_000_000),
            },
          }
        : c,
    );
    const b = d.answer(aggregate(back));
    expect(b.text).toMatch(
      /At the grid's top Included goodput comes back \(6\d(\.\d+)? % at utilisation 1\.5, against 4\d(\.\d+)? % at 0\.75\).*3,\d{3},\d{3} submissions refused/,
    );
    // Back, but nobody refused: no explanation is made up.
    const unexplained = back.map((c) => ({
      ...c,
      values: { ...c.values, submissionsDenied: around(5) },
    }));
    expect(d.answer(aggregate(unexplained)).text).not.toContain('comes back');
  });

  it('prints a tail percentile with its 95 % interval, and the level when seeds are too few', () => {
    const agg = aggregate([{ fail: 0, values: { treasuryNetUsdc: around(100) } }]);
    expect(withInterval(agg, 0, 'treasuryNetUsdc', 'p5', (v) => v.toFixed(1))).toBe(
      '90.0 [90.0, 93.0] (63 %)',
    );
  });

  it('the document states scale, seeds, days, run time and command per answer, and cites the calibration sources', () => {
    const h = q('free-tokens');
    const finding = {
      question: h,
      command: sweepCommand(h, {}, 'out/findings/free-tokens'),
      text: 'An answer.',
      table: [['a'], ['1']],
      scale: 1,
      seeds: '1..100',
      days: 7,
      runs: 100,
      ran: 0,
      seconds: 1.5,
      totalSeconds: 1692,
    };
    const doc = (findings: (typeof finding)[]) =>
      findingsMarkdown(findings, {
        command: 'npx onesim findings',
        commit: 'abcdef0123456',
        calibration: {
          figures: [...figuresOf(calibrationFile).values()],
          assumptions: calibrationFile.assumptions,
          inputWeight: chatRequest.inputWeight,
        },
      });
    const md = doc([finding]);
    // The introduction says whether any answer is scaled down, and which.
    expect(md).toContain('every answer ran at scale 1, the scenarios as written');
    const scaled = doc([finding, { ...finding, question: q('dedicated-load'), scale: 0.1 }]);
    expect(scaled).toContain(
      'not yet fast enough to run every question at scale 1 over hundreds of seeds',
    );
    expect(scaled).toContain(
      '(scaled down: "What a Dedicated flood does to the Included lane (goodput)" at 0.1)',
    );
    expect(scaled).not.toContain('every answer ran at scale 1');
    expect(md).toContain(
      'Scale 1, seeds 1..100 (100 per cell, 100 runs), 7 days; the sweep took 1,692 s',
    );
    expect(md).toContain(
      'npx onesim sweep baseline --seeds 1..100 --days 7 --scale 1 --out out/findings/free-tokens',
    );
    expect(md).toContain('## Calibration sources');
    for (const s of Object.values(calibrationFile.sources)) expect(md).toContain(s.url);
  });
});

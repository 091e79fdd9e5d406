import { formatMs, formatNumber } from '../../reports/format.ts';
import type { RecordMetric } from '../record/fields.ts';
import type { SweepAggregate } from '../sweep/aggregateSweep.ts';
import type { GridAxis } from '../sweep/parseGrid.ts';

export interface FindingsScale {
  scale: number;
  seeds: string;
  /** Days of the long (90-day) question; the others use their own short spans. */
  longDays: number;
}

export interface Question {
  id: string;
  title: string;
  scenario: string;
  days: number;
  grid: GridAxis[];
  /** The answer in one paragraph, and a table of the numbers it rests on. */
  answer(agg: SweepAggregate): { text: string; table: string[][] };
}

/** A record metric's spread over one cell's seeds; the name is checked against the run record's. */
const p = (
  agg: SweepAggregate,
  cell: number,
  metric: RecordMetric,
  q: 'p5' | 'p50' | 'p95' | 'mean',
) => agg.cells[cell]?.metrics[metric]?.[q] ?? Number.NaN;
const T = '1000000000000000000000';
const tiers = {
  kind: 'tiers',
  tiers: [
    { minStakeOneWei: T, creditsCu: '5000' },
    { minStakeOneWei: `${T}0`, creditsCu: '20000' },
    { minStakeOneWei: `${T}00`, creditsCu: '80000' },
  ],
};

/** Linear interpolation of where y crosses `level` along x (cells in x order); null when it never does. */
export function crossing(points: Array<[number, number]>, level: number): number | null {
  for (let i = 0; i < points.length; i++) {
    const [x1, y1] = points[i]!;
    if (y1 >= level) {
      if (i === 0) return x1;
      const [x0, y0] = points[i - 1]!;
      return x0 + ((level - y0) * (x1 - x0)) / (y1 - y0);
    }
  }
  return null;
}

export function questions(s: FindingsScale): Question[] {
  const allotments = [5_000, 20_000, 50_000, 100_000, 200_000];
  const takes = [0, 5, 10, 20, 40];
  const utilisations = [0.1, 0.25, 0.5, 0.75, 1, 1.5];
  return [
    {
      id: 'allotment',
      title: 'The largest daily allotment the fee revenue sustains for 90 days (p95)',
      scenario: 'baseline',
      days: s.longDays,
      grid: [{ key: 'params.creditsPerThresholdCu', values: allotments }],
      answer: (agg) => {
        const ok = allotments.filter(
          (_, i) => p(agg, i, 'treasuryNetUsdc', 'p5') >= 0 && p(agg, i, 'sigmaMin', 'p5') >= 0.99,
        );
        const best = ok.at(-1);
        return {
          text:
            best === undefined
              ? `No allotment in the grid is sustained: even A = ${formatNumber(allotments[0]!)} CU shrinks the treasury in more than 5 % of seeds.`
              : `A = ${formatNumber(best)} CU a day per T staked is the largest grid value at which, in 95 % of seeds, the treasury ends the ${agg.days} days no lower than it started (fees + take ≥ Included payouts) and σ never cuts credits.${best === allotments.at(-1) ? ' It is the top of the grid: holders’ demand, not the allotment, bounds Included spending here, so larger allotments cost no more.' : ''}`,
          table: [
            [
              'A (CU/day per T)',
              'treasury net p5 (USDC)',
              'treasury net p50',
              'σ min p5',
              'credits used/day p50',
            ],
            ...allotments.map((a, i) => [
              formatNumber(a),
              formatNumber(p(agg, i, 'treasuryNetUsdc', 'p5')),
              formatNumber(p(agg, i, 'treasuryNetUsdc', 'p50')),
              formatNumber(p(agg, i, 'sigmaMin', 'p5'), 3),
              formatNumber(p(agg, i, 'creditsUsedCuPerDayMean', 'p50'), 0),
            ]),
          ],
        };
      },
    },
    {
      id: 'take-rate',
      title: 'The break-even take rate',
      scenario: 'baseline',
      days: Math.min(30, s.longDays),
      grid: [{ key: 'params.takeRate.num', values: takes }],
      answer: (agg) => {
        const x = crossing(
          takes.map((t, i) => [t, p(agg, i, 'treasuryNetUsdc', 'p50')]),
          0,
        );
        return {
          text:
            x === null
              ? `Up to τ = ${takes.at(-1)} % the treasury still shrinks in the median seed: no take rate in the grid breaks even.`
              : `The treasury breaks even (median seed: fees + take = Included payouts) at τ ≈ ${formatNumber(x, 1)} %${x === 0 ? ' or below: Dedicated fees alone already cover Included payouts' : ''}. Workers’ median income over cost at each τ is in the table: the take comes out of their pay.`,
          table: [
            [
              'τ (%)',
              'treasury net p50 (USDC)',
              'treasury net p5',
              'take (USDC) p50',
              'worker income/cost p50',
            ],
            ...takes.map((t, i) => [
              String(t),
              formatNumber(p(agg, i, 'treasuryNetUsdc', 'p50')),
              formatNumber(p(agg, i, 'treasuryNetUsdc', 'p5')),
              formatNumber(p(agg, i, 'takeUsdc', 'p50')),
              formatNumber(p(agg, i, 'honestWorkerIncomeOverCostP50', 'p50'), 3),
            ]),
          ],
        };
      },
    },
    {
      id: 'sybil',
      title: 'How much a concave schedule leaks to sybils',
      scenario: 'sybil-split',
      days: 2,
      grid: [
        { key: 'params.allotmentSchedule', values: [{ kind: 'linear' }, { kind: 'sqrt' }, tiers] },
        { key: 'holders.stakeMinOne', values: [20_000, 1_000] },
      ],
      answer: (agg) => {
        const names = ['linear', 'sqrt', 'tiers (T: 5,000; 10 T: 20,000; 100 T: 80,000 CU)'];
        const rows = names.map((n, k) => {
          const whole = p(agg, 2 * k, 'allotmentCuPerThresholdStake', 'p50');
          const split = p(agg, 2 * k + 1, 'allotmentCuPerThresholdStake', 'p50');
          return [
            n,
            formatNumber(whole, 0),
            formatNumber(split, 0),
            `×${formatNumber(split / whole, 2)}`,
          ];
        });
        return {
          text: `A holder with 20 T who splits into 20 accounts of T gets ${rows[0]![3]} the credits under the linear schedule (sybil-neutral), ${rows[1]![3]} under sqrt and ${rows[2]![3]} under the tier schedule. (Credits a day per T staked, median over seeds, σ = 1.)`,
          table: [
            [
              'schedule',
              'CU/day per T, one account of ~20 T',
              'CU/day per T, accounts of ~T',
              'gain from splitting',
            ],
            ...rows,
          ],
        };
      },
    },
    {
      id: 'dedicated-load',
      title: 'The Dedicated load at which Included p95 wait passes 10 minutes',
      scenario: 'sponsor-flood',
      days: 2,
      grid: [{ key: 'sponsors.utilisation', values: utilisations }],
      answer: (agg) => {
        const pts: Array<[number, number]> = utilisations.map((_, i) => [
          p(agg, i, 'dedicatedDemandOverCapacity', 'mean'),
          p(agg, i, 'waitIncludedMsP95', 'p50'),
        ]);
        const x = crossing(pts, 600_000);
        const caveat =
          ' Waits count dispatched jobs only: past saturation more and more jobs expire unserved (last column), so the wait of the served ones understates the harm.';
        return {
          text:
            (x === null
              ? `Included p95 wait stays under 10 minutes up to a Dedicated demand of ${formatNumber(pts.at(-1)![0] * 100, 0)} % of fleet capacity (the grid's top): Dedicated jobs beyond their sponsors' capacity expire instead of starving Included.`
              : `Included p95 wait (median seed) passes 10 minutes at a Dedicated demand of about ${formatNumber(x * 100, 0)} % of fleet capacity (reserved CU/s × utilisation over the fleet's CU/s).`) +
            caveat,
          table: [
            [
              'sponsor utilisation',
              'Dedicated demand / capacity',
              'Included p95 wait p50',
              'Included p95 wait p95',
              'jobs expired p50',
            ],
            ...utilisations.map((u, i) => [
              String(u),
              `${formatNumber(pts[i]![0] * 100, 0)} %`,
              formatMs(pts[i]![1]),
              formatMs(p(agg, i, 'waitIncludedMsP95', 'p95')),
              formatNumber(p(agg, i, 'jobsExpired', 'p50'), 0),
            ]),
          ],
        };
      },
    },
  ];
}

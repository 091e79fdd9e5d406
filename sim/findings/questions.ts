import { formatMs, formatNumber } from '../../reports/format.ts';
import type { RecordMetric } from '../record/fields.ts';
import type { SweepAggregate } from '../sweep/aggregateSweep.ts';
import type { GridAxis } from '../sweep/parseGrid.ts';
import type { QuantileEstimate } from '../sweep/riskFigures.ts';

/** What the CLI may override for every question (a quick look); otherwise each question's own. */
export interface FindingsScale {
  scale?: number;
  seeds?: string;
  /** Days of every question (otherwise each question's own). */
  days?: number;
}

/** Market facts an answer compares with (from scenarios/calibration.json, passed in by the caller). */
export interface FindingsContext {
  /** What API providers charge per CU of the reference model, lowest and highest (micro-USDC). */
  marketMicroUsdcPerCuLow: number;
  marketMicroUsdcPerCuHigh: number;
  /** CU an active holder asks a day (calibrated). */
  cuPerActiveHolderPerDay: number;
  /** Default allotment A (CU a day per T). */
  defaultAllotmentCu: number;
  /** Default Dedicated price (micro-USDC per CU). */
  defaultDedicatedPrice: number;
  /** A calibrated worker's cost a day (USDC), and the share of holders active. */
  workerCostUsdcPerDay: number;
  holderActiveShare: number;
  /** Weight of an input token in CU (an output token is 1). */
  inputWeight: number;
}

export interface Question {
  id: string;
  title: string;
  scenario: string;
  days: number;
  /** The scale and seeds this question runs at by default: the largest that fits (see the doc). */
  scale: number;
  seeds: string;
  grid: GridAxis[];
  /** The answer in one paragraph, and a table of the numbers it rests on. */
  answer(agg: SweepAggregate): { text: string; table: string[][] };
}

type Q = 'p5' | 'p50' | 'p95' | 'mean';
/** A record metric's spread over one cell's seeds; the name is checked against the run record's. */
const p = (agg: SweepAggregate, cell: number, metric: RecordMetric, q: Q) =>
  agg.cells[cell]?.metrics[metric]?.[q] ?? Number.NaN;

/** A p5 or p95 with its interval, as the aggregate holds it (null when the sweep predates them). */
export const interval = (
  agg: SweepAggregate,
  cell: number,
  metric: RecordMetric,
  q: 'p5' | 'p95',
): QuantileEstimate | null => agg.cells[cell]?.intervals?.[metric]?.[q] ?? null;

/** "0.82 [0.75, 0.9]": a tail percentile with its 95 % confidence interval over seeds. */
export function withInterval(
  agg: SweepAggregate,
  cell: number,
  metric: RecordMetric,
  q: 'p5' | 'p95',
  format: (v: number) => string = (v) => formatNumber(v, 3),
): string {
  const i = interval(agg, cell, metric, q);
  if (i === null) return format(p(agg, cell, metric, q));
  const level = i.confidence >= 0.95 ? '' : ` (${formatNumber(i.confidence * 100, 0)} %)`;
  return `${format(i.value)} [${format(i.lo)}, ${format(i.hi)}]${level}`;
}

const pct = (v: number, digits = 1) => `${formatNumber(v * 100, digits)} %`;
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

/** The cells of a 2-D grid: index of (i along the first axis, j along the second). */
const at = (second: number) => (i: number, j: number) => i * second + j;

export function questions(c: FindingsContext): Question[] {
  const fleets = [3, 4, 5, 20];
  const bursts = [60_000, 300_000];
  const prices = [3, 6, 12];
  const takes = [0, 5, 10];
  const utilisations = [0.1, 0.25, 0.5, 0.75, 1, 1.5];
  const cellFb = at(bursts.length);
  const cellPt = at(takes.length);
  return [
    {
      id: 'healthy',
      title: "The nearest parameters at which ONE's defaults pass on the calibrated network",
      scenario: 'baseline',
      days: 7,
      scale: 1,
      seeds: '1..20',
      grid: [
        { key: 'workers.count', values: fleets },
        { key: 'params.dedicatedBurstMs', values: bursts },
      ],
      answer: (agg) => {
        const rows = fleets.flatMap((f, i) => bursts.map((b, j) => ({ f, b, k: cellFb(i, j) })));
        const passing = rows.filter((r) => (agg.cells[r.k]?.anyExpectationFailure ?? 1) <= 0.05);
        const best = passing.sort((a, b) => b.f - a.f || a.b - b.b)[0];
        const def = cellFb(fleets.length - 1, 0);
        const paidPerDay = p(agg, def, 'paidToWorkersUsdc', 'p50') / agg.days;
        const missedDedicated = 1 - p(agg, def, 'goodputDedicated', 'p50');
        const wide = cellFb(fleets.length - 1, bursts.length - 1);
        const why = `At the defaults (20 workers, a ${bursts[0]! / 1000} s bucket) some expectation fails in ${pct(agg.cells[def]?.anyExpectationFailure ?? Number.NaN, 0)} of seeds. Workers: the calibrated demand pays ${formatNumber(paidPerDay, 0)} USDC a day to the whole fleet (median seed), ${formatNumber(paidPerDay / 20, 2)} USDC per worker against a ${formatNumber(c.workerCostUsdcPerDay, 2)} USDC cost, so the median worker covers its cost in 95 % of seeds only when the fleet is sized to the demand. Dedicated goodput: ${pct(missedDedicated, 2)} of Dedicated jobs miss their SLO in the median seed, because a sponsor whose jobs arrive at random at 70 % of its reserved rate waits for its token bucket (${bursts[0]! / 1000} s of a small sponsor's rate holds about two jobs); with a ${bursts.at(-1)! / 1000} s bucket ${pct(1 - p(agg, wide, 'goodputDedicated', 'p50'), 2)} miss.`;
        const text =
          best === undefined
            ? `No cell of the grid passes every baseline expectation in 95 % of seeds. ${why}`
            : `With ${best.f} RTX 4090-class workers instead of 20 and a Dedicated token bucket of ${best.b / 1000} s instead of ${bursts[0]! / 1000} s, every baseline expectation holds in ${pct(1 - agg.cells[best.k]!.anyExpectationFailure, 0)} of seeds: the largest fleet in the grid that passes (\`healthy\` scenario). ${why}`;
        return {
          text,
          table: [
            [
              'workers',
              'token bucket',
              'any expectation fails',
              "median worker's income ÷ cost, p5 [95 % CI]",
              'Dedicated goodput p5 [CI]',
              'Included goodput p5 [CI]',
              'utilisation p50',
            ],
            ...fleets.flatMap((f, i) =>
              bursts.map((b, j) => {
                const k = cellFb(i, j);
                return [
                  String(f),
                  `${b / 1000} s`,
                  pct(agg.cells[k]?.anyExpectationFailure ?? Number.NaN, 0),
                  withInterval(agg, k, 'honestWorkerIncomeOverCostP50', 'p5', (v) =>
                    formatNumber(v, 2),
                  ),
                  withInterval(agg, k, 'goodputDedicated', 'p5', (v) => pct(v, 2)),
                  withInterval(agg, k, 'goodputIncluded', 'p5', (v) => pct(v, 2)),
                  pct(p(agg, k, 'utilisationMean', 'p50')),
                ];
              }),
            ),
          ],
        };
      },
    },
    {
      id: 'price-take',
      title: 'The Dedicated price and take rate at which the median worker covers its cost (p95)',
      scenario: 'baseline',
      days: 7,
      scale: 1,
      seeds: '1..20',
      grid: [
        { key: 'params.dedicatedPriceMicroUsdcPerCu', values: prices },
        { key: 'params.takeRate.num', values: takes },
      ],
      answer: (agg) => {
        const lines = takes.map((t, j) => {
          const ok = prices.find(
            (_, i) =>
              (interval(agg, cellPt(i, j), 'honestWorkerIncomeOverCostP50', 'p5')?.value ?? 0) >= 1,
          );
          return { t, ok };
        });
        const phrase = lines
          .map((l) =>
            l.ok === undefined
              ? `none up to ${prices.at(-1)} µUSDC per CU at τ = ${l.t} %`
              : `${l.ok} µUSDC per CU at τ = ${l.t} %`,
          )
          .join('; ');
        return {
          text: `On the baseline network (20 workers for 1,000 holders and 6 sponsors), the smallest Dedicated price in the grid at which the median honest worker covers its cost in 95 % of seeds is: ${phrase}. For comparison, API providers charge ${c.marketMicroUsdcPerCuLow}–${c.marketMicroUsdcPerCuHigh} µUSDC per CU for the same 8B-class model (calibration file), and ONE's default is already ${c.defaultDedicatedPrice}: the price lever works only because sponsors in the simulation keep buying whatever it costs (their demand does not fall with the price), so a price far above the market pays workers on paper only. The take rate moves workers' pay by τ; sizing the fleet to the demand (previous answer) is the lever that does not depend on sponsors overpaying.`,
          table: [
            [
              'Dedicated price (µUSDC/CU)',
              'τ (%)',
              "median worker's income ÷ cost, p5 [95 % CI]",
              'p50',
              'treasury net p50 (USDC)',
            ],
            ...prices.flatMap((pr, i) =>
              takes.map((t, j) => {
                const k = cellPt(i, j);
                return [
                  String(pr),
                  String(t),
                  withInterval(agg, k, 'honestWorkerIncomeOverCostP50', 'p5', (v) =>
                    formatNumber(v, 2),
                  ),
                  formatNumber(p(agg, k, 'honestWorkerIncomeOverCostP50', 'p50'), 2),
                  formatNumber(p(agg, k, 'treasuryNetUsdc', 'p50')),
                ];
              }),
            ),
          ],
        };
      },
    },
    {
      id: 'free-tokens',
      title: 'How many free tokens a day per T staked the fees sustain',
      scenario: 'baseline',
      days: 7,
      scale: 1,
      seeds: '1..100',
      grid: [],
      answer: (agg) => {
        const m = 'allotmentSustainedCuPerThresholdStake' as const;
        const p5 = interval(agg, 0, m, 'p5');
        const sigmaP5 = p(agg, 0, 'sigmaMin', 'p5');
        return {
          text: `The treasury's income other than Included compute (Dedicated fees, forfeited escrow, the take on Dedicated pay, less oracle fees) would pay for an allotment of ${withInterval(agg, 0, m, 'p5', (v) => formatNumber(v, 0))} CU a day per T staked in 95 % of seeds (p5 with its 95 % interval; median ${formatNumber(p(agg, 0, m, 'p50'), 0)}) if every holder used all its credits. A CU is one output token or ${formatNumber(1 / c.inputWeight, 1)} input tokens (scenarios/calibration.ts), so that is as many free output tokens a day per T. The default A = ${formatNumber(c.defaultAllotmentCu)} CU is ${p5 && p5.value >= c.defaultAllotmentCu ? 'within' : 'above'} it; at the default, Included spending is bounded by use, not by A: an active holder asks about ${formatNumber(c.cuPerActiveHolderPerDay)} CU a day and ${pct(1 - c.holderActiveShare, 0)} of holders ask nothing; the treasury's net over the run is in the table, and σ ${sigmaP5 >= 0.99 ? 'never cut credits in 95 % of seeds' : `fell to ${formatNumber(sigmaP5, 3)} in the worst 5 % of seeds`}.`,
          table: [
            ['figure', 'p5 [95 % CI]', 'p50', 'p95 [95 % CI]'],
            [
              'sustained allotment (CU a day per T)',
              withInterval(agg, 0, m, 'p5', (v) => formatNumber(v, 0)),
              formatNumber(p(agg, 0, m, 'p50'), 0),
              withInterval(agg, 0, m, 'p95', (v) => formatNumber(v, 0)),
            ],
            [
              'treasury net over the run (USDC)',
              withInterval(agg, 0, 'treasuryNetUsdc', 'p5', (v) => formatNumber(v, 0)),
              formatNumber(p(agg, 0, 'treasuryNetUsdc', 'p50'), 0),
              withInterval(agg, 0, 'treasuryNetUsdc', 'p95', (v) => formatNumber(v, 0)),
            ],
            [
              'credits used a day (CU)',
              withInterval(agg, 0, 'creditsUsedCuPerDayMean', 'p5', (v) => formatNumber(v, 0)),
              formatNumber(p(agg, 0, 'creditsUsedCuPerDayMean', 'p50'), 0),
              withInterval(agg, 0, 'creditsUsedCuPerDayMean', 'p95', (v) => formatNumber(v, 0)),
            ],
          ],
        };
      },
    },
    {
      id: 'sybil',
      title: 'How much a concave schedule leaks to sybils',
      scenario: 'sybil-split',
      days: 2,
      scale: 1,
      seeds: '1..10',
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
      title: 'What a Dedicated flood does to the Included lane (goodput)',
      scenario: 'sponsor-flood',
      days: 2,
      scale: 1,
      seeds: '1..5',
      grid: [{ key: 'sponsors.utilisation', values: utilisations }],
      answer: (agg) => {
        const load = (i: number) => p(agg, i, 'dedicatedDemandOverCapacity', 'mean');
        const pts: Array<[number, number]> = utilisations.map((_, i) => [
          load(i),
          p(agg, i, 'includedMissedShare', 'p50'),
        ]);
        const x = crossing(pts, 0.05);
        const good = (i: number) => p(agg, i, 'goodputIncluded', 'p50');
        const refused = (i: number) => p(agg, i, 'submissionsDenied', 'p50');
        // Past saturation, goodput can come back at the grid's top: there sponsors use up their
        // reservations early and are refused (seen at scale 1, seed 1: 3.18M ReservationExhausted
        // refusals, all in the last 8 of each 24 hours, at utilisation 1.5; 6,921 at 1).
        const top = utilisations.length - 1;
        let worst = 0;
        for (let i = 1; i < top; i++) if (good(i) < good(worst)) worst = i;
        const comesBack = good(top) > good(worst) + 0.05 && refused(top) > refused(worst);
        return {
          text: `${
            x === null
              ? `Up to a Dedicated demand of ${pct(load(top), 0)} of fleet capacity (the grid's top), Included goodput stays above 95 % in the median seed.`
              : `Included goodput falls below 95 % (median seed) once Dedicated demand passes about ${pct(x, 0)} of fleet capacity (reserved CU/s × utilisation over the fleet's CU/s);`
          } past saturation, Dedicated priority starves the Included lane: its jobs wait out their 5-minute deadline and expire, so the share missed climbs while the p95 wait of the few still served can even fall (only served jobs have a wait; the last column shows it). Goodput counts the expired as misses.${
            comesBack
              ? ` At the grid's top Included goodput comes back (${pct(good(top), 2)} at utilisation ${utilisations[top]}, against ${pct(good(worst), 2)} at ${utilisations[worst]}): sponsors who submit faster than they reserved use up their reservation's CU before it ends and are refused for the rest of it (${formatNumber(refused(top), 0)} submissions refused in the median seed, against ${formatNumber(refused(worst), 0)}), and the Included lane is served meanwhile. Reservations bound the flood in time, not in rate.`
              : ''
          }`,
          table: [
            [
              'sponsor utilisation',
              'Dedicated demand / capacity',
              'Included goodput p50',
              'Included missed p95 [95 % CI]',
              'Dedicated goodput p50',
              'jobs expired p50',
              'Included p95 wait of served jobs, p50',
              'submissions refused p50',
            ],
            ...utilisations.map((u, i) => [
              String(u),
              pct(load(i), 0),
              pct(p(agg, i, 'goodputIncluded', 'p50'), 2),
              withInterval(agg, i, 'includedMissedShare', 'p95', (v) => pct(v, 2)),
              pct(p(agg, i, 'goodputDedicated', 'p50'), 2),
              formatNumber(p(agg, i, 'jobsExpired', 'p50'), 0),
              formatMs(p(agg, i, 'waitIncludedMsP95', 'p50')),
              formatNumber(refused(i), 0),
            ]),
          ],
        };
      },
    },
  ];
}

import { csvRecords, integersWholeElseSixSignificant } from '../io/csv.ts';
import { LogHistogram } from './logHistogram.ts';

/** The columns of metrics.csv, in order: what series expectations and sweep fans name. */
export const metricsColumns = [
  'tMs',
  'day',
  'treasuryUsdc',
  'sigma',
  'creditsIssuedCu',
  'creditsUsedCu',
  'includedQueued',
  'dedicatedQueued',
  'running',
  'waitIncludedMsP50',
  'waitIncludedMsP95',
  'waitIncludedMsP99',
  'waitDedicatedMsP50',
  'waitDedicatedMsP95',
  'waitDedicatedMsP99',
  'goodputIncluded',
  'goodputDedicated',
  'utilisation',
  'submitted',
  'completed',
  'expired',
  'failed',
  'denied',
  'workerIncomeUsdc',
  'activeWorkers',
  'activeHolders',
  'availabilityMean',
  'auditsOpened',
  'slashes',
  'jailedWorkers',
  /** Share of deployed models' time under-replicated in the interval (0 without deployments). */
  'underReplicatedShare',
] as const;
export type MetricsColumn = (typeof metricsColumns)[number];

/** One row of metrics.csv: a fixed-interval sample of the network. */
export type MetricsRow = Record<MetricsColumn, number>;

/** Counters for one interval and for the whole run; memory stays fixed however long the run. */
export class MetricsCollector {
  readonly waitIncluded = new LogHistogram();
  readonly waitDedicated = new LogHistogram();
  readonly waitIncludedTotal = new LogHistogram();
  readonly waitDedicatedTotal = new LogHistogram();
  submitted = 0;
  completed = 0;
  expired = 0;
  failed = 0;
  denied = 0;
  workerIncomeMicroUsdc = 0n;
  /** Jobs that ended in the interval, per lane (0 Included, 1 Dedicated), and those within the lane's SLO. */
  private readonly ended = [0, 0];
  private readonly withinSlo = [0, 0];
  /** Over the run, per lane: jobs submitted, ended (completed, expired or failed) and completed within SLO. */
  readonly lanes = {
    submitted: [0, 0],
    ended: [0, 0],
    withinSlo: [0, 0],
  };
  readonly totals = {
    submitted: 0,
    completed: 0,
    expired: 0,
    failed: 0,
    denied: 0,
    expiredIncluded: 0,
    expiredDedicated: 0,
  };
  treasuryMinUsdc = Number.POSITIVE_INFINITY;
  sigmaMin = 1;
  utilisationSum = 0;
  samples = 0;

  recordWait(lane: number, waitMs: number): void {
    if (lane === 0) {
      this.waitIncluded.add(waitMs);
      this.waitIncludedTotal.add(waitMs);
    } else {
      this.waitDedicated.add(waitMs);
      this.waitDedicatedTotal.add(waitMs);
    }
  }

  countSubmitted(lane: number): void {
    this.lanes.submitted[lane === 0 ? 0 : 1]! += 1;
  }

  /** A job ended: completed within its lane's SLO, or not (late, expired or failed: a miss). */
  recordEnd(lane: number, withinSlo: boolean): void {
    const k = lane === 0 ? 0 : 1;
    this.ended[k]! += 1;
    this.lanes.ended[k]! += 1;
    if (withinSlo) {
      this.withinSlo[k]! += 1;
      this.lanes.withinSlo[k]! += 1;
    }
  }

  /** Goodput of a lane over the run: jobs within SLO over jobs that ended (1 when none ended). */
  goodput(lane: number): number {
    const k = lane === 0 ? 0 : 1;
    const n = this.lanes.ended[k]!;
    return n === 0 ? 1 : this.lanes.withinSlo[k]! / n;
  }

  count(kind: 'submitted' | 'completed' | 'expired' | 'failed' | 'denied'): void {
    this[kind] += 1;
    this.totals[kind] += 1;
  }

  /** Closes the interval: returns the row, resets the interval counters. */
  sample(
    fields: Omit<
      MetricsRow,
      | 'waitIncludedMsP50'
      | 'waitIncludedMsP95'
      | 'waitIncludedMsP99'
      | 'waitDedicatedMsP50'
      | 'waitDedicatedMsP95'
      | 'waitDedicatedMsP99'
      | 'goodputIncluded'
      | 'goodputDedicated'
      | 'submitted'
      | 'completed'
      | 'expired'
      | 'failed'
      | 'denied'
      | 'workerIncomeUsdc'
    >,
  ): MetricsRow {
    const row: MetricsRow = {
      ...fields,
      waitIncludedMsP50: this.waitIncluded.quantile(0.5),
      waitIncludedMsP95: this.waitIncluded.quantile(0.95),
      waitIncludedMsP99: this.waitIncluded.quantile(0.99),
      waitDedicatedMsP50: this.waitDedicated.quantile(0.5),
      waitDedicatedMsP95: this.waitDedicated.quantile(0.95),
      waitDedicatedMsP99: this.waitDedicated.quantile(0.99),
      goodputIncluded: this.ended[0] === 0 ? 1 : this.withinSlo[0]! / this.ended[0]!,
      goodputDedicated: this.ended[1] === 0 ? 1 : this.withinSlo[1]! / this.ended[1]!,
      submitted: this.submitted,
      completed: this.completed,
      expired: this.expired,
      failed: this.failed,
      denied: this.denied,
      workerIncomeUsdc: Number(this.workerIncomeMicroUsdc) / 1e6,
    };
    this.treasuryMinUsdc = Math.min(this.treasuryMinUsdc, fields.treasuryUsdc);
    this.sigmaMin = Math.min(this.sigmaMin, fields.sigma);
    this.utilisationSum += fields.utilisation;
    this.samples += 1;
    this.waitIncluded.reset();
    this.waitDedicated.reset();
    this.submitted = this.completed = this.expired = this.failed = this.denied = 0;
    this.ended[0] = this.ended[1] = this.withinSlo[0] = this.withinSlo[1] = 0;
    this.workerIncomeMicroUsdc = 0n;
    return row;
  }
}

/** metrics.csv: a header and one line per row, rounded for stable, diff-able files (6 significant digits at most). */
export function metricsCsv(rows: readonly MetricsRow[]): string {
  return csvRecords([metricsColumns, ...rows.map((r) => metricsColumns.map((c) => r[c]))], {
    number: integersWholeElseSixSignificant,
  });
}

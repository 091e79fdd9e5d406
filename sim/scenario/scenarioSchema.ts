import { z } from 'zod';
import { InputError } from '../../protocol/errors.ts';
import type { FilePosition } from '../validate/parseJsonFile.ts';
import { findUnknownKeys, unknownKeyField } from '../validate/unknownKeys.ts';
import { type FieldIssue, fieldIssues } from '../validate/zodIssues.ts';
import { expectationSchema } from './expectationSchema.ts';
import { paramsInputSchema } from './paramsInputSchema.ts';
import {
  adversariesSchema,
  oraclesSchema,
  profileWorkersSchema,
  sealedJobsSchema,
} from './verificationSchema.ts';

const share = z.number().min(0).max(1);
const positive = z.number().positive();
const count = z.number().int().nonnegative();

export const modelMixSchema = z.object({
  name: z.string().min(1),
  /** Compute units one request costs. */
  cuPerRequest: z.number().int().positive(),
  /** Relative share of requests (any positive scale). */
  weight: positive,
});

export const holdersSchema = z.object({
  count: count,
  /** Stakes are Pareto(xm = stakeMinOne, alpha): heavy-tailed, as token holdings are. */
  stakeMinOne: positive.default(1_000),
  stakeParetoAlpha: positive.default(1.5),
  /** Share of holders who use their credits at all. */
  activeShare: share.default(0.6),
  /** Jobs a day for an active holder: log-normal with this median and sigma. */
  jobsPerDayMedian: positive.default(2),
  jobsPerDaySigma: z.number().min(0).default(1),
  /** Holders × multiplier by the last day (new holders join every day); 1 = no growth. */
  growthMultiplier: positive.default(1),
  /** A holder denied at least this share of its requests in a day may unstake and leave. */
  leaveWhenDeniedShare: share.default(0.5),
  leaveProbability: share.default(0.2),
});

export const sponsorsSchema = z.object({
  count: count,
  rateCuPerSecMin: positive.default(20),
  rateCuPerSecMax: positive.default(200),
  reservationHours: z.number().int().positive().default(24),
  /** Share of reserved capacity a sponsor's jobs actually use. */
  utilisation: z.number().min(0).max(2).default(0.7),
  /** Sponsors renew reservations until this day (exclusive); null = for the whole run. */
  stopRenewingOnDay: z.number().int().nonnegative().nullable().default(null),
});

export const workersSchema = z.object({
  count: count,
  slots: z.number().int().positive().default(4),
  capacityCuPerSecMedian: positive.default(400),
  capacityCuPerSecSigma: z.number().min(0).default(0.4),
  modelsPerWorker: z.number().int().positive().default(2),
  /** Operating cost a day in USDC (electricity, hardware amortisation). */
  costUsdcPerDayMedian: z.number().min(0).default(10),
  /** A worker whose income stayed below cost for this many days in a row leaves; null = never. */
  leaveAfterDaysBelowCost: z.number().int().positive().nullable().default(null),
  /** Workers claim each epoch's payout (a Merkle proof each) as soon as it is posted; income counts from settlement either way. */
  claimPayouts: z.boolean().default(true),
});

export const demandSchema = z.object({
  diurnalAmplitude: share.default(0.5),
  peakHour: z.number().min(0).max(24).default(15),
  bursts: z
    .array(
      z.object({
        day: count,
        startHour: z.number().min(0).max(24),
        hours: positive,
        multiplier: positive,
      }),
    )
    .default([]),
});

export const faultsSchema = z.object({
  /** Worker crashes: a Poisson process per worker; a crash loses the running jobs. */
  crashesPerWorkerDay: z.number().min(0).default(0.05),
  restartMinutesMean: positive.default(30),
  /** Results reach the protocol up to this much late (network delay). */
  resultDelayMsMax: z.number().int().min(0).default(500),
});

/**
 * Deployments (protocol/README.md, "Deployments"): every scenario model is deployed with
 * `replicas` replicas, and its jobs go only to workers holding a ready one. Absent: models are
 * served by the workers that list them, as before deployments.
 */
export const deploymentsSchema = z.object({
  /** Target replicas per model (k). */
  replicas: z.number().int().min(1).max(64).default(3),
  /** Each model's size (GB of weights to transfer). */
  modelSizeGb: positive.default(16),
  /** Every worker's memory for deployed models (GB). */
  workerMemoryGb: positive.default(48),
  /** Worker download bandwidth: log-normal with this median (Mbit/s) and sigma. */
  bandwidthMbpsMedian: positive.default(1_000),
  bandwidthSigma: z.number().min(0).default(0.5),
  /** The origin's rate to one fetching worker (Mbit/s) when no peer holds the model. */
  originMbps: positive.default(200),
  /** Each ready peer adds this much (Mbit/s) to a fetch (R1FS-style), up to the worker's own bandwidth. */
  peerMbps: positive.default(500),
  /** A worker that dropped a ready replica this recently (hours) re-readies at once from its cache; 0 = no cache. */
  cacheHours: z.number().min(0).default(6),
  /** Scale replicas with demand: every `scaleEveryMinutes`, target = ceil(jobs an hour / this), from k up to replicasMax; null = fixed k. */
  jobsPerReplicaPerHour: positive.nullable().default(null),
  replicasMax: z.number().int().min(1).max(64).default(8),
  scaleEveryMinutes: positive.default(60),
});

/**
 * Service-level objectives per lane: a job is served well (counts toward goodput) when it
 * completes within this long of its submission. Defaults: Dedicated at MLPerf's server bounds
 * for llama3_1-8b (2 s to first token + 100 ms per output token × 211 mean output tokens),
 * Included 2 minutes (see scenarios/calibration.json).
 */
export const sloSchema = z.object({
  includedMs: z.number().int().positive().default(120_000),
  dedicatedMs: z.number().int().positive().default(23_110),
});

export const runSchema = z.object({
  metricsIntervalMs: z.number().int().positive().default(3_600_000),
  /** State invariants are checked this often (ms of simulated time); 0 = after every action. */
  invariantCheckIntervalMs: z.number().int().min(0).default(21_600_000),
  eventsMax: z.number().int().positive().default(2_000_000_000),
  queueMax: z.number().int().positive().default(20_000_000),
});

/** A scenario as users write it (defaults fill the rest). */
export const scenarioSchema = z.object({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes'),
  question: z.string().min(1),
  /** What the scenario found, in words (measured failure probabilities and the command behind them). */
  description: z.string().min(1).optional(),
  days: z.number().int().positive().default(30),
  /** Protocol parameter overrides (defaults in protocol/params.ts). */
  params: paramsInputSchema.default({}),
  treasuryGenesisUsdc: z.number().min(0).default(1_000_000),
  models: z.array(modelMixSchema).min(1),
  holders: holdersSchema,
  sponsors: sponsorsSchema,
  workers: workersSchema,
  demand: demandSchema.default({ diurnalAmplitude: 0.5, peakHour: 15, bursts: [] }),
  faults: faultsSchema.default({
    crashesPerWorkerDay: 0.05,
    restartMinutesMean: 30,
    resultDelayMsMax: 500,
  }),
  oracles: oraclesSchema.default(oraclesSchema.parse({})),
  adversaries: adversariesSchema.default(adversariesSchema.parse({})),
  /** Sealed jobs (absent: none; absent rather than defaulted, so resolved scenarios read as before). */
  sealedJobs: sealedJobsSchema.optional(),
  profileWorkers: profileWorkersSchema.default(profileWorkersSchema.parse({})),
  slo: sloSchema.default({ includedMs: 120_000, dedicatedMs: 23_110 }),
  deployments: deploymentsSchema.optional(),
  /** Checked after every run: `onesim run` exits 1 when one fails; sweeps give each one's failure probability. */
  expectations: z.array(expectationSchema).default([]),
  run: runSchema.default({
    metricsIntervalMs: 3_600_000,
    invariantCheckIntervalMs: 21_600_000,
    eventsMax: 2_000_000_000,
    queueMax: 20_000_000,
  }),
});

export type ScenarioInput = z.input<typeof scenarioSchema>;
export type Scenario = z.output<typeof scenarioSchema>;

export class ScenarioParseError extends InputError {
  override name = 'ScenarioParseError';
  constructor(
    readonly source: string,
    readonly issues: FieldIssue[],
  ) {
    super(
      `${source}: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`,
      issues[0]?.field,
    );
  }
}

/** A scenario file that cannot be read or loaded (a syntax error, bad JSON): names file:line:column. */
export class ScenarioFileError extends ScenarioParseError {
  override name = 'ScenarioFileError';
  constructor(
    readonly file: string,
    readonly reason: string,
    readonly at: FilePosition | null,
  ) {
    super(file, [{ field: '(file)', message: reason }]);
    this.message = `${file}${at ? `:${at.line}:${at.column}` : ''}: ${reason}`;
  }
}

/**
 * Validates a scenario, filling defaults; throws ScenarioParseError naming each bad field.
 * Strict: a key the schema does not know (`workerz`, `holders.cuont`, `params.takeRat`) is an
 * error naming the closest valid key, listed before the other problems.
 */
export function parseScenario(input: unknown, source = 'scenario'): Scenario {
  const unknown = findUnknownKeys(scenarioSchema, input).map((u) => ({
    field: unknownKeyField(u),
    message: u.message,
  }));
  const r = scenarioSchema.safeParse(input);
  if (r.success && unknown.length === 0) return r.data;
  throw new ScenarioParseError(source, [
    ...unknown,
    ...(r.success ? [] : fieldIssues(r.error.issues, input)),
  ]);
}

/** Identity with types: scenario files export `defineScenario({...})`. */
export const defineScenario = (s: ScenarioInput): ScenarioInput => s;

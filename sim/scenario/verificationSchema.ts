import { z } from 'zod';

const share = z.number().min(0).max(1);
const count = z.number().int().nonnegative();

export const oraclesSchema = z.object({
  count: count.default(5),
  /** Oracles 0..colluding−1 cover for lazy workers: they vote "match" on every audit. */
  colluding: count.default(0),
  /** Oracles re-execute sampled jobs within this long after the audit opens. */
  verdictDelayMinutesMax: z.number().positive().default(60),
  /** Each oracle misses a heartbeat with this probability (network loss). */
  heartbeatLoss: share.default(0.0005),
  /** Simulate heartbeats for Proof-of-Availability (8,640 a node a day per oracle); off for huge runs. */
  heartbeats: z.boolean().default(true),
  /** Days on which no oracle posts availability (a PoA outage: the day is faulty). */
  outageDays: z.array(count).default([]),
});

export const adversariesSchema = z.object({
  /** Workers that fake a share of results to save cost. */
  lazyWorkers: z
    .object({ count: count, fakeShare: share, savingUsdcPerFakedJob: z.number().min(0) })
    .default({ count: 0, fakeShare: 0.5, savingUsdcPerFakedJob: 0.001 }),
  /** Workers whose heartbeats go on and off. */
  flappingWorkers: z
    .object({ count: count, onMinutes: z.number().positive(), offMinutes: z.number().positive() })
    .default({ count: 0, onMinutes: 30, offMinutes: 10 }),
  /** Holders that split their stake across `splits` accounts. */
  sybilHolders: z
    .object({ count: count, splits: z.number().int().min(2) })
    .default({ count: 0, splits: 10 }),
  /** Holders that stake just before each day boundary and unstake right after. */
  flashStakers: z
    .object({ count: count, stakeOne: z.number().positive() })
    .default({ count: 0, stakeOne: 10_000 }),
  /** Sponsors that reserve capacity and never use it. */
  griefingSponsors: z.object({ count: count }).default({ count: 0 }),
});

/**
 * Sealed jobs (payload encrypted to the worker): which share of submitted jobs is sealed, which
 * share of those the requester opts in to audits (re-encrypts to the committee: 'auditable'), and,
 * when params.sealedAudit is 'tee', how often a trusted-execution attestation of a wrong result
 * passes anyway (a broken enclave: the committee then votes "match").
 */
export const sealedJobsSchema = z.object({
  share: share,
  auditOptInShare: share.default(0),
  teeFailureRate: share.default(0),
  /**
   * Lazy workers see which jobs are sealed and fake only where audits are weakest (sealed jobs
   * no oracle can read; under 'tee', sealed jobs): false = they fake any job alike.
   */
  lazyTargetSealed: z.boolean().default(false),
});

/** Workers with a measured capacity (from a harness capacity profile), reported separately. */
export const profileWorkersSchema = z.object({
  count: count.default(0),
  capacityCuPerSec: z.number().positive().default(1),
  slots: z.number().int().positive().default(4),
  label: z.string().default(''),
});

export type SealedJobsConfig = z.output<typeof sealedJobsSchema>;
export type OraclesConfig = z.output<typeof oraclesSchema>;
export type AdversariesConfig = z.output<typeof adversariesSchema>;

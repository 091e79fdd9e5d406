import { z } from 'zod';
import { InputError } from './errors.ts';
import { uint64Max, uint256Max } from './onChainTypes.ts';
import { ONE, type Ratio, USDC } from './units.ts';

/**
 * A non-negative integer amount that the contracts' uint256 holds: a bigint, a decimal string
 * or a safe integer number.
 */
export const bigintInput = z
  .union([
    z.bigint(),
    z.string().regex(/^\d+$/, 'expected a non-negative integer'),
    z.number().int(),
  ])
  .transform((v) => BigInt(v))
  .pipe(z.bigint().nonnegative().max(uint256Max, 'must fit uint256 (at most 2^256 − 1)'));

/** An amount the contracts hold in a uint64 (a receipt's units and price). */
export const uint64Input = bigintInput.pipe(
  z.bigint().max(uint64Max, 'must fit uint64 (at most 2^64 − 1)'),
);

const ratioInput = z
  .object({ num: bigintInput, den: bigintInput })
  .refine((r) => r.den > 0n && r.num <= r.den, 'ratio must satisfy 0 ≤ num ≤ den, den > 0');

const ms = z.number().int().positive();
const address = z
  .string()
  .regex(/^0x[0-9a-f]{40}$/, 'expected a lower-case 0x address')
  .transform((v) => v as `0x${string}`);

/** How stake turns into nominal daily credits. `linear` is the default and sybil-neutral. */
export const allotmentScheduleSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('linear') }),
  /** Concave: credits = A · sqrt(stake / T). Rewards splitting stake (what `sybil-split` shows). */
  z.object({ kind: z.literal('sqrt') }),
  /** Step tiers: the highest tier whose minimum the stake reaches; ascending minimums. */
  z.object({
    kind: z.literal('tiers'),
    tiers: z
      .array(z.object({ minStakeOneWei: bigintInput, creditsCu: bigintInput }))
      .min(1)
      .refine(
        (t) => t.every((x, i) => i === 0 || x.minStakeOneWei > t[i - 1]!.minStakeOneWei),
        'tiers must have strictly ascending minStakeOneWei',
      ),
  }),
]);
export type AllotmentSchedule = z.infer<typeof allotmentScheduleSchema>;

/**
 * Ratio1's deployed reward rules (PROTOCOL.md §10), read only under `rewardRules: 'ratio1'`.
 * Amounts are USDC: Ratio1 pays licences in R1 and prices jobs in USDC; onesim values R1 at
 * $1 ([ours]) so both sit in one currency.
 */
export const ratio1ParamsSchema = z.object({
  /** A licence's release for a day at full availability (Ratio1: ND_MAX_RELEASE_PER_DAY, 1.4585 R1). */
  maxReleasePerDayMicroUsdc: bigintInput.default(1_458_508n),
  /** The most a licence mines over its life (Ratio1: ND_MAX_MINING_PER_LICENSE, 1,575.19 R1 over 1,080 days). */
  licenceMiningCapMicroUsdc: bigintInput.default(1_575_188_843n),
  /** What the Proof-of-AI escrow pays a node proposed active, per day (Ratio1's GPU job type G_ENTRY_MED2). */
  poaiPricePerEpochMicroUsdc: bigintInput.default(4_116_666n),
  /** The share of each escrow payment burned (Ratio1: BURN_PERCENTAGE 15). */
  burnShare: ratioInput.default({ num: 15n, den: 100n }),
  /** Job consensus is attempted after ⌊n · share⌋ + 1 oracle proposals (Ratio1: 1/2). */
  consensusSubmitShare: ratioInput.default({ num: 1n, den: 2n }),
  /** A proposal is accepted with ⌊n · share⌋ + 1 matching ones (Ratio1: 1/3). */
  consensusMatchShare: ratioInput.default({ num: 1n, den: 3n }),
  /** How far an oracle's own score may lie from the median and still agree (Ratio1: 2 · (255 − 250)). */
  availabilityMarginScore: z.number().int().min(0).max(255).default(10),
  /** An oracle proposes a node as active when it scored it at least this ([ours]: half a day). */
  activeMinScore: z.number().int().min(0).max(255).default(128),
});
export type Ratio1Params = z.output<typeof ratio1ParamsSchema>;

/** The reward rule sets: ONE's (per verified CU, slashing) and Ratio1's (presence, no slashing). */
export const rewardRuleSets = ['one', 'ratio1'] as const;
export type RewardRules = (typeof rewardRuleSets)[number];

/**
 * How Proof-of-AI treats sealed jobs (an oracle can re-execute one only if it can read it):
 * 'opt-in' samples those whose requester re-encrypted them to the committee ('auditable');
 * 'unaudited' samples none; 'tee' samples all, the committee checking the worker's
 * trusted-execution attestation instead of re-executing (how often such an attestation of a
 * wrong result passes is a property of the world, not a rule: the simulator's `sealedJobs`).
 */
export const sealedAuditPolicies = ['opt-in', 'unaudited', 'tee'] as const;
export type SealedAuditPolicy = (typeof sealedAuditPolicies)[number];

const paramsObject = z.object({
  dayMs: ms.default(86_400_000),
  settlementEpochMs: ms.default(21_600_000),
  /** Threshold T: the minimum snapshotted stake that earns credits. */
  stakeThresholdOneWei: bigintInput.default(1_000n * ONE),
  /** A: nominal CU per day for a stake of exactly T (linear schedule). */
  creditsPerThresholdCu: bigintInput.default(5_000n),
  allotmentSchedule: allotmentScheduleSchema.default({ kind: 'linear' }),
  unstakeUnbondingMs: ms.default(7 * 86_400_000),
  includedPriceMicroUsdcPerCu: bigintInput.default(2n),
  dedicatedPriceMicroUsdcPerCu: bigintInput.default(3n),
  /** B_max: the most the treasury pays for Included compute in one day. */
  includedBudgetMaxMicroUsdc: bigintInput.default(20_000n * USDC),
  /** The treasury bound spends at most treasury / runwayDays per day. */
  runwayDays: z.number().int().positive().default(90),
  /** φ: fee on a Dedicated reservation, charged on top of its cost, to the treasury. */
  dedicatedFee: ratioInput.default({ num: 1n, den: 10n }),
  /** τ: take rate on every settled receipt, to the treasury. */
  takeRate: ratioInput.default({ num: 5n, den: 100n }),
  /** Token-bucket depth of a reservation, as milliseconds of its reserved rate. */
  dedicatedBurstMs: ms.default(60_000),
  reservationMinMs: ms.default(3_600_000),
  reservationMaxMs: ms.default(90 * 86_400_000),
  jobDeadlineDefaultMs: ms.default(300_000),
  jobDeadlineMaxMs: ms.default(1_800_000),
  /** Slack after a deadline within which an open job must have been expired and refunded. */
  jobGraceMs: ms.default(60_000),
  workerBondMinMicroUsdc: bigintInput.default(500n * USDC),
  workerUnbondingMs: ms.default(7 * 86_400_000),
  workerSlotsMax: z.number().int().positive().default(256),
  workerModelsMax: z.number().int().positive().default(32),
  /** How many free workers the router compares (by reliability) before choosing; a bound. */
  routingScanMax: z.number().int().positive().default(8),
  jobsOpenMax: z.number().int().positive().default(5_000_000),
  governor: address.default('0x00000000000000000000000000000000000000a0'),
  timelockMs: ms.default(2 * 86_400_000),
  // — Verification layer (PROTOCOL.md §2, §8) —
  /** Registration needs an attestation signed by one of `attestors` (Ratio1's dAuth + KYC). */
  kycRequired: z.boolean().default(true),
  attestors: z.array(address).default(['0x00000000000000000000000000000000000000a1']),
  jailMs: ms.default(7 * 86_400_000),
  /** Workers whose last availability score is below this take no jobs (0 = no gate). */
  availabilityMinScore: z.number().int().min(0).max(255).default(128),
  /** Routing compares reliability × availability score instead of reliability alone. */
  availabilityWeighting: z.boolean().default(true),
  /** Paid from the treasury at each availability day, split by score (0 = none). */
  availabilityRewardMicroUsdcPerDay: bigintInput.default(0n),
  poaOracleMinScore: z.number().int().min(0).max(255).default(230),
  poaQuorumOfRegistered: ratioInput.default({ num: 30n, den: 100n }),
  poaQuorumOfOnline: ratioInput.default({ num: 40n, den: 100n }),
  /** Proof-of-AI: the share of receipts re-executed by a committee. */
  auditSampleRate: ratioInput.default({ num: 5n, den: 100n }),
  auditCommitteeSize: z.number().int().positive().default(3),
  /** Mismatch votes that confirm a fault; more than half the committee. */
  auditQuorum: z.number().int().positive().default(2),
  slashFraction: ratioInput.default({ num: 50n, den: 100n }),
  /** Share of the slashed bond paid to the first oracle that reported the mismatch. */
  bountyFraction: ratioInput.default({ num: 10n, den: 100n }),
  oracleFeeMicroUsdcPerVerdict: bigintInput.default(500n),
  /**
   * Which rules pay workers: 'one' (absent) or 'ratio1' (PROTOCOL.md §10). Absent rather than
   * defaulted, so runs under ONE's rules keep the state hashes they had before the choice existed.
   */
  rewardRules: z.enum(rewardRuleSets).optional(),
  /** Ratio1's parameters; under 'ratio1' without them, their defaults (see `ratio1ParamsOf`). */
  ratio1: ratio1ParamsSchema.optional(),
  /** Proof-of-AI on sealed jobs ('opt-in' when absent; absent keeps unsealed runs' state hashes). */
  sealedAudit: z.enum(sealedAuditPolicies).optional(),
});

/** Fixed at genesis: the rule set decides what state exists (state.ratio1). */
export const genesisParams = ['rewardRules', 'ratio1', 'sealedAudit'] as const;

/** The sealed-job audit policy in force ('opt-in' when the parameter is absent). */
export const sealedAuditOf = (p: { sealedAudit?: SealedAuditPolicy }): SealedAuditPolicy =>
  p.sealedAudit ?? 'opt-in';

/** The rule set in force ('one' when the parameter is absent). */
export const rewardRulesOf = (p: { rewardRules?: RewardRules }): RewardRules =>
  p.rewardRules ?? 'one';

/** Ratio1's parameters with their defaults filled. */
export const ratio1ParamsOf = (p: { ratio1?: Ratio1Params }): Ratio1Params =>
  p.ratio1 ?? ratio1ParamsSchema.parse({});

/** Parameters that governance may not change: they fix the settlement calendar. */
export const immutableParams = [
  'dayMs',
  'settlementEpochMs',
  'jobDeadlineMaxMs',
  'jobGraceMs',
] as const;

export const paramsSchema = paramsObject.superRefine((p, ctx) => {
  const fail = (path: string, message: string) =>
    ctx.addIssue({ code: 'custom', path: [path], message });
  if (p.dayMs % p.settlementEpochMs !== 0)
    fail('settlementEpochMs', `must divide dayMs (${p.dayMs}), got ${p.settlementEpochMs}`);
  if (p.jobDeadlineMaxMs + p.jobGraceMs > p.settlementEpochMs)
    fail('jobDeadlineMaxMs', 'jobDeadlineMaxMs + jobGraceMs must not exceed settlementEpochMs');
  if (p.jobDeadlineDefaultMs > p.jobDeadlineMaxMs)
    fail('jobDeadlineDefaultMs', `must be ≤ jobDeadlineMaxMs (${p.jobDeadlineMaxMs})`);
  if (p.stakeThresholdOneWei === 0n) fail('stakeThresholdOneWei', 'must be > 0');
  if (p.includedPriceMicroUsdcPerCu === 0n) fail('includedPriceMicroUsdcPerCu', 'must be > 0');
  if (p.dedicatedPriceMicroUsdcPerCu === 0n) fail('dedicatedPriceMicroUsdcPerCu', 'must be > 0');
  if (p.reservationMinMs > p.reservationMaxMs)
    fail('reservationMinMs', 'must be ≤ reservationMaxMs');
  if (p.reservationMinMs % 1000 !== 0) fail('reservationMinMs', 'must be whole seconds');
  if (p.auditQuorum * 2 <= p.auditCommitteeSize)
    fail(
      'auditQuorum',
      `must be more than half of auditCommitteeSize (${p.auditCommitteeSize}), got ${p.auditQuorum}`,
    );
  if (p.auditQuorum > p.auditCommitteeSize)
    fail('auditQuorum', `must be ≤ auditCommitteeSize (${p.auditCommitteeSize})`);
});

export type Params = z.output<typeof paramsSchema>;
export type ParamsInput = z.input<typeof paramsSchema>;

export interface ParamsIssue {
  field: string;
  message: string;
}

/** Thrown at the edge (scenario files, CLI) when parameters do not validate. */
export class InvalidParamsError extends InputError {
  override name = 'InvalidParamsError';
  constructor(readonly issues: ParamsIssue[]) {
    super(
      issues.map((i) => `params.${i.field}: ${i.message}`).join('; '),
      issues[0] ? `params.${issues[0].field}` : undefined,
    );
  }
}

/** Validates parameters, filling documented defaults; never throws (see `resolveParams`). */
export function checkParams(
  input: unknown,
): { ok: true; params: Params } | { ok: false; issues: ParamsIssue[] } {
  const parsed = paramsSchema.safeParse(input ?? {});
  if (parsed.success) return { ok: true, params: parsed.data };
  const issues = parsed.error.issues.map((i) => ({
    field: i.path.join('.') || '(root)',
    message: i.message,
  }));
  return { ok: false, issues };
}

/** Defaults merged with overrides; throws InvalidParamsError naming each bad field. */
export function resolveParams(input: ParamsInput = {}): Params {
  const checked = checkParams(input);
  if (!checked.ok) throw new InvalidParamsError(checked.issues);
  return checked.params;
}

export const defaultParams = (): Params => resolveParams({});

export type { Ratio };

import fc from 'fast-check';
import type { Action } from '../actions.ts';
import { createActor, type StepFn } from '../actor.ts';
import type { ProtocolEvent } from '../events.ts';
import { isRoutable } from '../handlers/routing.ts';
import type { InvariantViolation } from '../invariants/stateInvariants.ts';
import { createInvariantChecker } from '../invariants/stepInvariants.ts';
import { buildPayoutTree } from '../merkle/payoutTree.ts';
import { modelIdOf as modelId } from '../modelId.ts';
import { uint256Max } from '../onChainTypes.ts';
import type { Params, ParamsInput } from '../params.ts';
import { resolveParams, sealedAuditPolicies } from '../params.ts';
import { type Attestation, receiptOfJob } from '../receipts/receipt.ts';
import { simAttestationFor } from '../receipts/simAttestor.ts';
import { createSimSigner, simAttest, simVerifier } from '../receipts/simVerifier.ts';
import { rejectionCodes } from '../rejections.ts';
import { type LoggedAction, replayLog } from '../replay.ts';
import { createState } from '../state.ts';
import { stateHash } from '../stateHash.ts';
import type { StepEnv } from '../step.ts';
import { type Address, type Hex, type Job, Lane, type Reservation, type State } from '../types.ts';
import { ONE, USDC } from '../units.ts';
import { expectEffects } from './actionEffects.ts';
import { honestReason, ruledTypes } from './honest.ts';
import { addr, hash32 } from './ids.ts';

export const intentKinds = [
  'deposit',
  'withdraw',
  'fundTreasury',
  'stake',
  'unstake',
  'claimUnbonded',
  'reserve',
  'endReservation',
  'submitIncluded',
  'submitDedicated',
  'dispatch',
  'complete',
  'completeBad',
  'fail',
  'claim',
  'claimBad',
  'registerWorker',
  'setOnline',
  'exitWorker',
  'withdrawBond',
  'propose',
  'execute',
  'cancel',
  'wrongDay',
  'wrongSettle',
  'completeLazy',
  'postAvailability',
  'closeAvailability',
  'verdict',
  'topUpBond',
  'releaseJail',
  'renewAttestation',
  'oracleSet',
  'lease',
  'jump',
  'deploy',
  'scaleDeployment',
  'removeDeployment',
  'replicaReady',
] as const;
/**
 * Kinds that apply only under Ratio1's rules (the owner's bans): kept out of `intentKinds`, so
 * runs under ONE's rules (the default audit, swarms, planted-bug searches) draw exactly as before;
 * `ratio1IntentsArb` draws them.
 */
export const ratio1IntentKinds = ['ban'] as const;
export type IntentKind = (typeof intentKinds)[number] | (typeof ratio1IntentKinds)[number];

/** A random instruction, turned into a concrete action against the state it meets. */
export interface Intent {
  kind: IntentKind;
  a: number;
  b: number;
  c: number;
  dtMs: number;
}

const MODELS = [modelId('m0'), modelId('m1')];
const HOLDERS = [0, 1, 2, 3].map((i) => addr(i, 1));
const SPONSORS = [0, 1].map((i) => addr(i, 3));
const WORKERS = [0, 1, 2].map((i) => addr(i, 2));
const ORACLES = [0, 1, 2, 3, 4].map((i) => addr(i, 4));
/** Funded at genesis but not registered: where KYC and config checks of a registration bite. */
const CANDIDATE = addr(3, 2);
/** The true result of a job; a lazy worker reports something else. */
export const trueResult = (jobId: number) => hash32(`out${jobId}`);

export interface RunOptions {
  /** Oracles 0..colluders−1 vote a wrong digest on every audit. */
  colluders: number;
  /** Whether workers sometimes fake results. */
  lazyWorkers: boolean;
}
const defaultRunOptions: RunOptions = { colluders: 1, lazyWorkers: true };
const ACTORS = [...HOLDERS, ...SPONSORS, ...WORKERS];
const pick = <T>(xs: readonly T[], n: number): T => xs[n % xs.length]!;

/** Kinds weighted so runs reach deep states (running jobs, receipts, settlements, claims). */
export const kindWeights: Partial<Record<IntentKind, number>> = {
  verdict: 14,
  completeLazy: 4,
  postAvailability: 2,
  submitIncluded: 14,
  submitDedicated: 8,
  dispatch: 10,
  complete: 20,
  completeBad: 5,
  claim: 3,
  reserve: 3,
  lease: 4,
  jump: 3,
  replicaReady: 3,
};
export const intentKindArb: fc.Arbitrary<IntentKind> = fc.oneof(
  ...intentKinds.map((k) => ({ arbitrary: fc.constant(k), weight: kindWeights[k] ?? 1 })),
);

/** Intents whose kind comes from `kind` (swarm testing skews or disables kinds this way). */
export const intentArbFor = (kind: fc.Arbitrary<IntentKind>): fc.Arbitrary<Intent> =>
  fc.record({
    kind,
    a: fc.nat(1_000_000),
    b: fc.nat(1_000_000),
    c: fc.nat(1_000_000),
    dtMs: fc.oneof(
      { arbitrary: fc.constant(0), weight: 14 },
      { arbitrary: fc.integer({ min: 1, max: 60_000 }), weight: 3 },
      // Whole seconds: token buckets then refill by whole CU, so a job can need exactly the
      // tokens left (a Dedicated job at its rate limit).
      { arbitrary: fc.integer({ min: 1, max: 60 }).map((s) => s * 1_000), weight: 3 },
      { arbitrary: fc.integer({ min: 1, max: 30 * 3_600_000 }), weight: 1 },
    ),
  });

export const intentArb: fc.Arbitrary<Intent> = intentArbFor(intentKindArb);

/** Action sequences long enough to cross days and epochs (fast-check's default size is small). */
export const intentsArb = (maxLength = 160): fc.Arbitrary<Intent[]> =>
  fc.array(intentArb, { minLength: 1, maxLength, size: 'max' });

/**
 * Intents for runs under Ratio1's rules: its money moves only when oracles post a day's scores
 * and the day closes (licence release, escrow payment and burn), which the default weights
 * reach in ~2 runs of 100; these reach it in most runs, bans included.
 */
export const ratio1IntentsArb = (maxLength = 160): fc.Arbitrary<Intent[]> =>
  fc.array(
    intentArbFor(
      fc.oneof(
        ...[...intentKinds, ...ratio1IntentKinds].map((k) => ({
          arbitrary: fc.constant(k),
          weight:
            { postAvailability: 16, closeAvailability: 8, ban: 2 }[k as string] ??
            kindWeights[k] ??
            1,
        })),
      ),
    ),
    { minLength: 1, maxLength, size: 'max' },
  );

export const paramsArb: fc.Arbitrary<ParamsInput> = fc.record({
  stakeThresholdOneWei: fc.bigInt(1n, 2_000n).map((x) => x * ONE),
  creditsPerThresholdCu: fc.bigInt(100n, 10_000n),
  allotmentSchedule: fc.constantFrom<ParamsInput['allotmentSchedule']>(
    { kind: 'linear' },
    { kind: 'sqrt' },
    {
      kind: 'tiers',
      tiers: [
        { minStakeOneWei: 1n, creditsCu: 500n },
        { minStakeOneWei: 5_000n * ONE, creditsCu: 4_000n },
      ],
    },
  ),
  includedPriceMicroUsdcPerCu: fc.bigInt(1n, 5n),
  dedicatedPriceMicroUsdcPerCu: fc.bigInt(1n, 6n),
  includedBudgetMaxMicroUsdc: fc.bigInt(1n, 50_000n).map((x) => x * 1_000n),
  runwayDays: fc.integer({ min: 1, max: 120 }),
  dedicatedFee: fc.bigInt(0n, 30n).map((num) => ({ num, den: 100n })),
  takeRate: fc.bigInt(0n, 20n).map((num) => ({ num, den: 100n })),
  // Mostly whole seconds (the default is 60 s): a full bucket then holds whole CU.
  dedicatedBurstMs: fc.oneof(
    { arbitrary: fc.integer({ min: 1, max: 20 }).map((s) => s * 1_000), weight: 3 },
    { arbitrary: fc.integer({ min: 1_000, max: 20_000 }), weight: 1 },
  ),
  reservationMinMs: fc.constant(60_000),
  jobDeadlineDefaultMs: fc.integer({ min: 1_000, max: 600_000 }),
  routingScanMax: fc.integer({ min: 1, max: 4 }),
  workerBondMinMicroUsdc: fc.bigInt(1n, 1_000n).map((x) => x * USDC),
  unstakeUnbondingMs: fc.integer({ min: 1, max: 3 * 86_400_000 }),
  workerUnbondingMs: fc.integer({ min: 1, max: 3 * 86_400_000 }),
  timelockMs: fc.integer({ min: 1, max: 86_400_000 }),
  auditSampleRate: fc.bigInt(0n, 100n).map((num) => ({ num, den: 100n })),
  slashFraction: fc.bigInt(0n, 100n).map((num) => ({ num, den: 100n })),
  oracleFeeMicroUsdcPerVerdict: fc.bigInt(0n, 5_000n),
  availabilityMinScore: fc.integer({ min: 0, max: 255 }),
  availabilityRewardMicroUsdcPerDay: fc.bigInt(0n, 50n * USDC),
  // Either the default week (release attempts meet WorkerJailed) or short enough that a slashed
  // worker's jail ends, and can be released, within a run.
  jailMs: fc.oneof(fc.constant(7 * 86_400_000), fc.integer({ min: 1, max: 2 * 86_400_000 })),
  // Mostly unbounded; sometimes a cap the run can hit (QueueFull).
  jobsOpenMax: fc.oneof(
    { arbitrary: fc.constant(5_000_000), weight: 5 },
    { arbitrary: fc.integer({ min: 1, max: 6 }), weight: 1 },
  ),
});

/** Ratio1's own parameters (PROTOCOL.md §10), drawn apart so an audit run can switch its rules on. */
export const ratio1OnlyArb = fc.record({
  maxReleasePerDayMicroUsdc: fc.bigInt(0n, 20n * USDC),
  licenceMiningCapMicroUsdc: fc.bigInt(0n, 60n * USDC),
  poaiPricePerEpochMicroUsdc: fc.bigInt(0n, 500n),
  burnShare: fc.bigInt(0n, 100n).map((num) => ({ num, den: 100n })),
  consensusSubmitShare: fc.bigInt(0n, 6n).map((num) => ({ num, den: 6n })),
  consensusMatchShare: fc.bigInt(0n, 6n).map((num) => ({ num, den: 6n })),
  availabilityMarginScore: fc.integer({ min: 0, max: 255 }),
  activeMinScore: fc.integer({ min: 0, max: 255 }),
});

/**
 * paramsArb under Ratio1's reward rules (PROTOCOL.md §10), with its own parameters drawn too. Kept
 * apart from paramsArb: the Solidity contracts (the live driver's) implement ONE's rules only.
 */
export const ratio1ParamsArb: fc.Arbitrary<ParamsInput> = fc
  .tuple(paramsArb, ratio1OnlyArb)
  .map(([p, ratio1]) => ({ ...p, rewardRules: 'ratio1' as const, ratio1 }));

/**
 * paramsArb with a sealed-job audit policy drawn too (PROTOCOL.md §8, sealed jobs). Kept apart from
 * paramsArb: the contracts know no sealed jobs, so live runs keep the default ('opt-in').
 */
export const sealedParamsArb: fc.Arbitrary<ParamsInput> = fc
  .tuple(paramsArb, fc.constantFrom(...sealedAuditPolicies))
  .map(([p, sealedAudit]) => ({ ...p, sealedAudit }));

/** The receipt a running job's worker (or a leased job's taker) signs now, reporting `resultHash`. */
function receiptFor(s: State, job: Job, resultHash: Hex) {
  const worker = job.worker ?? takerOf(s, job);
  return receiptOfJob(job, {
    worker,
    resultHash,
    finishedAt: s.nowMs,
    prev: s.workers.get(worker)?.chainHead ?? hash32('unregistered'),
  });
}

/** Who pulls a leased job: the first registered worker serving its model (else worker 0). */
function takerOf(s: State, job: Job) {
  return WORKERS.find((w) => s.workers.get(w)?.models.includes(job.model)) ?? WORKERS[0]!;
}

/** Jobs a worker holds: pushed to it, or leased and answered by whoever pulled them. */
function runningJobs(s: State) {
  return [...s.jobs.values()].filter((j) => j.status === 'running' || j.status === 'leased');
}

/** Maps an intent to an action; some are wrong on purpose (rejections must change nothing). */
export function toAction(
  s: State,
  it: Intent,
  opts: RunOptions = defaultRunOptions,
): Action | null {
  const { a, b, c } = it;
  // While a faked result's audit waits for its quorum, one intent in three (other than jumps and
  // votes) is a committee vote instead: its committee has one settlement epoch to vote.
  if (it.kind !== 'jump' && it.kind !== 'verdict' && c % 3 === 0 && fakedAuditOpen(s))
    return toAction(s, { ...it, kind: 'verdict', c: c + 1 }, opts);
  const asset = b % 2 === 0 ? 'usdc' : 'one';
  const amount = asset === 'usdc' ? BigInt(1 + (c % 2_000)) * USDC : BigInt(1 + (c % 12_000)) * ONE;
  /** Now and then nothing (InvalidAmount) or exactly all there is (the boundary of "enough"). */
  const edge = (normal: bigint, all: bigint) => [0n, all][c % 31] ?? normal;
  const balance = (who: Address, of: 'usdc' | 'one') => s.accounts.get(who)?.[of] ?? 0n;
  switch (it.kind) {
    case 'deposit': {
      // Now and then one unit past what the token's supply (a uint256) can still take.
      const t = s.totals;
      const supply =
        asset === 'usdc'
          ? t.usdcDepositedMicroUsdc - t.usdcWithdrawnMicroUsdc
          : t.oneDepositedWei - t.oneWithdrawnWei;
      const past = c % 31 === 2 ? uint256Max - supply + 1n : amount;
      return { type: 'deposit', account: pick(ACTORS, a), asset, amount: edge(past, past) };
    }
    case 'withdraw':
      return {
        type: 'withdraw',
        account: pick(ACTORS, a),
        asset,
        amount: edge(amount / BigInt(1 + (b % 4)), balance(pick(ACTORS, a), asset)),
      };
    case 'fundTreasury':
      return {
        type: 'fundTreasury',
        from: pick(ACTORS, a),
        amountMicroUsdc: edge(BigInt(1 + (c % 5_000)) * USDC, balance(pick(ACTORS, a), 'usdc')),
      };
    case 'stake':
      return {
        type: 'stake',
        holder: pick(HOLDERS, a),
        amountOneWei: edge(BigInt(1 + (c % 9_000)) * ONE, balance(pick(HOLDERS, a), 'one')),
      };
    case 'unstake':
      return {
        type: 'unstake',
        holder: pick(HOLDERS, a),
        amountOneWei: edge(
          BigInt(1 + (c % 9_000)) * ONE,
          s.holders.get(pick(HOLDERS, a))?.stakedOneWei ?? 0n,
        ),
      };
    case 'claimUnbonded':
      return { type: 'claimUnbonded', holder: pick(HOLDERS, a) };
    case 'reserve': {
      const p = s.params;
      const base = {
        type: 'reserve' as const,
        sponsor: pick(SPONSORS, a),
        model: b % 3 === 2 ? null : pick(MODELS, b),
        rateCuPerSec: c % 23 === 0 ? 0n : BigInt(1 + (c % 50)), // 0: InvalidReservation
        durationMs: 60_000 * (1 + (c % 240)),
      };
      // One in four with one thing wrong or exactly at a limit: a duration that is not whole
      // seconds, just out of or exactly at its bounds, a start in the past or later, a model id
      // that is not bytes32, a cost just above or exactly the sponsor's balance.
      if (b % 4 !== 1) return base;
      const cost = (x: typeof base) =>
        ((x.rateCuPerSec * BigInt(x.durationMs)) / 1000n) * p.dedicatedPriceMicroUsdcPerCu;
      const balance = s.accounts.get(base.sponsor)?.usdc ?? 0n;
      // The rate whose cost plus fee first exceeds the balance: 1 CU/s costs `unit` (plus fee).
      const unit = cost({ ...base, rateCuPerSec: 1n });
      const withFee = (x: bigint) =>
        x + (x * p.dedicatedFee.num + p.dedicatedFee.den - 1n) / p.dedicatedFee.den;
      let affordable = unit > 0n ? balance / withFee(unit) : 0n;
      while (affordable > 0n && withFee(unit * affordable) > balance) affordable -= 1n;
      const variants: Array<Partial<Action & { type: 'reserve' }> & Record<string, unknown>> = [
        { durationMs: base.durationMs + 500 },
        { durationMs: p.reservationMinMs - 1_000 },
        { durationMs: p.reservationMinMs },
        { durationMs: p.reservationMaxMs + 1_000 },
        { durationMs: p.reservationMaxMs, rateCuPerSec: 1n },
        { startAtMs: s.nowMs - 1 },
        { startAtMs: s.nowMs + 1 + (c % 3_600_000) },
        { model: `${MODELS[0]}00` },
        { rateCuPerSec: affordable + 1n },
        ...(affordable > 0n ? [{ rateCuPerSec: affordable }] : []),
      ];
      return { ...base, ...variants[(c >> 3) % variants.length]! } as Action;
    }
    case 'endReservation': {
      // Half the time a reservation whose window has closed (it can end, or has ended already).
      const p = s.params;
      const closed = [...s.reservations.values()].filter(
        (r) => s.nowMs >= r.endAtMs + p.jobDeadlineMaxMs + p.jobGraceMs,
      );
      const target = b % 2 === 0 ? pick(closed, a) : undefined;
      return {
        type: 'endReservation',
        reservationId: target?.id ?? 1 + (a % Math.max(1, s.nextReservationId)),
      };
    }
    case 'submitIncluded': {
      const requester = pick(HOLDERS, a);
      const h = s.holders.get(requester);
      const free = h && h.creditDay === s.day ? h.allotmentCu - h.usedCu - h.reservedCu : 0n;
      const job = {
        type: 'submitJob' as const,
        lane: Lane.included,
        requester,
        model: pick(MODELS, b),
        units: BigInt(1 + (c % 400)),
        requestHash: hash32(`r${a}:${c}`),
        deadlineMs: 1_000 + (b % 900_000),
        // One in five sealed (its requestHash then stands for the ciphertext's digest), half of those open to audits.
        ...(c % 5 === 0
          ? { sealed: a % 2 === 0 ? ('auditable' as const) : ('private' as const) }
          : {}),
      };
      // One in six asks for exactly the credits left or one CU more, or breaks a rule of its own
      // (InvalidAmount, InvalidAction): no units, units past uint64, a model or request hash that
      // is not bytes32 hex, a deadline of 0 or not whole, an unknown sealed mode or lane.
      const variants: Array<Record<string, unknown>> = [
        { units: free > 0n ? free : 1n },
        { units: free + 1n },
        { units: 0n },
        { units: 1n << 64n },
        { model: job.model.slice(0, 65) },
        { requestHash: `${job.requestHash}0` },
        { deadlineMs: 0 },
        { deadlineMs: 1.5 },
        { sealed: 'open' },
        { lane: 2 },
        { deadlineMs: undefined },
      ];
      return (c % 6 === 5 ? { ...job, ...variants[(c >> 3) % variants.length]! } : job) as Action;
    }
    case 'submitDedicated':
      return (
        dedicatedSubmission(s, it) ?? {
          type: 'submitJob',
          lane: Lane.dedicated,
          requester: pick(SPONSORS, a),
          model: pick(MODELS, b),
          units: BigInt(1 + (c % 200)),
          requestHash: hash32(`d${a}:${c}`),
          reservationId: 1 + (b % Math.max(1, s.nextReservationId)),
        }
      );
    case 'dispatch':
      return { type: 'dispatch' };
    case 'jump':
      return jumpAction(s, it);
    case 'lease': {
      const models = b % 3 === 2 ? MODELS : [pick(MODELS, b)];
      const leaseUntilMs = s.nowMs + 1 + (c % 600_000);
      // Mostly a valid poll; sometimes one the rules refuse (no model, 65 models, a model id that
      // is not bytes32, an end that is now or not a whole ms), or the most models it may name.
      switch (a % 24) {
        case 0:
          return { type: 'leaseJob', models: [], leaseUntilMs };
        case 1:
          return {
            type: 'leaseJob',
            models: Array.from({ length: 65 }, (_, i) => pick(MODELS, i)),
            leaseUntilMs,
          };
        case 2:
          return { type: 'leaseJob', models: [models[0]!, `${models[0]!}00`], leaseUntilMs };
        case 3:
          return { type: 'leaseJob', models, leaseUntilMs: s.nowMs };
        case 4:
          return { type: 'leaseJob', models, leaseUntilMs: leaseUntilMs + 0.5 };
        case 5:
          return {
            type: 'leaseJob',
            models: Array.from({ length: 64 }, (_, i) => pick(MODELS, i + b)),
            leaseUntilMs,
          };
        default:
          return { type: 'leaseJob', models, leaseUntilMs };
      }
    }
    case 'complete': {
      const job = pick(runningJobs(s), a);
      if (!job) return null;
      // With lazy workers about, one completion in five is faked too (audits need fakes to find).
      const lazy = opts.lazyWorkers && c % 5 === 0;
      const receipt = receiptFor(s, job, lazy ? hash32(`fake${job.id}`) : trueResult(job.id));
      return {
        type: 'completeJob',
        receipt,
        signature: createSimSigner(receipt.worker).sign(receipt),
      };
    }
    case 'completeBad':
      return badCompletion(s, it);
    case 'fail': {
      if (b % 7 === 3) return { type: 'failJob', jobId: s.nextJobId + 3, worker: pick(WORKERS, a) }; // UnknownJob
      // A job that is queued or leased (no worker holds it): JobNotRunning.
      const waiting = [...s.jobs.values()].filter(
        (j) => j.status === 'queued' || j.status === 'leased',
      );
      if (b % 7 === 5 && waiting.length > 0)
        return { type: 'failJob', jobId: pick(waiting, a)!.id, worker: pick(WORKERS, c) };
      const job = pick(
        runningJobs(s).filter((j) => j.worker),
        a,
      );
      if (!job) return null;
      const other = WORKERS.filter((w) => w !== job.worker);
      return { type: 'failJob', jobId: job.id, worker: b % 5 === 0 ? pick(other, c) : job.worker! }; // WrongWorker
    }
    case 'claim':
    case 'claimBad': {
      const settlement = pick([...s.settlements.values()], a);
      if (!settlement) return null;
      if (it.kind === 'claimBad' && c % 4 === 0)
        return {
          type: 'claim',
          epoch: s.lastSettledEpoch + 1 + (c % 3),
          worker: pick(WORKERS, b),
          amountMicroUsdc: 1n,
          proof: [],
        }; // UnknownSettlement
      const [worker, amount] = pick([...settlement.payouts], b) ?? [];
      if (!worker || amount === undefined) return null;
      const proof = buildPayoutTree(settlement.payouts).proof(worker, amount);
      return {
        type: 'claim',
        epoch: settlement.epoch,
        worker,
        amountMicroUsdc: it.kind === 'claim' ? amount : amount + 1n,
        proof,
      };
    }
    case 'registerWorker': {
      // One registration in three is the candidate's with one thing wrong with its configuration
      // (or exactly at a limit): the workers at genesis are registered already, so only the
      // candidate (or a worker that exited) reaches the configuration rules.
      if (c % 3 === 1) return corruptRegistration(s, c >> 2);
      const worker = a % 4 === 3 ? CANDIDATE : pick(WORKERS, a);
      return {
        type: 'registerWorker',
        worker,
        models: b % 3 === 2 ? [...MODELS] : [pick(MODELS, b)],
        slots: c % 19 === 0 ? 0 : 1 + (c % 3), // 0: InvalidWorkerConfig
        // Deployment fields: memory (0 is InvalidWorkerConfig), a region, a tag.
        ...(b % 4 !== 3 ? { memoryBytes: (b % 5) * 8 * GB } : {}),
        ...(b % 3 === 0 ? { region: 'eu' } : {}),
        ...(b % 5 === 1 ? { tags: ['gpu'] } : {}),
        capacityCuPerSec: 100n,
        bondMicroUsdc: BigInt(1 + (c % 1_200)) * USDC,
        attestation:
          c % 17 === 0 || (worker === CANDIDATE && c % 5 === 0)
            ? undefined // KycRequired when KYC is on (the candidate is the one that gets that far)
            : c % 11 === 0
              ? simAttestationFor(s.params, worker, s.nowMs) // already lapsed
              : c % 13 === 0
                ? badAttestation(s, worker, a, c >> 4)
                : simAttestationFor(s.params, worker, s.nowMs + 30 * 86_400_000),
      };
    }
    // Now and then the candidate, who may not be registered (UnknownWorker).
    case 'setOnline':
      return { type: 'setWorkerOnline', worker: someWorker(a), online: b % 3 !== 0 };
    case 'exitWorker':
      return { type: 'exitWorker', worker: someWorker(a) };
    case 'withdrawBond':
      return { type: 'withdrawBond', worker: someWorker(a) };
    case 'propose': {
      const options = [
        { takeRate: { num: BigInt(c % 30), den: 100n } },
        { runwayDays: 1 + (c % 200) },
        { includedPriceMicroUsdcPerCu: BigInt(1 + (c % 4)) },
        { workerBondMinMicroUsdc: BigInt(1 + (c % 900)) * USDC },
        { dayMs: 1 },
        { takeRate: { num: 101n + BigInt(c % 50), den: 100n } }, // over 100%: InvalidParams
        // Refused whatever the value: immutable (even unchanged), fixed at genesis, no such
        // parameter, not an object of changes.
        { settlementEpochMs: s.params.settlementEpochMs },
        { rewardRules: s.params.rewardRules },
        { notAParameter: 1 } as ParamsInput,
        [] as unknown as ParamsInput,
      ];
      return {
        type: 'proposeParams',
        proposer: b % 7 === 0 ? pick(HOLDERS, a) : s.params.governor,
        changes: pick(options, a),
      };
    }
    case 'execute': {
      // Mostly a queued proposal whose timelock has passed, one time in four one whose timelock
      // has not (TimelockNotElapsed); any id when there is none of the kind.
      const queued = [...s.proposals.values()];
      const kind = queued.filter((x) => x.etaMs <= s.nowMs === (c % 4 !== 0));
      return {
        type: 'executeProposal',
        proposalId: kind.length > 0 ? pick(kind, a).id : 1 + (a % Math.max(1, s.nextProposalId)),
      };
    }
    case 'cancel':
      return {
        type: 'cancelProposal',
        // One in five by a holder (NotGovernor).
        proposer: b % 5 === 2 ? pick(HOLDERS, c) : s.params.governor,
        proposalId: 1 + (a % Math.max(1, s.nextProposalId)),
      };
    case 'wrongDay':
      // A day already started (WrongDay) or one not yet begun (TooEarly).
      return { type: 'startDay', day: [s.day, s.day - 1, s.day + 1, s.day + 2, s.day + 3][a % 5]! };
    case 'wrongSettle':
      return { type: 'settle', epoch: s.lastSettledEpoch + (a % 3) };
    default:
      return verificationAction(s, it, opts);
  }
}

/**
 * An attestation KYC must refuse (BadAttestation), by `n`: signed by a holder that is no attestor,
 * for another worker, naming the attestor but signed by another key, or a well-signed one whose
 * identityHash is not bytes32 hex (not hex, or 32 bytes with a byte before or after them).
 */
function badAttestation(s: State, worker: Address, a: number, n: number): Attestation {
  const body = { worker, identityHash: hash32('x'), expiresAtMs: s.nowMs + 86_400_000 };
  const attestor = s.params.attestors[0]!;
  switch (n % 6) {
    case 0:
      return simAttest(pick(HOLDERS, a), body);
    case 1:
      return simAttestationFor(
        s.params,
        pick(
          WORKERS.filter((w) => w !== worker),
          a,
        )!,
        body.expiresAtMs,
      );
    case 2:
      return { ...simAttest(pick(HOLDERS, a), body), attestor };
    case 3:
      return simAttest(attestor, { ...body, identityHash: '0x1d' as Hex });
    case 4:
      return simAttest(attestor, { ...body, identityHash: `00${body.identityHash}` as Hex });
    default:
      return simAttest(attestor, { ...body, identityHash: `${body.identityHash}00` as Hex });
  }
}

/** Open reservations whose window is running now. */
const activeReservations = (s: State) =>
  [...s.reservations.values()].filter(
    (r) => !r.ended && s.nowMs >= r.startAtMs && s.nowMs < r.endAtMs,
  );

/** A reservation's bucket at `nowMs` without refilling it, in milli-CU (dispatch's view). */
function tokensNow(s: State, r: Reservation): bigint {
  const cap = r.rateCuPerSec * BigInt(s.params.dedicatedBurstMs);
  const t = Math.min(s.nowMs, r.endAtMs);
  const next =
    r.tokensMilliCu + (t > r.tokensAtMs ? r.rateCuPerSec * BigInt(t - r.tokensAtMs) : 0n);
  return next < cap ? next : cap;
}

/**
 * Contended Dedicated submissions (three in four, while a reservation is active): by its owner,
 * for its model, often needing exactly the tokens the bucket holds now (at the rate limit: it
 * may go, and must go before Included jobs) or one CU more (it must wait), else a few CU.
 * The rest are drawn blindly (UnknownReservation, NotReservationOwner, ModelNotCovered…).
 */
function dedicatedSubmission(s: State, it: Intent): Action | null {
  const { a, b, c } = it;
  const r = c % 4 === 0 ? undefined : pick(activeReservations(s), a);
  if (!r) return null;
  const left = r.reservedCu - r.submittedCu;
  const burst = (r.rateCuPerSec * BigInt(s.params.dedicatedBurstMs)) / 1000n;
  const exact = tokensNow(s, r) / 1000n;
  const want = [exact, exact + 1n, BigInt(1 + (c % 20))][b % 3]!;
  const fits = want > burst ? burst : want < 1n ? 1n : want;
  // One in eight asks for one CU more than the reservation has left (ReservationExhausted).
  // One in eight asks for one CU more than the reservation has left (ReservationExhausted), one
  // in eight exactly what it has left (when the burst allows).
  const units =
    (c >> 2) % 8 === 0
      ? left + 1n
      : ((c >> 2) % 8 === 1 && left <= burst && left > 0n) || (fits > left && left > 0n)
        ? left
        : fits;
  return {
    type: 'submitJob',
    lane: Lane.dedicated,
    requester: r.sponsor,
    model: r.model ?? pick(MODELS, b),
    units,
    requestHash: hash32(`d${a}:${c}`),
    reservationId: r.id,
  };
}

/**
 * A wrong completion, aimed at every lane: first a column (lane × pushed or leased) among those
 * holding jobs, then a job in it, so that a rare column (Dedicated leased) is met as often as a
 * common one and each rejection is met in each lane where it applies (the audit's coverage
 * table shows the cells).
 */
function badCompletion(s: State, it: Intent): Action | null {
  const { a, b, c } = it;
  const job = pick(pick(byColumn(runningJobs(s)), c) ?? [], a);
  if (!job) return null;
  const receipt = receiptFor(s, job, trueResult(job.id));
  const other = WORKERS.find((w) => w !== receipt.worker)!;
  const finished = [...s.jobs.values()].find((j) => j.status !== 'running' && j.worker);
  const notServing = WORKERS.find(
    (w) => s.workers.get(w) && !s.workers.get(w)!.models.includes(job.model),
  );
  const idle = WORKERS.find((w) => {
    const x = s.workers.get(w);
    return x?.models.includes(job.model) && !isRoutable(s, x);
  });
  // Pushed jobs: the first five (4: a job that is not running); leased ones: all but 4 (the
  // taker is checked instead: 5 UnknownWorker, 6 WorkerNotActive).
  const variant = job.status === 'leased' ? [0, 1, 2, 3, 5, 6][b % 6]! : b % 5;
  const named = (worker: Address) => ({
    ...receipt,
    worker,
    prev: s.workers.get(worker)?.chainHead ?? receipt.prev,
  });
  const bad = [
    { ...receipt, prev: hash32('x') }, // BadChainLink
    mismatched(s, receipt, c >> 2), // ReceiptMismatch: one field that is not the job's
    receipt, // signed by someone else: BadSignature
    named(notServing ?? other), // another worker: WrongWorker (leased: one not serving the model)
    finished && (c >> 2) % 2 === 0
      ? { ...receipt, jobId: finished.id }
      : { ...receipt, jobId: s.nextJobId + 7 }, // JobNotRunning / UnknownJob
    named(s.workers.has(CANDIDATE) ? addr(9, 2) : CANDIDATE), // UnknownWorker
    idle ? named(idle) : receipt, // WorkerNotActive (without an idle worker: BadSignature)
  ][variant]!;
  const forged = variant === 2 || (variant === 6 && !idle);
  const signer = createSimSigner(forged ? other : bad.worker);
  return { type: 'completeJob', receipt: bad, signature: signer.sign(bad) };
}

/** A receipt with one field (chosen by `n`) that is not the job's, or a result that is not bytes32 hex. */
function mismatched(s: State, r: ReturnType<typeof receiptFor>, n: number) {
  const wrong = [
    { units: r.units + 1n },
    { price: r.price + 1n },
    { lane: r.lane === Lane.included ? Lane.dedicated : Lane.included },
    {
      requester: pick(
        ACTORS.filter((x) => x !== r.requester),
        n,
      )!,
    },
    { model: MODELS.find((m) => m !== r.model)! },
    { requestHash: hash32(`other request ${n}`) },
    { finishedAt: s.nowMs - 1 },
    // Not bytes32 hex: not hex at all, or 32 bytes with something before or after them.
    {
      resultHash: ['0xnot-a-digest' as Hex, `${r.resultHash}00` as Hex, `00${r.resultHash}` as Hex][
        Math.floor(n / 8) % 3
      ]!,
    },
  ][n % 8];
  return { ...r, ...wrong };
}

/** Where a `jump` intent takes the clock, and whether the keeper expires jobs on arrival. */
export interface IntentTime {
  toMs: number;
  /** The keeper has not run yet at `toMs`: a late receipt meets a job whose time is up. */
  late: boolean;
}

const closesAt = (s: State, r: Reservation) =>
  r.endAtMs + s.params.jobDeadlineMaxMs + s.params.jobGraceMs;

/** When an open job's time is up: its lease's end when leased, else its deadline. */
const timeoutOf = (job: Job) => (job.status === 'leased' ? job.leaseUntilMs! : job.deadlineAtMs);

/** Open jobs by column (lane × status), so that rare columns are picked as often as common ones. */
function byColumn(jobs: Iterable<Job>): Job[][] {
  const columns = new Map<string, Job[]>();
  for (const j of jobs) {
    const key = `${j.lane}:${j.status}`;
    columns.set(key, [...(columns.get(key) ?? []), j]);
  }
  return [...columns.values()];
}

/**
 * The time-out a late receipt meets: the earliest in a column picked by `c`, unless some open
 * job's deadline and grace run out before it (then the earliest of all), so that no open job is
 * ever past its deadline and grace (invariant 9) when the keeper has not run.
 */
function lateTarget(s: State, c: number): number | null {
  const open = [...s.jobs.values()].filter((j) => j.status !== 'completed');
  if (open.length === 0) return null;
  const earliest = (jobs: Job[]) => Math.min(...jobs.map(timeoutOf));
  const firstDeadline = Math.min(...open.map((j) => j.deadlineAtMs));
  const aimed = earliest(pick(byColumn(open), c)!);
  return aimed + 1_000 < firstDeadline + s.params.jobGraceMs ? aimed : earliest(open);
}

/** A jump's target: late receipts weigh double (a lease running out needs one to be seen). */
const jumpTo = (it: Intent) =>
  (['epoch', 'day', 'late', 'late', 'window', 'close'] as const)[it.a % 6]!;

/**
 * The contended moments the audit must not miss (issue 21): just before an epoch or a day
 * boundary (receipts around it), just after the earliest time-out before the keeper ran (a late
 * receipt: LeaseExpired, a deadline passed), just before an active reservation's window ends
 * (jobs in flight at its end) and at a reservation's close (it can end). Other kinds: + dtMs.
 */
export function intentTime(s: State, it: Intent): IntentTime {
  const p = s.params;
  let plainMs = s.nowMs + it.dtMs;
  // An audit of a faked result resolves at the next settlement: most gaps that would reach it
  // stop a little before, so its committee has time to vote (otherwise a long gap resolved it
  // with no votes, and slashes happened in about 1 run of 200).
  // A faked receipt not settled yet has its audit opened at the next settlement and resolved at
  // the one after, so a gap may not cross both.
  // Eleven gaps in twelve stop short (one in four did: at seed 1 most audits of faked results
  // then opened and resolved within one long gap, with no vote at all).
  const nextSettleAt = (s.lastSettledEpoch + 2) * p.settlementEpochMs;
  const resolveAt = fakedAuditOpen(s)
    ? nextSettleAt
    : fakedPending(s)
      ? nextSettleAt + p.settlementEpochMs
      : Number.POSITIVE_INFINITY;
  if (it.kind !== 'jump' && plainMs >= resolveAt && it.b % 12 !== 0)
    plainMs = Math.max(s.nowMs, resolveAt - 1 - (it.c % 1_000));
  // Half the executions that pick a proposal past its timelock (toAction) first wait for the
  // earliest one's, and land exactly on it one time in two (timelocks run up to a day, so
  // executions were about 1 run in 100).
  if (it.kind === 'execute' && it.b % 2 === 0 && it.c % 4 !== 0) {
    const eta = Math.min(...[...s.proposals.values()].map((x) => x.etaMs));
    if (eta > s.nowMs && eta <= s.nowMs + 86_400_000)
      plainMs = Math.max(plainMs, eta + ((it.b >> 1) % 2));
  }
  // Half the releases from jail wait for the earliest jail to end (within three days), landing
  // exactly on its end one time in two.
  if (it.kind === 'releaseJail' && it.b % 2 === 0) {
    const ends = [...s.workers.values()].filter((w) => w.jailed).map((w) => w.jailedUntilMs);
    const end = Math.min(...ends);
    if (end > s.nowMs && end <= s.nowMs + 3 * 86_400_000)
      plainMs = Math.max(plainMs, end + ((it.b >> 1) % 2));
  }
  const plain = { toMs: plainMs, late: false };
  if (it.kind !== 'jump') return plain;
  const before = (boundaryMs: number) => ({
    toMs: Math.max(s.nowMs, boundaryMs - (it.b % 5_000)),
    late: false,
  });
  const minOf = (xs: number[]) => (xs.length > 0 ? Math.min(...xs) : null);
  switch (jumpTo(it)) {
    case 'epoch':
      return before((Math.floor(s.nowMs / p.settlementEpochMs) + 1) * p.settlementEpochMs);
    case 'day':
      return before((Math.floor(s.nowMs / p.dayMs) + 1) * p.dayMs);
    case 'late': {
      const atMs = lateTarget(s, it.c);
      // Within a second of it, so every open job is still inside its grace period.
      return atMs === null
        ? plain
        : { toMs: Math.max(s.nowMs, atMs + 1 + (it.b % 1_000)), late: true };
    }
    case 'window': {
      const end = minOf(activeReservations(s).map((r) => r.endAtMs));
      return end === null ? plain : before(end);
    }
    case 'close': {
      const close = minOf(
        [...s.reservations.values()].filter((r) => !r.ended).map((r) => closesAt(s, r)),
      );
      return close === null ? plain : { toMs: Math.max(s.nowMs, close + (it.b % 2)), late: false };
    }
  }
}

/** What happens at a jump's moment: the late receipt, the reservation's end, or work going on. */
function jumpAction(s: State, it: Intent): Action | null {
  if (jumpTo(it) === 'close') {
    const closed = [...s.reservations.values()].find((r) => !r.ended && s.nowMs >= closesAt(s, r));
    if (closed) return { type: 'endReservation', reservationId: closed.id };
  }
  const late =
    jumpTo(it) === 'late'
      ? pick(
          byColumn(
            [...s.jobs.values()].filter((j) => j.status !== 'completed' && timeoutOf(j) < s.nowMs),
          ),
          it.c,
        )
      : undefined;
  const job = late ? pick(late, it.a) : pick(runningJobs(s), it.c);
  if (!job || (job.status === 'queued' && !late)) return { type: 'dispatch' };
  const receipt = receiptFor(s, job, trueResult(job.id));
  return {
    type: 'completeJob',
    receipt,
    signature: createSimSigner(receipt.worker).sign(receipt),
  };
}

function verificationAction(s: State, it: Intent, opts: RunOptions): Action | null {
  const { a, b, c } = it;
  switch (it.kind) {
    case 'completeLazy': {
      // Half of them fake a Dedicated job when one runs, so a confirmed fault withholds
      // Dedicated receipts too (their escrow goes back to the sponsor, or counts as failed CU).
      const running = runningJobs(s);
      const dedicated = running.filter((j) => j.lane === Lane.dedicated);
      const job = pick(b % 2 === 0 && dedicated.length > 0 ? dedicated : running, a);
      if (!job) return null;
      const receipt = receiptFor(
        s,
        job,
        opts.lazyWorkers ? hash32(`fake${job.id}`) : trueResult(job.id),
      );
      return {
        type: 'completeJob',
        receipt,
        signature: createSimSigner(receipt.worker).sign(receipt),
      };
    }
    case 'verdict': {
      if (c % 13 === 1)
        return {
          type: 'auditVerdict',
          oracle: pick(ORACLES, b),
          jobId: s.nextJobId + 1,
          resultHash: trueResult(0),
        }; // UnknownAudit
      // Three votes in four go to audits of faked results (when there are any): spread over
      // every open audit, a lazy receipt's committee rarely reached its quorum before the audit
      // closed, so slashes (and a captured committee's false slashes) were about 1 run in 200.
      const audits = [...s.audits.values()];
      const faked = audits.filter((x) => s.jobs.get(x.jobId)?.resultHash !== trueResult(x.jobId));
      const audit = pick(c % 4 !== 0 && faked.length > 0 ? faked : audits, a);
      if (!audit) return null;
      // Mostly a committee member who has not voted yet, so audits reach their quorum; sometimes
      // any oracle (NotOnCommittee, AlreadyVoted) or a non-oracle (UnknownOracle).
      const fresh = audit.committee.filter((o) => !audit.votes.has(o));
      const oracle =
        c % 5 === 0
          ? pick(ORACLES, c)
          : c % 17 === 1
            ? pick(HOLDERS, b)
            : pick(fresh.length > 0 ? fresh : audit.committee, b);
      const index = ORACLES.indexOf(oracle);
      const colluding = index >= 0 && index < opts.colluders;
      return {
        type: 'auditVerdict',
        oracle,
        jobId: audit.jobId,
        // One in nineteen is not a bytes32 hex digest (InvalidAction).
        resultHash:
          c % 19 === 3
            ? (`${trueResult(audit.jobId)}0` as Hex)
            : colluding
              ? hash32('collude')
              : trueResult(audit.jobId),
      };
    }
    case 'oracleSet': {
      // Governance adds or removes an oracle: a genesis one (OracleAlreadyRegistered on add) or a
      // newcomer (UnknownOracle on remove); sometimes proposed by a non-governor.
      // One in eleven names a malformed address (39 hex digits: InvalidAction).
      const named = b % 4 === 0 ? addr(5 + (c % 3), 4) : pick(ORACLES, c);
      const oracle = c % 11 === 5 ? (named.slice(0, 41) as Address) : named;
      const proposer = c % 7 === 1 ? pick(HOLDERS, a) : s.params.governor;
      return { type: a % 2 === 0 ? 'registerOracle' : 'removeOracle', proposer, oracle };
    }
    case 'postAvailability': {
      const nodes = [...WORKERS, ...ORACLES];
      // Two posts in three score the workers as every honest oracle would that day (a score per
      // day and worker), so days reach agreement on scores other than 255: exactly the routing
      // minimum (a worker there still takes jobs), one below it (it does not), and scores that
      // differ between workers (routing weights them); oracles mostly fully available, now and
      // then half of them scored below the participation minimum. The third is noise.
      // One post in ten breaks a rule: a day already closed or not yet over, or a score outside
      // the uint8 range or not an integer (AvailabilityDayClosed, InvalidAction).
      const broken = c % 10 === 3 ? 1 + ((a >> 3) % 5) : 0;
      const day =
        broken === 1
          ? s.day
          : broken === 2
            ? s.lastAvailabilityDay
            : s.lastAvailabilityDay + 1 + (b % 7 === 0 ? 1 : 0);
      const min = s.params.availabilityMinScore;
      const observed = (i: number) =>
        [255, min, Math.max(0, min - 1), 100 + 50 * i][(day + i) % 4]!;
      const scores = nodes.map((n, i): [Address, number] => [
        n,
        b % 3 === 0
          ? 255 - ((c + i) % 60)
          : i < WORKERS.length
            ? observed(i)
            : c % 5 === 0
              ? 255 - (i % 2) * (c % 200)
              : 255,
      ]);
      // Mostly an active oracle that has not posted the day yet, so days reach their quorum;
      // sometimes any oracle (AlreadyVoted, UnknownOracle).
      if (broken >= 3) scores[a % scores.length]![1] = [256, -1, 127.5][broken - 3]!;
      const posted = s.availabilityReports.get(day);
      const fresh = ORACLES.filter((o) => s.oracles.get(o)?.active && !posted?.has(o));
      return {
        type: 'postAvailability',
        oracle: pick(a % 4 !== 0 && fresh.length > 0 ? fresh : ORACLES, a),
        day,
        scores,
      };
    }
    case 'closeAvailability': {
      // Under Ratio1's rules two closes in three wait for the day's job consensus to be possible
      // (three posts): an active oracle that has not posted yet posts honestly instead, so the
      // oracles agree on active nodes and the Proof-of-AI escrow pays them.
      const day = s.lastAvailabilityDay + 1;
      const posted = s.availabilityReports.get(day);
      const waiting = ORACLES.some((o) => s.oracles.get(o)?.active && !posted?.has(o));
      if (s.ratio1 && b % 3 !== 0 && (posted?.size ?? 0) < 3 && waiting && day < s.day)
        return toAction(
          s,
          { ...it, kind: 'postAvailability', a: a - (a % 4) + 1, b: 1, c: c - (c % 10) + 1 },
          opts,
        );
      return { type: 'closeAvailabilityDay', day };
    }
    case 'topUpBond':
      return {
        type: 'topUpBond',
        worker: someWorker(a),
        // Now and then nothing (InvalidAmount) or the worker's whole balance.
        amountMicroUsdc:
          [0n, s.accounts.get(pick(WORKERS, a))?.usdc ?? 0n][c % 31] ??
          BigInt(1 + (c % 800)) * USDC,
      };
    case 'releaseJail': {
      // Mostly a jailed worker (when there is one): slashes are rare, and a release of a worker
      // that is not jailed only meets NotJailed.
      const jailed = WORKERS.filter((w) => s.workers.get(w)?.jailed);
      return {
        type: 'releaseJail',
        worker: a % 4 !== 0 && jailed.length > 0 ? pick(jailed, a) : pick(WORKERS, a),
      };
    }
    case 'ban': {
      // Ratio1's owner bans (or unbans) a licence: mostly the owner, a registered worker and
      // the call that changes something; sometimes a holder (NotGovernor), the unregistered
      // candidate (UnknownWorker) or the call that changes nothing (LicenceBanned,
      // LicenceNotBanned). Under ONE's rules every one is refused (InvalidAction).
      const worker = c % 11 === 0 ? CANDIDATE : pick(WORKERS, a);
      const banned = s.ratio1?.banned?.has(worker) ?? false;
      const ban = b % 5 === 0 ? banned : !banned;
      return {
        type: ban ? 'banLicence' : 'unbanLicence',
        owner: b % 9 === 1 ? pick(HOLDERS, c) : s.params.governor,
        worker,
      };
    }
    case 'renewAttestation':
      return {
        type: 'renewAttestation',
        worker: someWorker(a),
        attestation:
          b % 4 === 0
            ? badAttestation(s, pick(WORKERS, a), c, b >> 2)
            : simAttestationFor(s.params, pick(WORKERS, a), s.nowMs + (b % 5) * 86_400_000),
      };
    default:
      return deploymentAction(s, it);
  }
}

const GB = 1_000_000_000;
/** A model no worker lists: only a deployment serves it (its jobs wait until a replica is ready). */
const UNLISTED_MODEL = modelId('m2');

/** Deployments: create (some invalid), rescale, remove, and replicas reported ready (some wrongly). */
function deploymentAction(s: State, it: Intent): Action | null {
  const { a, b, c } = it;
  const deployed = [...(s.deployments?.keys() ?? [])];
  const someModel = (n: number) =>
    deployed.length > 0 && n % 4 !== 0 ? pick(deployed, n) : pick([...MODELS, UNLISTED_MODEL], n);
  const ownerOf = (model: string, n: number) =>
    n % 6 === 0 ? pick(HOLDERS, n) : (s.deployments?.get(model)?.owner ?? pick(SPONSORS, n));
  switch (it.kind) {
    case 'deploy': {
      // One in three breaks one rule of its own (InvalidDeployment): a model id that is not
      // bytes32 hex, a size or minimum memory that is not a whole number of bytes or below its
      // bound, 0 or 65 replicas, a region or tag that is not a label (upper case, empty, 33
      // characters, a space).
      const broken = c % 3 === 1 ? 1 + ((c >> 2) % 11) : 0;
      const label = ['EU', '', 'a'.repeat(33), 'g pu'][(a >> 3) % 4]!;
      const model = pick([...MODELS, UNLISTED_MODEL], a);
      return {
        type: 'deployModel',
        owner: pick(SPONSORS, b),
        model: broken === 1 ? model.slice(0, 65) : model,
        sizeBytes: broken === 2 ? 0 : broken === 3 ? 1.5 : (1 + (c % 12)) * GB,
        replicas: broken === 4 ? 0 : broken === 5 ? 65 : 1 + (a % 3),
        ...(broken === 6
          ? { minMemoryBytes: -1 }
          : broken === 7
            ? { minMemoryBytes: 0.5 }
            : b % 4 === 0
              ? { minMemoryBytes: [0, 10 * GB, 16 * GB][(b >> 2) % 3]! } // 16 GB: a worker's exact memory
              : {}),
        ...(broken === 8 ? { region: label } : b % 5 === 0 ? { region: 'eu' } : {}),
        ...(broken === 9 ? { tag: label } : b % 7 === 0 ? { tag: 'gpu' } : {}),
        ...(broken === 10 ? { region: 'a'.repeat(32) } : {}),
        ...(broken === 11 ? { tag: 'a'.repeat(32) } : {}),
      };
    }
    case 'scaleDeployment': {
      const model = someModel(a);
      return {
        type: 'scaleDeployment',
        owner: ownerOf(model, b),
        model,
        replicas: c % 17 === 0 ? 65 : 1 + (c % 4),
      };
    }
    case 'removeDeployment': {
      const model = someModel(a);
      return { type: 'removeDeployment', owner: ownerOf(model, b), model };
    }
    case 'replicaReady': {
      const model = someModel(a);
      const pending = [...(s.deployments?.get(model)?.holders ?? [])]
        .filter(([, ready]) => !ready)
        .map(([w]) => w);
      // Mostly a placed worker whose transfer is done; else anyone (ReplicaNotPlaced, AlreadyReady).
      const worker = pending.length > 0 && b % 5 !== 0 ? pick(pending, c) : pick(WORKERS, c);
      return { type: 'replicaReady', worker, model };
    }
    default:
      return null;
  }
}

export type { StepFn };

export interface RandomRunResult {
  /** Parameters at genesis: governance may have changed `state.params` since. */
  params: Params;
  state: State;
  log: LoggedAction[];
  accepted: number;
  rejected: Map<string, number>;
  checks: number;
  /** Slashed events seen over the run. */
  slashes: number;
}

export class RandomRunFailure extends Error {
  override name = 'RandomRunFailure';
  constructor(
    message: string,
    readonly violations: InvariantViolation[],
    readonly index: number,
    /** The check that failed when it is not an invariant (a rejection's own checks). */
    readonly check:
      | 'rejectionChangesNothing'
      | 'rejectionExplained'
      | 'honestAccepted'
      | 'invalidRefused'
      | 'actionEffects'
      | null = null,
  ) {
    super(message);
  }
}

/**
 * Runs intents against a fresh state, with a keeper that starts days, settles epochs and expires
 * jobs as time passes (what the simulator's clock does). After every accepted step all
 * invariants are checked; after every rejection the state hash must be unchanged. Throws
 * RandomRunFailure on the first violation.
 */
export function runIntents(o: {
  params: Params;
  intents: Intent[];
  stepFn?: StepFn;
  checkRejections?: boolean;
  options?: Partial<RunOptions>;
  /** Sees the events of every accepted action (for properties over a whole run). */
  onEvents?: (events: readonly ProtocolEvent[], state: State) => void;
  /** Sees every action the rules say must be accepted (`honestReason`), before it is applied. */
  onHonest?: (action: Action, reason: string) => void;
  /** Sees every action the rules say must be refused (a `ruledTypes` action not honest). */
  onInvalid?: (action: Action) => void;
  /** Called for each accepted action whose effects were checked (`expectEffects`). */
  onEffects?: (action: Action) => void;
}): RandomRunResult {
  const opts = { ...defaultRunOptions, ...o.options };
  let slashes = 0;
  const env: StepEnv = { verifier: simVerifier };
  const state = createState(o.params);
  const checker = createInvariantChecker();
  const log: LoggedAction[] = [];
  /** The intent being applied (-1: genesis), for the failure's index. */
  let index = -1;
  /** Why the action being applied must be accepted (null: the rules do not say it must). */
  let honest: string | null = null;
  const actor = createActor({
    state,
    env,
    checker,
    ...(o.stepFn ? { step: o.stepFn } : {}),
    // prev is an untouched copy of the state before the step: a rejection's "changes nothing"
    // compares hashes of the two then (hashing every accepted step's state was a fifth of the
    // audit's time); the step invariants compare it with the state after.
    keepPrevious: true,
    checks: () => 'all',
    onAccepted: (atMs, action, events) => {
      log.push({ atMs, action: structuredClone(action) });
      for (const e of events) if (e.type === 'Slashed') slashes += 1;
      o.onEvents?.(events, state);
    },
    onViolation: (action, violations) => {
      throw new RandomRunFailure(
        `${action.type} at intent ${index}: ${violations.map((v) => `${v.invariant}: ${v.message}`).join('; ')}`,
        violations,
        index,
      );
    },
    onRejected: (_atMs, action, r, prev) => {
      if (o.checkRejections === false) return;
      if (stateHash(state) !== stateHash(prev!))
        throw new RandomRunFailure(
          `rejected ${action.type} (${r.code}) changed the state at intent ${index}`,
          [],
          index,
          'rejectionChangesNothing',
        );
      // A rejection is a typed reason (ARCHITECTURE.md rule 3): a known code and a message.
      if (!rejectionCodes.includes(r.code) || typeof r.message !== 'string' || r.message === '')
        throw new RandomRunFailure(
          `rejected ${action.type} with code ${JSON.stringify(r.code)} and message ${JSON.stringify(r.message)} at intent ${index}`,
          [],
          index,
          'rejectionExplained',
        );
      // An action valid by the protocol's rules (the keeper's, genesis's, or one the generator
      // built honestly) must be accepted: a handler that refuses honest work is a bug too.
      if (honest !== null)
        throw new RandomRunFailure(
          `rejected honest ${action.type} (${r.code}: ${r.message}) at intent ${index}: ${honest}`,
          [],
          index,
          'honestAccepted',
        );
    },
  });
  const apply = (action: Action, nowMs: number) => {
    const judged = o.checkRejections !== false;
    honest = judged ? honestReason(state, action, nowMs) : null;
    const invalid = judged && honest === null && ruledTypes.has(action.type);
    if (honest !== null) o.onHonest?.(action, honest);
    if (invalid) o.onInvalid?.(action);
    const effects = judged ? expectEffects(state, action, nowMs) : null;
    const r = actor.act(action, nowMs);
    // The dual of honestAccepted: where the rules refuse an action, accepting it is a bug (the
    // invariants, checked inside act, get to name what it broke first).
    if (invalid && r.ok)
      throw new RandomRunFailure(
        `accepted ${action.type} at intent ${index}, which the protocol's rules refuse (protocol/audit/honest.ts)`,
        [],
        index,
        'invalidRefused',
      );
    // What it did: its events (and a holder's stake books) as the rules say.
    if (effects && r.ok) {
      o.onEffects?.(action);
      const problem = effects(r.events, state);
      if (problem)
        throw new RandomRunFailure(`${problem} at intent ${index}`, [], index, 'actionEffects');
    }
  };
  for (const action of genesis(o.params)) apply(action, 0);
  o.intents.forEach((it, i) => {
    index = i;
    const { toMs, late } = intentTime(state, it);
    keepTime(state, toMs, apply, { expireAtEnd: !late });
    const action = toAction(state, it, opts);
    if (action) apply(action, toMs);
  });
  return {
    params: o.params,
    state,
    log,
    accepted: actor.accepted,
    rejected: new Map(actor.rejections),
    checks: checker.checks,
    slashes,
  };
}

/** A funded network to start from, so random runs spend their length on the market itself. */
export function genesis(p: Params): Action[] {
  const actions: Action[] = [];
  for (const who of [...ACTORS, CANDIDATE])
    actions.push({
      type: 'deposit',
      account: who,
      asset: 'usdc',
      amount: 5_000n * USDC + p.workerBondMinMicroUsdc,
    });
  HOLDERS.forEach((h, i) => {
    const stake = (p.stakeThresholdOneWei * BigInt(1 + 6 * i)) / 2n;
    actions.push({ type: 'deposit', account: h, asset: 'one', amount: stake + 5_000n * ONE });
    actions.push({ type: 'stake', holder: h, amountOneWei: stake });
  });
  actions.push({ type: 'fundTreasury', from: SPONSORS[0]!, amountMicroUsdc: 4_000n * USDC });
  WORKERS.forEach((w, i) => {
    actions.push({
      type: 'registerWorker',
      worker: w,
      models: i === 2 ? [...MODELS] : [MODELS[i]!],
      slots: 1 + i,
      capacityCuPerSec: 100n,
      bondMicroUsdc: p.workerBondMinMicroUsdc,
      attestation: simAttestationFor(p, w, 400 * 86_400_000),
      // Room for deployments: 8, 16 and 24 GB; workers 0 and 1 in "eu", worker 2 tagged "gpu".
      memoryBytes: (i + 1) * 8 * GB,
      ...(i < 2 ? { region: 'eu' } : { tags: ['gpu'] }),
    });
  });
  for (const oracle of ORACLES)
    actions.push({ type: 'registerOracle', proposer: p.governor, oracle });
  actions.push({ type: 'startDay', day: 0 });
  return actions;
}

/** One of the workers, or one time in nine the candidate (not registered unless it did). */
const someWorker = (n: number): Address => (n % 9 === 8 ? CANDIDATE : pick(WORKERS, n));

/**
 * The candidate's registration with one thing wrong (InvalidWorkerConfig, BondTooSmall,
 * InsufficientBalance) or exactly at a limit (accepted), picked by `n`.
 */
function corruptRegistration(s: State, n: number): Action {
  const p = s.params;
  const base = {
    type: 'registerWorker' as const,
    worker: CANDIDATE,
    models: [MODELS[0]!],
    slots: 1,
    capacityCuPerSec: 100n,
    bondMicroUsdc: p.workerBondMinMicroUsdc,
    attestation: simAttestationFor(p, CANDIDATE, s.nowMs + 30 * 86_400_000),
  };
  const ids = (k: number) => Array.from({ length: k }, (_, i) => hash32(`model${i}`));
  const balance = s.accounts.get(CANDIDATE)?.usdc ?? 0n;
  const variants: Array<Record<string, unknown>> = [
    { models: [] },
    { models: ids(p.workerModelsMax + 1) },
    { models: ids(p.workerModelsMax) }, // at the limit
    { models: [MODELS[0], MODELS[0]] },
    { models: [`${MODELS[0]}00`] },
    { slots: p.workerSlotsMax + 1 },
    { slots: p.workerSlotsMax }, // at the limit
    { slots: 1.5 },
    { capacityCuPerSec: 0n },
    { capacityCuPerSec: 1n }, // the least capacity
    { memoryBytes: -1 },
    { memoryBytes: 1.5 },
    { memoryBytes: 1 }, // the least memory
    { region: 'EU' },
    { tags: Array.from({ length: 9 }, (_, i) => `t${i}`) },
    { tags: Array.from({ length: 8 }, (_, i) => `t${i}`) }, // at the limit
    { tags: ['gpu', 'gpu'] },
    { tags: ['GPU'] },
    { bondMicroUsdc: p.workerBondMinMicroUsdc - 1n },
    { bondMicroUsdc: balance + 1n },
    { bondMicroUsdc: balance < p.workerBondMinMicroUsdc ? p.workerBondMinMicroUsdc : balance }, // all it holds
  ];
  return { ...base, ...variants[n % variants.length]! } as Action;
}

/** A faked result whose receipt waits for its epoch's settlement. */
function fakedPending(s: State): boolean {
  for (const ids of s.pendingByEpoch.values())
    for (const id of ids) if (s.jobs.get(id)?.resultHash !== trueResult(id)) return true;
  return false;
}

/** An open audit of a faked result whose committee has not reached its quorum yet. */
function fakedAuditOpen(s: State): boolean {
  for (const a of s.audits.values())
    if (
      s.jobs.get(a.jobId)?.resultHash !== trueResult(a.jobId) &&
      a.votes.size < s.params.auditQuorum
    )
      return true;
  return false;
}

/**
 * The keeper: at each day start and epoch end up to `toMs`, expire, start the day, settle; then
 * expire at `toMs` (unless `expireAtEnd` is false: a receipt arrives before the keeper runs).
 */
export function keepTime(
  state: State,
  toMs: number,
  apply: (a: Action, atMs: number) => void,
  o: { expireAtEnd?: boolean } = {},
): void {
  const p = state.params;
  for (;;) {
    const nextDayAt = (state.day + 1) * p.dayMs;
    const nextSettleAt = (state.lastSettledEpoch + 2) * p.settlementEpochMs;
    const at = Math.min(nextDayAt, nextSettleAt);
    if (at > toMs) break;
    apply({ type: 'expireJobs' }, at);
    if (at === nextDayAt) apply({ type: 'startDay', day: state.day + 1 }, at);
    if (at === nextSettleAt) apply({ type: 'settle', epoch: state.lastSettledEpoch + 1 }, at);
  }
  if (o.expireAtEnd !== false) apply({ type: 'expireJobs' }, toMs);
}

/** Replays a run's log and compares hashes (invariant 10). */
export function replayMatches(run: RandomRunResult): boolean {
  return replayLog(run.params, run.log, { verifier: simVerifier }) === stateHash(run.state);
}

export const resolveRandomParams = (p: ParamsInput): Params => resolveParams(p);
export type { Address };
export { HOLDERS, MODELS, ORACLES, SPONSORS, WORKERS };

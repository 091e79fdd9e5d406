import type { Action } from '../actions.ts';
import { allotmentCu, nominalCredits, treasuryBound } from '../allotment.ts';
import type { ProtocolEvent } from '../events.ts';
import { type Address, Lane, type State } from '../types.ts';
import { governanceCheck } from './governanceEffects.ts';
import { mayTakeJobs } from './honest.ts';
import { oracleCheck } from './oracleEffects.ts';
import { placementCheck } from './placementEffects.ts';
import { ratio1DayClose } from './ratio1Effects.ts';
import { registryCheck } from './registryEffects.ts';
import { schedulerCheck } from './scheduler.ts';
import { settleCheck } from './settleEffects.ts';
import { show } from './show.ts';
import { submitCheck } from './submitEffects.ts';

type Expected = Partial<ProtocolEvent> & { type: ProtocolEvent['type'] };

/**
 * What an accepted action must have done, by the protocol's rules, read from the state before it
 * (the audit's `actionEffects` check, issue 21): the event it emits with the fields the rules fix
 * (who, how much, when: an unbonding releases `unstakeUnbondingMs` after the unstake, an exiting
 * worker's bond `workerUnbondingMs` after the exit, a proposal executes `timelockMs` after it is
 * queued, ids are the next free ones), and for stake, unstake and claims of unbonded stake the
 * holder's stake books; after expireJobs, exactly the jobs past their deadline have expired and
 * the leases past their end have ended (§5). Events are what indexers and the live driver read: a handler that emits
 * an empty or wrong event, or files an unbonding at the wrong time, breaks no balance.
 *
 * Returns a function to call with the step's events and the state after it; it names the first
 * thing that is not as the rules say, or null.
 */
export function expectEffects(
  s: State,
  a: Action,
  nowMs: number,
): (events: readonly ProtocolEvent[], after: State) => string | null {
  const want = expectedEvents(s, a, nowMs);
  const books =
    a.type === 'expireJobs'
      ? expiry(s, nowMs)
      : a.type === 'startDay'
        ? allotments(s, a.day)
        : a.type === 'dispatch' && s.params.rewardRules !== 'ratio1'
          ? workConserving(nowMs)
          : a.type === 'banLicence' || a.type === 'unbanLicence'
            ? banBooks(a.worker, a.type === 'banLicence')
            : a.type === 'reserve'
              ? reservationBooks(s, a, nowMs)
              : stakeBooks(s, a, nowMs);
  const scheduler = schedulerCheck(s, a, nowMs);
  const ratio1 = ratio1DayClose(s, a);
  const settle = settleCheck(s, a, nowMs);
  const oracles = oracleCheck(s, a);
  const placement = placementCheck(s, a);
  const submit = submitCheck(s, a, nowMs);
  const governance = governanceCheck(s, a, nowMs);
  const registry = registryCheck(s, a);
  return (events, after) => {
    const unnamed = events.find((e) => {
      const type: unknown = (e as { type?: unknown } | undefined)?.type;
      return typeof type !== 'string' || type === '';
    });
    if (unnamed) return `${a.type} emitted an event without a type: ${show(unnamed)}`;
    for (const w of want)
      if (!events.some((e) => matches(e, w)))
        return `${a.type} emitted no ${show(w)} (emitted: ${events.map(show).join(', ') || 'nothing'})`;
    return (
      books?.(events, after) ??
      scheduler?.(events, after) ??
      ratio1?.(events, after) ??
      settle?.(events, after) ??
      oracles?.(events, after) ??
      placement?.(events, after) ??
      submit?.(events, after) ??
      governance?.(events, after) ??
      registry?.(events, after) ??
      null
    );
  };
}

const matches = (e: ProtocolEvent, w: Expected) =>
  Object.entries(w).every(([k, v]) => (e as Record<string, unknown>)[k] === v);

function expectedEvents(s: State, a: Action, nowMs: number): Expected[] {
  const p = s.params;
  switch (a.type) {
    case 'deposit':
      return [{ type: 'Deposited', account: a.account, asset: a.asset, amount: a.amount }];
    case 'withdraw':
      return [{ type: 'Withdrawn', account: a.account, asset: a.asset, amount: a.amount }];
    case 'fundTreasury':
      return [{ type: 'TreasuryFunded', from: a.from, amountMicroUsdc: a.amountMicroUsdc }];
    case 'stake':
      return [{ type: 'Staked', holder: a.holder, amountOneWei: a.amountOneWei }];
    case 'unstake':
      return [
        {
          type: 'UnstakeStarted',
          holder: a.holder,
          amountOneWei: a.amountOneWei,
          releaseAtMs: nowMs + p.unstakeUnbondingMs,
        },
      ];
    case 'claimUnbonded': {
      const matured = (s.holders.get(a.holder)?.unbonding ?? []).filter(
        (u) => u.releaseAtMs <= nowMs,
      );
      const amountOneWei = matured.reduce((sum, u) => sum + u.amountOneWei, 0n);
      return [{ type: 'UnbondedClaimed', holder: a.holder, amountOneWei }];
    }
    case 'reserve': {
      const { reservedCu, costMicroUsdc, feeMicroUsdc } = reservationCost(s, a);
      return [
        {
          type: 'Reserved',
          reservationId: s.nextReservationId,
          sponsor: a.sponsor,
          reservedCu,
          costMicroUsdc,
          feeMicroUsdc,
        },
      ];
    }
    case 'submitJob':
      return [
        {
          type: 'JobSubmitted',
          jobId: s.nextJobId,
          lane: a.lane,
          requester: a.requester,
          model: a.model,
          units: a.units,
        },
      ];
    case 'completeJob': {
      const job = s.jobs.get(a.receipt.jobId);
      return job
        ? [
            {
              type: 'JobCompleted',
              jobId: job.id,
              worker: a.receipt.worker,
              waitMs: nowMs - job.submittedAtMs,
            },
          ]
        : [];
    }
    case 'failJob': {
      const job = s.jobs.get(a.jobId);
      return job
        ? [
            {
              type: 'JobFailed',
              jobId: job.id,
              lane: job.lane,
              worker: a.worker,
              refunded: job.units,
            },
          ]
        : [];
    }
    case 'claim':
      return [
        { type: 'Claimed', epoch: a.epoch, worker: a.worker, amountMicroUsdc: a.amountMicroUsdc },
      ];
    case 'registerWorker':
      return [{ type: 'WorkerRegistered', worker: a.worker, bondMicroUsdc: a.bondMicroUsdc }];
    case 'setWorkerOnline':
      return [{ type: 'WorkerOnline', worker: a.worker, online: a.online === true }];
    case 'exitWorker':
      return [
        { type: 'WorkerExiting', worker: a.worker, bondReleaseAtMs: nowMs + p.workerUnbondingMs },
      ];
    case 'withdrawBond': {
      const bond = s.workers.get(a.worker)?.bondMicroUsdc;
      return [{ type: 'BondWithdrawn', worker: a.worker, amountMicroUsdc: bond }];
    }
    case 'topUpBond':
      return [{ type: 'BondToppedUp', worker: a.worker, amountMicroUsdc: a.amountMicroUsdc }];
    case 'releaseJail':
      return [{ type: 'JailReleased', worker: a.worker }];
    case 'renewAttestation':
      return [
        { type: 'AttestationRenewed', worker: a.worker, expiresAtMs: a.attestation.expiresAtMs },
      ];
    case 'registerOracle':
      return [{ type: 'OracleRegistered', oracle: a.oracle }];
    case 'removeOracle':
      return [{ type: 'OracleRemoved', oracle: a.oracle }];
    case 'postAvailability':
      return [
        { type: 'AvailabilityPosted', oracle: a.oracle, day: a.day, scores: a.scores.length },
      ];
    case 'auditVerdict':
      return [
        {
          type: 'AuditVote',
          jobId: a.jobId,
          oracle: a.oracle,
          match: a.resultHash === s.jobs.get(a.jobId)?.resultHash,
        },
      ];
    case 'proposeParams':
      return [
        { type: 'ProposalQueued', proposalId: s.nextProposalId, etaMs: nowMs + p.timelockMs },
      ];
    case 'executeProposal':
      return [{ type: 'ProposalExecuted', proposalId: a.proposalId }];
    case 'cancelProposal':
      return [{ type: 'ProposalCancelled', proposalId: a.proposalId }];
    case 'startDay':
      return [{ type: 'DayStarted', day: a.day }];
    case 'banLicence':
    case 'unbanLicence':
      return [{ type: 'LicenceBanned', worker: a.worker, banned: a.type === 'banLicence' }];
    case 'settle':
      return [{ type: 'EpochSettled', epoch: a.epoch }];
    default:
      return [];
  }
}

/**
 * §3: a day start gives each holder the allotment of its bonded stake under the schedule, scaled
 * by the treasury bound σ_d (protocol/allotment.ts: the documented formulas), with nothing used
 * or reserved yet, earmarks allotted CU × price from the treasury, and says so in DayStarted
 * (eligible holders: those the schedule gives credits).
 */
function allotments(
  s: State,
  day: number,
): (events: readonly ProtocolEvent[], after: State) => string | null {
  const p = s.params;
  const nominal = new Map<string, { num: bigint; den: bigint }>();
  let numTotal = 0n;
  let den = 1n;
  for (const [address, h] of s.holders) {
    const n = nominalCredits({
      schedule: p.allotmentSchedule,
      stakeOneWei: h.stakedOneWei,
      thresholdOneWei: p.stakeThresholdOneWei,
      creditsPerThresholdCu: p.creditsPerThresholdCu,
    });
    den = n.den;
    if (n.num > 0n) {
      nominal.set(address, n);
      numTotal += n.num;
    }
  }
  const price = p.includedPriceMicroUsdcPerCu;
  const { budgetMicroUsdc, sigma } = treasuryBound({
    treasuryMicroUsdc: s.treasuryMicroUsdc,
    budgetMaxMicroUsdc: p.includedBudgetMaxMicroUsdc,
    runwayDays: p.runwayDays,
    priceMicroUsdcPerCu: price,
    nominalNumTotal: numTotal,
    den,
  });
  const want = new Map(
    [...s.holders.keys()].map((k) => {
      const n = nominal.get(k);
      return [k, n ? allotmentCu(n, sigma) : 0n] as const;
    }),
  );
  const allotted = [...want.values()].reduce((x, y) => x + y, 0n);
  const treasury = s.treasuryMicroUsdc - allotted * price;
  return (events, after) => {
    for (const [k, cu] of want) {
      const h = after.holders.get(k);
      if (h?.creditDay !== day || h.allotmentCu !== cu || h.usedCu !== 0n || h.reservedCu !== 0n)
        return `startDay ${day}: ${k} has ${h?.allotmentCu} CU for day ${h?.creditDay} (used ${h?.usedCu}, reserved ${h?.reservedCu}), the rules say ${cu} for day ${day}, none used`;
    }
    if (after.treasuryMicroUsdc !== treasury)
      return `startDay ${day}: the treasury holds ${after.treasuryMicroUsdc}, the rules say ${treasury} (${allotted} CU earmarked at ${price})`;
    const e = events.find((x) => x.type === 'DayStarted');
    if (
      e?.type !== 'DayStarted' ||
      e.allottedCu !== allotted ||
      e.eligibleHolders !== nominal.size ||
      e.budgetMicroUsdc !== budgetMicroUsdc
    )
      return `startDay ${day}: DayStarted says ${show(e)}, the rules say ${allotted} CU to ${nominal.size} holders within ${budgetMicroUsdc}`;
    return null;
  };
}

/**
 * §5: after a dispatch, no Included job waits for a model while a worker that may take jobs
 * (registered, active, not jailed, online, bonded, available, attested) serves it with a free
 * slot: the market hands out work while it can. Models under a deployment are left out (only
 * ready replica holders take their jobs), and so are runs under Ratio1's rules (licence bans and
 * activity scores decide who may take jobs there).
 */
function workConserving(
  nowMs: number,
): (events: readonly ProtocolEvent[], after: State) => string | null {
  return (_events, after) => {
    const free = (model: string) =>
      [...after.workers.values()].find(
        (w) => w.models.includes(model) && mayTakeJobs(after, w, nowMs) && w.activeJobs < w.slots,
      );
    for (const j of after.jobs.values()) {
      if (j.status !== 'queued' || j.lane !== Lane.included || after.deployments?.has(j.model))
        continue;
      const w = free(j.model);
      if (w)
        return `dispatch left Included job ${j.id} waiting while ${w.address} serves ${j.model} with a free slot`;
    }
    return null;
  };
}

/**
 * §5: expireJobs at `nowMs` ends every open job whose deadline is before now and every lease that
 * ended before now (a job's time is up strictly after it: a receipt at the deadline is in time),
 * and nothing else: each JobExpired is a job past its deadline, each JobLeaseEnded a lease past
 * its end.
 */
function expiry(
  s: State,
  nowMs: number,
): (events: readonly ProtocolEvent[], after: State) => string | null {
  const before = new Map([...s.jobs].map(([id, j]) => [id, { ...j }]));
  return (events, after) => {
    for (const e of events) {
      const j = 'jobId' in e ? before.get(e.jobId) : undefined;
      if (e.type === 'JobExpired' && !(j && j.deadlineAtMs < nowMs))
        return `expireJobs at ${nowMs} expired job ${e.jobId}, whose deadline is ${j?.deadlineAtMs}`;
      if (
        e.type === 'JobLeaseEnded' &&
        !(j?.status === 'leased' && j.leaseUntilMs !== undefined && j.leaseUntilMs < nowMs)
      )
        return `expireJobs at ${nowMs} ended job ${e.jobId}'s lease, which runs until ${j?.leaseUntilMs}`;
    }
    for (const j of after.jobs.values()) {
      if (j.status === 'completed') continue;
      if (j.deadlineAtMs < nowMs)
        return `after expireJobs at ${nowMs}, job ${j.id} is still ${j.status}, past its deadline ${j.deadlineAtMs}`;
      if (j.status === 'leased' && j.leaseUntilMs !== undefined && j.leaseUntilMs < nowMs)
        return `after expireJobs at ${nowMs}, job ${j.id} is still leased, past its lease ${j.leaseUntilMs}`;
    }
    return null;
  };
}

/** §4: R CU/s for the duration, at the Dedicated price, plus the fee φ rounded up. */
function reservationCost(s: State, a: Extract<Action, { type: 'reserve' }>) {
  const p = s.params;
  const reservedCu = (a.rateCuPerSec * BigInt(a.durationMs)) / 1000n;
  const costMicroUsdc = reservedCu * p.dedicatedPriceMicroUsdcPerCu;
  const feeMicroUsdc =
    (costMicroUsdc * p.dedicatedFee.num + p.dedicatedFee.den - 1n) / p.dedicatedFee.den;
  return { reservedCu, costMicroUsdc, feeMicroUsdc };
}

/**
 * §4: a reservation starts when asked (now by default) and runs for its duration, not ended, its
 * cost in escrow, its bucket full, and the sponsor pays cost plus fee (the fee to the treasury).
 */
function reservationBooks(
  s: State,
  a: Extract<Action, { type: 'reserve' }>,
  nowMs: number,
): (events: readonly ProtocolEvent[], after: State) => string | null {
  const id = s.nextReservationId;
  const { reservedCu, costMicroUsdc, feeMicroUsdc } = reservationCost(s, a);
  const startAtMs = a.startAtMs ?? nowMs;
  const balance = s.accounts.get(a.sponsor)?.usdc ?? 0n;
  const treasury = s.treasuryMicroUsdc;
  const cap = a.rateCuPerSec * BigInt(s.params.dedicatedBurstMs);
  return (_events, after) => {
    const r = after.reservations.get(id);
    if (
      !r ||
      r.sponsor !== a.sponsor ||
      r.model !== a.model ||
      r.rateCuPerSec !== a.rateCuPerSec ||
      r.startAtMs !== startAtMs ||
      r.endAtMs !== startAtMs + a.durationMs ||
      r.ended ||
      r.reservedCu !== reservedCu ||
      r.escrowMicroUsdc !== costMicroUsdc ||
      r.tokensMilliCu !== cap
    )
      return `reserve: reservation ${id} is ${show(r ? { ...r, queue: undefined } : r)}; the rules say ${a.sponsor}'s, ${startAtMs}..${startAtMs + a.durationMs}, ${reservedCu} CU, ${costMicroUsdc} in escrow, a full bucket of ${cap} milli-CU, not ended`;
    const paid = balance - (after.accounts.get(a.sponsor)?.usdc ?? 0n);
    if (
      paid !== costMicroUsdc + feeMicroUsdc ||
      after.treasuryMicroUsdc !== treasury + feeMicroUsdc
    )
      return `reserve: ${a.sponsor} paid ${paid} and the treasury holds ${after.treasuryMicroUsdc}; the rules say ${costMicroUsdc} + fee ${feeMicroUsdc}, the fee to the treasury (${treasury})`;
    return null;
  };
}

/** Ratio1's owner bans (protocol/README.md, rule 6): a ban puts the licence in the banned set, an unban takes it out. */
function banBooks(
  worker: Address,
  ban: boolean,
): (events: readonly ProtocolEvent[], after: State) => string | null {
  return (_events, after) =>
    (after.ratio1?.banned?.has(worker) ?? false) === ban
      ? null
      : `${ban ? 'banLicence' : 'unbanLicence'}: ${worker}'s licence is ${ban ? 'not ' : ''}banned after it`;
}

/**
 * §3: stake moves to the holder's bonded stake; an unstake moves it into an unbonding entry that
 * releases `unstakeUnbondingMs` later; a claim takes exactly the matured entries and keeps the rest.
 */
function stakeBooks(
  s: State,
  a: Action,
  nowMs: number,
): ((events: readonly ProtocolEvent[], after: State) => string | null) | null {
  if (a.type !== 'stake' && a.type !== 'unstake' && a.type !== 'claimUnbonded') return null;
  const h = s.holders.get(a.holder);
  const staked = h?.stakedOneWei ?? 0n;
  const unbonding = (h?.unbonding ?? []).map((u) => ({ ...u }));
  const wantStaked =
    a.type === 'stake'
      ? staked + a.amountOneWei
      : a.type === 'unstake'
        ? staked - a.amountOneWei
        : staked;
  const wantUnbonding =
    a.type === 'unstake'
      ? [
          ...unbonding,
          { amountOneWei: a.amountOneWei, releaseAtMs: nowMs + s.params.unstakeUnbondingMs },
        ]
      : a.type === 'claimUnbonded'
        ? unbonding.filter((u) => u.releaseAtMs > nowMs)
        : unbonding;
  return (_events, after) => {
    const g = after.holders.get(a.holder);
    if ((g?.stakedOneWei ?? 0n) !== wantStaked)
      return `${a.type}: ${a.holder} has ${g?.stakedOneWei} staked, the rules say ${wantStaked}`;
    const got = (g?.unbonding ?? []).map((u) => `${u.amountOneWei}@${u.releaseAtMs}`).join(',');
    const want = wantUnbonding.map((u) => `${u.amountOneWei}@${u.releaseAtMs}`).join(',');
    return got === want ? null : `${a.type}: ${a.holder} unbonds [${got}], the rules say [${want}]`;
  };
}

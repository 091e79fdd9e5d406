import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nominalCredits } from '../allotment.ts';
import { intentsArb, paramsArb, runIntents, type StepFn } from '../audit/randomRun.ts';
import type { ProtocolEvent } from '../events.ts';
import { isRoutable } from '../handlers/routing.ts';
import { EMPTY_ROOT } from '../merkle/payoutTree.ts';
import { resolveParams } from '../params.ts';
import { step } from '../step.ts';
import { assertProperty } from '../testing/shrinkBudget.ts';
import { type Address, Lane, type State, type Totals } from '../types.ts';
import { mulRatioFloor } from '../units.ts';

// The event log is an account of the state: an indexer that only reads events must arrive at
// the protocol's own totals, treasury, settlement pool and per-worker and per-oracle counters.
// Written for surviving mutants (docs/auditing.md): the safety invariants hold when a counter
// or an event field is wrong; this property does not.
const seed = Number(process.env.ONESIM_FC_SEED ?? 20261121);
const numRuns = Math.max(8, Math.ceil(Number(process.env.ONESIM_FC_RUNS ?? 150) / 10));

type Ev<T extends ProtocolEvent['type']> = Extract<ProtocolEvent, { type: T }>;
const sum = (xs: bigint[]) => xs.reduce((a, b) => a + b, 0n);

interface Snapshot {
  totals: Totals;
  treasury: bigint;
  pool: bigint;
  workers: Map<
    Address,
    { served: number; failed: number; earned: bigint; bond: bigint; slashed: bigint }
  >;
  oracles: Map<Address, { verdicts: number; earned: bigint }>;
}

function snapshot(s: State): Snapshot {
  return {
    totals: { ...s.totals },
    treasury: s.treasuryMicroUsdc,
    pool: s.settlementPoolMicroUsdc,
    workers: new Map(
      [...s.workers].map(([a, w]) => [
        a,
        {
          served: w.served,
          failed: w.failed,
          earned: w.earnedMicroUsdc,
          bond: w.bondMicroUsdc,
          slashed: w.slashedMicroUsdc,
        },
      ]),
    ),
    oracles: new Map(
      [...s.oracles].map(([a, o]) => [a, { verdicts: o.verdicts, earned: o.earnedMicroUsdc }]),
    ),
  };
}

/** Checks one accepted step's events against the change they describe. */
function ledger() {
  let prev: Snapshot | null = null;
  const units = new Map<number, bigint>();
  /** Per open audit, its voters in vote order and whether each vote matched. */
  const votes = new Map<number, Array<{ oracle: Address; match: boolean }>>();
  return (events: readonly ProtocolEvent[], s: State) => {
    const before =
      prev ??
      snapshot({
        ...s,
        totals: zeroTotals(s.totals),
        workers: new Map(),
        oracles: new Map(),
        treasuryMicroUsdc: 0n,
        settlementPoolMicroUsdc: 0n,
      });
    const all = <T extends ProtocolEvent['type']>(type: T) =>
      events.filter((e): e is Ev<T> => e.type === type);
    // Totals mix counts (number) and amounts (bigint); the difference keeps the field's type.
    const d = (k: keyof Totals): number | bigint =>
      typeof s.totals[k] === 'bigint'
        ? (s.totals[k] as bigint) - (before.totals[k] as bigint)
        : (s.totals[k] as number) - (before.totals[k] as number);
    const p = s.params;

    const settled = all('ReceiptSettled');
    const slashes = all('Slashed');
    const deposits = all('Deposited');
    const withdrawals = all('Withdrawn');
    expect(d('jobsSubmitted')).toBe(all('JobSubmitted').length);
    expect(d('jobsCompleted')).toBe(all('JobCompleted').length);
    expect(d('jobsFailed')).toBe(all('JobFailed').length);
    expect(d('jobsExpired')).toBe(all('JobExpired').length);
    expect(d('receiptsSettled')).toBe(settled.length);
    expect(d('settledMicroUsdc')).toBe(sum(settled.map((e) => e.grossMicroUsdc)));
    expect(d('takeMicroUsdc')).toBe(sum(settled.map((e) => e.takeMicroUsdc)));
    expect(d('includedPaidMicroUsdc')).toBe(
      sum(settled.filter((e) => e.lane === Lane.included).map((e) => e.grossMicroUsdc)),
    );
    expect(d('dedicatedPaidMicroUsdc')).toBe(
      sum(settled.filter((e) => e.lane === Lane.dedicated).map((e) => e.grossMicroUsdc)),
    );
    expect(d('feesMicroUsdc')).toBe(sum(all('Reserved').map((e) => e.feeMicroUsdc)));
    expect(d('forfeitedMicroUsdc')).toBe(
      sum(all('ReservationEnded').map((e) => e.forfeitedMicroUsdc)),
    );
    expect(
      d('refundedMicroUsdc') >= sum(all('ReservationEnded').map((e) => e.refundedMicroUsdc)),
    ).toBe(true);
    expect(d('slashedMicroUsdc')).toBe(sum(slashes.map((e) => e.slashedMicroUsdc)));
    expect(d('bountiesMicroUsdc')).toBe(sum(slashes.map((e) => e.bountyMicroUsdc)));
    expect(d('mismatchesConfirmed')).toBe(slashes.length);
    expect(d('auditsOpened')).toBe(all('AuditOpened').length);
    expect(d('auditsResolved')).toBe(all('AuditResolved').length);
    expect(d('availabilityDaysClosed')).toBe(all('AvailabilityClosed').length);
    expect(d('faultyDays')).toBe(all('AvailabilityClosed').filter((e) => e.faulty).length);
    expect(d('availabilityRewardsMicroUsdc')).toBe(
      sum(all('AvailabilityClosed').map((e) => e.rewardsMicroUsdc)),
    );
    const moved = (es: Array<Ev<'Deposited'> | Ev<'Withdrawn'>>, asset: string) =>
      sum(es.filter((e) => e.asset === asset).map((e) => e.amount));
    expect(d('usdcDepositedMicroUsdc')).toBe(moved(deposits, 'usdc'));
    expect(d('oneDepositedWei')).toBe(moved(deposits, 'one'));
    expect(d('usdcWithdrawnMicroUsdc')).toBe(moved(withdrawals, 'usdc'));
    expect(d('oneWithdrawnWei')).toBe(moved(withdrawals, 'one'));

    // Oracles: fees and verdict counts.
    let oracleEarned = 0n;
    for (const [a, o] of s.oracles)
      oracleEarned += o.earnedMicroUsdc - (before.oracles.get(a)?.earned ?? 0n);
    expect(d('oracleFeesMicroUsdc')).toBe(oracleEarned);
    for (const e of all('AuditVote')) {
      const audit = s.audits.get(e.jobId)!;
      expect(e.match).toBe(audit.votes.get(e.oracle) === s.jobs.get(e.jobId)!.resultHash);
      votes.set(e.jobId, [...(votes.get(e.jobId) ?? []), { oracle: e.oracle, match: e.match }]);
    }
    const verdicts = new Map<Address, number>();
    for (const e of all('AuditResolved')) {
      const v = votes.get(e.jobId) ?? [];
      expect([e.votes, e.mismatches]).toEqual([v.length, v.filter((x) => !x.match).length]);
      expect(s.audits.has(e.jobId)).toBe(false);
      for (const { oracle } of v) verdicts.set(oracle, (verdicts.get(oracle) ?? 0) + 1);
      const slash = slashes.find((x) => x.jobId === e.jobId);
      expect(slash !== undefined).toBe(e.confirmed);
      if (slash) expect(slash.reporter).toBe(v.find((x) => !x.match)?.oracle ?? null);
      votes.delete(e.jobId);
    }
    for (const [a, o] of s.oracles)
      expect(o.verdicts - (before.oracles.get(a)?.verdicts ?? 0)).toBe(verdicts.get(a) ?? 0);

    // Workers: served, failed, earned, slashed.
    for (const [a, w] of s.workers) {
      const b = before.workers.get(a) ?? {
        served: 0,
        failed: 0,
        earned: 0n,
        bond: w.bondMicroUsdc,
        slashed: 0n,
      };
      expect(w.served - b.served).toBe(all('JobCompleted').filter((e) => e.worker === a).length);
      expect(w.failed - b.failed).toBe(
        all('JobFailed').filter((e) => e.worker === a).length +
          all('JobExpired').filter((e) => e.worker === a).length,
      );
      expect(w.earnedMicroUsdc - b.earned).toBe(
        sum(settled.filter((e) => e.worker === a).map((e) => e.grossMicroUsdc - e.takeMicroUsdc)),
      );
      const slash = slashes.find((e) => e.worker === a);
      expect(w.slashedMicroUsdc - b.slashed).toBe(slash?.slashedMicroUsdc ?? 0n);
      if (slash) {
        expect(slash.slashedMicroUsdc).toBe(mulRatioFloor(b.bond, p.slashFraction));
        expect(slash.bountyMicroUsdc).toBe(
          slash.reporter ? mulRatioFloor(slash.slashedMicroUsdc, p.bountyFraction) : 0n,
        );
        expect([w.jailed, w.jailedUntilMs, slash.jailedUntilMs]).toEqual([
          true,
          s.nowMs + p.jailMs,
          s.nowMs + p.jailMs,
        ]);
        for (const ids of s.pendingByEpoch.values())
          for (const id of ids)
            if (s.jobs.get(id)!.worker === a) expect(s.jobs.get(id)!.voided).toBe(true);
      }
    }

    // Jobs: what the events name is what the state holds.
    for (const e of all('JobSubmitted')) {
      expect(s.jobs.get(e.jobId)).toMatchObject({
        lane: e.lane,
        requester: e.requester,
        model: e.model,
        units: e.units,
      });
      units.set(e.jobId, e.units);
    }
    for (const e of all('JobDispatched'))
      expect(s.jobs.get(e.jobId)).toMatchObject({
        status: 'running',
        worker: e.worker,
        lane: e.lane,
        model: e.model,
      });
    for (const e of all('JobCompleted')) {
      const job = s.jobs.get(e.jobId)!;
      expect(job).toMatchObject({
        status: 'completed',
        worker: e.worker,
        receiptId: e.receiptId,
        finishedAtMs: s.nowMs,
      });
      expect(e.waitMs).toBe(s.nowMs - job.submittedAtMs);
    }
    for (const e of [...all('JobFailed'), ...all('JobExpired')]) {
      expect(s.jobs.has(e.jobId)).toBe(false);
      expect(e.refunded).toBe(units.get(e.jobId));
    }

    // Settlement: each EpochSettled sums its receipts and posts the root claims are checked against.
    for (const e of all('EpochSettled')) {
      const mine = settled.filter((x) => x.epoch === e.epoch);
      expect(e.receipts).toBe(mine.length);
      expect(e.totalMicroUsdc).toBe(sum(mine.map((x) => x.grossMicroUsdc - x.takeMicroUsdc)));
      expect(e.root).toBe(s.settlements.get(e.epoch)?.root ?? EMPTY_ROOT);
      expect(s.lastSettledEpoch).toBe(e.epoch);
    }
    expect(s.settlementPoolMicroUsdc - before.pool).toBe(
      sum(all('EpochSettled').map((e) => e.totalMicroUsdc)) -
        sum(all('Claimed').map((e) => e.amountMicroUsdc)),
    );

    // Days: the budget the event announces is the one recorded.
    for (const e of all('DayStarted')) {
      expect(s.day).toBe(e.day);
      expect(s.dayBudgets.get(e.day)).toMatchObject({
        budgetMicroUsdc: e.budgetMicroUsdc,
        allottedCu: e.allottedCu,
        sigma: e.sigma,
      });
      const eligible = [...s.holders.values()].filter(
        (h) =>
          nominalCredits({
            schedule: p.allotmentSchedule,
            stakeOneWei: h.snapshotOneWei,
            thresholdOneWei: p.stakeThresholdOneWei,
            creditsPerThresholdCu: p.creditsPerThresholdCu,
          }).num > 0n,
      ).length;
      expect(e.eligibleHolders).toBe(eligible);
    }

    // The treasury moves only as the events say.
    expect(s.treasuryMicroUsdc - before.treasury).toBe(
      sum(all('TreasuryFunded').map((e) => e.amountMicroUsdc)) -
        sum(all('DayStarted').map((e) => e.allottedCu * p.includedPriceMicroUsdcPerCu)) +
        sum(settled.map((e) => e.takeMicroUsdc)) +
        sum(all('DayBudgetReleased').map((e) => e.returnedMicroUsdc)) -
        oracleEarned +
        sum(slashes.map((e) => e.slashedMicroUsdc - e.bountyMicroUsdc)) +
        sum(all('Reserved').map((e) => e.feeMicroUsdc)) +
        sum(all('ReservationEnded').map((e) => e.forfeitedMicroUsdc)) -
        sum(all('AvailabilityClosed').map((e) => e.rewardsMicroUsdc)),
    );
    // The routing index: exactly the eligible workers with a free slot (a lapsed attestation
    // leaves it lazily, when routing meets it); for a deployed model, those with a ready replica.
    for (const w of s.workers.values())
      for (const m of new Set([...w.models, ...(w.replicas ?? [])])) {
        const listed = s.freeWorkers.get(m)?.has(w.address) ?? false;
        const d = s.deployments?.get(m);
        const free =
          isRoutable(s, w) && w.activeJobs < w.slots && (!d || d.holders.get(w.address) === true);
        const lapsed = p.kycRequired && w.attestationExpiresAtMs <= s.nowMs;
        if (listed) expect(free, `${w.address} listed for ${m} but not free`).toBe(true);
        else if (!lapsed) expect(free, `${w.address} free for ${m} but not listed`).toBe(false);
      }
    prev = snapshot(s);
  };
}

/** A rejection says why: a non-empty message (what the CLI and the audit show). */
const explained: StepFn = (state, action, nowMs, env) => {
  const r = step(state, action, nowMs, env);
  if (!r.ok) expect(r.message, `${r.code} without a message`).not.toBe('');
  return r;
};

function zeroTotals(t: Totals): Totals {
  return Object.fromEntries(
    Object.entries(t).map(([k, v]) => [k, typeof v === 'bigint' ? 0n : 0]),
  ) as unknown as Totals;
}

describe('the event log accounts for the state', () => {
  it('totals, treasury, settlement pool, worker and oracle counters follow from the events; rejections say why', () => {
    // Shrinking bounded by time (ONESIM_FC_SHRINK_MS): see protocol/testing/shrinkBudget.ts.
    assertProperty(
      // Every receipt audited, so that verdicts and slashes are checked too (slashes stay rare:
      // protocol/handlers/audits.test.ts pins a slash's effects exactly).
      fc.property(
        paramsArb,
        fc.integer({ min: 0, max: 2 }),
        intentsArb(320),
        (p, colluders, intents) => {
          runIntents({
            params: resolveParams({ ...p, auditSampleRate: { num: 1n, den: 1n } }),
            intents,
            options: { colluders, lazyWorkers: true },
            onEvents: ledger(),
            stepFn: explained,
          });
        },
      ),
      { seed, numRuns },
    );
  });
});

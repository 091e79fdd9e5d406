import { describe, expect, it } from 'vitest';
import type { ProtocolEvent } from '../events.ts';
import { cloneState } from '../state.ts';
import { hash32 } from '../testing/fixtures.ts';
import {
  dedicatedJob,
  fundAndReserve,
  holderAddr,
  includedJob,
  MODEL_A,
  smallNetwork,
  workerAddr,
} from '../testing/network.ts';
import { Lane, type State } from '../types.ts';
import { checkStateInvariants, invariantNames } from './stateInvariants.ts';
import { createInvariantChecker } from './stepInvariants.ts';

// Written for surviving mutants (docs/auditing.md): a check that never fires passes every
// property. Each check must flag a state corrupted in the way it guards against, at the boundary,
// and stay quiet on the state just inside it.
const EPOCH = 21_600_000;

/** A state with every kind of holding: budgets, escrow, bonds, stake, unbonding, payouts, pending receipts. */
function base() {
  const d = smallNetwork({ params: { unstakeUnbondingMs: 10 * EPOCH } });
  const s = fundAndReserve(d);
  d.run(includedJob(holderAddr(0), 100n));
  d.run({ type: 'dispatch' });
  d.at(1_000).complete(1);
  d.run(dedicatedJob(s, 1, 7n));
  d.run({ type: 'dispatch' });
  d.at(2_000).complete(2);
  d.at(2 * EPOCH).run({ type: 'settle', epoch: 0 });
  d.run({ type: 'settle', epoch: 1 }); // pays jobs 1 and 2: a settlement with payouts
  d.run(includedJob(holderAddr(0), 10n));
  d.run({ type: 'dispatch' });
  d.complete(3); // pending in epoch 2
  d.run({ type: 'unstake', holder: holderAddr(1), amountOneWei: 1n });
  d.run(includedJob(holderAddr(0), 5n)); // job 4: dispatched, running
  d.run({ type: 'dispatch' });
  return d.state;
}

const names = (s: State) => checkStateInvariants(s).map((v) => v.invariant);

function flags(mutate: (s: State) => void, want: string[]) {
  const s = cloneState(base());
  mutate(s);
  const got = [...new Set(names(s))].sort();
  expect(got, mutate.toString()).toEqual([...want].sort());
  // A violation says what is wrong.
  for (const v of checkStateInvariants(s)) expect(v.message, v.invariant).toMatch(/\d/);
}

describe('state checks bite', () => {
  it('a consistent state has no violation (holder 1 sits exactly at the threshold)', () => {
    expect(checkStateInvariants(base())).toEqual([]);
    expect(new Set(invariantNames).size).toBe(invariantNames.length);
  });

  it('conservation: a unit created or lost anywhere is noticed', () => {
    const w = workerAddr(0);
    const h1 = holderAddr(1);
    flags((s) => (s.treasuryMicroUsdc += 1n), ['conservation']);
    flags((s) => (s.accounts.get(w)!.usdc += 1n), ['conservation']);
    flags((s) => (s.accounts.get(h1)!.one += 1n), ['conservation']);
    flags((s) => (s.dayBudgets.get(0)!.earmarkedMicroUsdc += 1n), ['conservation']);
    flags((s) => (s.dayBudgets.get(0)!.paidMicroUsdc -= 1n), ['conservation']);
    flags((s) => (s.reservations.get(1)!.escrowMicroUsdc += 1n), ['conservation']);
    flags((s) => (s.workers.get(w)!.bondMicroUsdc += 1n), ['conservation']);
    flags((s) => (s.holders.get(h1)!.stakedOneWei += 1n), ['conservation']);
    flags((s) => (s.holders.get(h1)!.unbonding[0]!.amountOneWei += 1n), ['conservation']);
    flags((s) => (s.totals.usdcDepositedMicroUsdc += 1n), ['conservation']);
    flags((s) => (s.totals.usdcWithdrawnMicroUsdc += 1n), ['conservation']);
    flags((s) => (s.totals.oneDepositedWei += 1n), ['conservation']);
    flags((s) => (s.totals.oneWithdrawnWei += 1n), ['conservation']);
    // The pool must equal what is unclaimed, even when the sum of USDC still holds.
    flags(
      (s) => {
        s.settlementPoolMicroUsdc += 1n;
        s.treasuryMicroUsdc -= 1n;
      },
      ['conservation'],
    );
    flags((s) => (s.settlements.get(1)!.unclaimedMicroUsdc += 1n), ['conservation']);
    const s = cloneState(base());
    s.treasuryMicroUsdc += 2n;
    s.accounts.get(w)!.one += 3n;
    expect(checkStateInvariants(s).map((v) => v.message)).toEqual([
      expect.stringMatching(/^USDC held \d+ ≠ net deposits \d+$/),
      expect.stringMatching(/^ONE held \d+ ≠ net deposits \d+$/),
    ]);
  });

  it('nonNegative: each balance below zero is named (moved, so the sums still hold)', () => {
    const w = workerAddr(0);
    const h = holderAddr(0);
    const moveTo = (
      s: State,
      field: (s: State) => { get: () => bigint; set: (v: bigint) => void },
    ) => {
      const f = field(s);
      const by = f.get() + 1n;
      f.set(f.get() - by);
      s.treasuryMicroUsdc += by;
    };
    const check = (what: RegExp, mutate: (s: State) => void) => {
      const s = cloneState(base());
      mutate(s);
      const v = checkStateInvariants(s).filter((x) => x.invariant === 'nonNegative');
      expect(
        v.map((x) => x.message),
        what.source,
      ).toContainEqual(expect.stringMatching(what));
    };
    check(/^treasury = -1$/, (s) => {
      const all = s.treasuryMicroUsdc + 1n;
      s.treasuryMicroUsdc = -1n;
      s.accounts.get(w)!.usdc += all;
    });
    check(/^settlement pool = -/, (s) => {
      s.settlementPoolMicroUsdc = -1n;
    });
    check(/\.usdc = -1$/, (s) =>
      moveTo(s, (t) => ({
        get: () => t.accounts.get(w)!.usdc,
        set: (v) => (t.accounts.get(w)!.usdc = v),
      })),
    );
    check(/\.one = -1$/, (s) => {
      s.holders.get(h)!.stakedOneWei += s.accounts.get(h)!.one + 1n;
      s.accounts.get(h)!.one = -1n;
    });
    check(/\.staked = -/, (s) => {
      const st = s.holders.get(h)!.stakedOneWei;
      s.holders.get(h)!.stakedOneWei = -1n;
      s.accounts.get(h)!.one += st + 1n;
    });
    check(/\.reservedCu = -1$/, (s) => (s.holders.get(h)!.reservedCu = -1n));
    check(/reservation 1\.escrow = -/, (s) => {
      const r = s.reservations.get(1)!;
      s.treasuryMicroUsdc += r.escrowMicroUsdc + 1n;
      r.escrowMicroUsdc = -1n;
      r.committedMicroUsdc = -1n;
    });
    check(
      /reservation 1\.committed = -1$/,
      (s) => (s.reservations.get(1)!.committedMicroUsdc = -1n),
    );
    check(/reservation 1\.escrow − committed = -1$/, (s) => {
      const r = s.reservations.get(1)!;
      r.committedMicroUsdc = r.escrowMicroUsdc + 1n;
    });
    check(/reservation 1\.tokens = -1$/, (s) => (s.reservations.get(1)!.tokensMilliCu = -1n));
    check(/\.bond = -1$/, (s) =>
      moveTo(s, (t) => ({
        get: () => t.workers.get(w)!.bondMicroUsdc,
        set: (v) => (t.workers.get(w)!.bondMicroUsdc = v),
      })),
    );
    check(/^day 0 earmark − paid = -1$/, (s) => {
      const b = s.dayBudgets.get(0)!;
      s.treasuryMicroUsdc += b.earmarkedMicroUsdc - b.paidMicroUsdc + 1n;
      b.paidMicroUsdc = b.earmarkedMicroUsdc + 1n;
    });
  });

  it('credits: used + reserved up to the allotment; nothing below the threshold; no stale day', () => {
    const h = holderAddr(0);
    flags((s) => {
      const x = s.holders.get(h)!;
      x.usedCu = x.allotmentCu - x.reservedCu;
    }, []);
    flags(
      (s) => {
        const x = s.holders.get(h)!;
        x.usedCu = x.allotmentCu - x.reservedCu + 1n;
      },
      ['creditsWithinAllotment'],
    );
    flags(
      (s) => (s.holders.get(h)!.snapshotOneWei = s.params.stakeThresholdOneWei - 1n),
      ['creditsWithinAllotment'],
    );
    flags((s) => (s.holders.get(h)!.creditDay = 1), ['creditsWithinAllotment']);
    flags((s) => {
      const x = s.holders.get(h)!;
      Object.assign(x, { creditDay: 1, allotmentCu: 0n, usedCu: 0n, reservedCu: 0n });
    }, []);
  });

  it('budgets: paid ≤ earmark ≤ B_d', () => {
    flags((s) => {
      const b = s.dayBudgets.get(0)!;
      b.budgetMicroUsdc = b.earmarkedMicroUsdc;
    }, []);
    flags(
      (s) => {
        const b = s.dayBudgets.get(0)!;
        b.budgetMicroUsdc = b.earmarkedMicroUsdc - 1n;
      },
      ['includedWithinBudget'],
    );
    flags((s) => {
      const b = s.dayBudgets.get(0)!;
      s.treasuryMicroUsdc += b.earmarkedMicroUsdc - b.paidMicroUsdc;
      b.paidMicroUsdc = b.earmarkedMicroUsdc;
    }, []);
    flags(
      (s) => {
        const b = s.dayBudgets.get(0)!;
        s.treasuryMicroUsdc += b.earmarkedMicroUsdc - b.paidMicroUsdc + 1n;
        b.paidMicroUsdc = b.earmarkedMicroUsdc + 1n;
      },
      ['includedWithinBudget', 'nonNegative'],
    );
  });

  it('settlement: pending receipts are completed and listed once; paid totals add up', () => {
    flags((s) => s.pendingByEpoch.get(2)!.push(3), ['settlement']);
    flags((s) => s.pendingByEpoch.set(9, [3]), ['settlement']);
    flags((s) => s.pendingByEpoch.get(2)!.push(4), ['settlement']);
    flags((s) => s.pendingByEpoch.get(2)!.push(99), ['settlement']);
    flags((s) => (s.jobs.get(3)!.receiptId = null), ['settlement']);
    flags((s) => (s.totals.includedPaidMicroUsdc += 1n), ['settlement']);
    flags((s) => (s.totals.settledMicroUsdc += 1n), ['settlement']);
    // Named, whether the ids are job ids (integers) or not.
    for (const extra of [[3], [3, 2.5, 2.5]]) {
      const s = cloneState(base());
      s.pendingByEpoch.set(9, extra);
      const messages = checkStateInvariants(s).map((v) => v.message);
      expect(messages).toContain('job 3 pending twice');
      if (extra.length > 1) expect(messages).toContain('job 2.5 pending twice');
    }
  });

  it('sybil neutrality (linear): split allotments never beat one merged account', () => {
    flags((s) => (s.holders.get(holderAddr(1))!.allotmentCu += 1n), ['sybilNeutral']);
    flags((s) => {
      s.params = { ...s.params, allotmentSchedule: { kind: 'sqrt' } };
      s.holders.get(holderAddr(1))!.allotmentCu += 1n;
    }, []);
    flags((s) => {
      // A holder below the threshold does not count (and must hold nothing).
      s.holders.get(holderAddr(1))!.snapshotOneWei = 1n;
      s.holders.get(holderAddr(1))!.allotmentCu = 0n;
    }, []);
  });

  it('jobs end by deadline + grace', () => {
    const deadline = base().jobs.get(4)!.deadlineAtMs;
    flags((s) => (s.nowMs = deadline + s.params.jobGraceMs), []);
    flags((s) => (s.nowMs = deadline + s.params.jobGraceMs + 1), ['jobsEnd']);
    flags((s) => {
      s.nowMs = deadline + s.params.jobGraceMs + 1;
      s.jobs.delete(4);
      s.openJobs -= 1;
      s.workers.get(s.jobs.get(3)!.worker!)!.activeJobs -= 1;
    }, []);
  });
});

describe('step checks bite', () => {
  const settled = (jobId: number, gross: bigint, take: bigint): ProtocolEvent => ({
    type: 'ReceiptSettled',
    epoch: 3,
    jobId,
    lane: Lane.included,
    worker: workerAddr(0),
    grossMicroUsdc: gross,
    takeMicroUsdc: take,
  });

  it('settlement: once, for units × price, the take rounded up, of a completed receipt', () => {
    const prev = base();
    const state = cloneState(prev);
    const job = prev.jobs.get(3)!;
    const gross = job.units * job.priceMicroUsdcPerCu; // 20 µ, take ceil(1) = 1
    const check = (events: ProtocolEvent[], c = createInvariantChecker()) => {
      // The events are made up and the state does not move with them, so eventsAccount (the
      // event log accounts for the state) objects too: this test is about the settlement check.
      const found = c.check({ prev, events, state }).filter((v) => v.invariant !== 'eventsAccount');
      for (const v of found) expect(v.invariant).toBe('settlement');
      return found.map((v) => v.message);
    };
    expect(check([settled(3, gross, 1n)])).toEqual([]);
    expect(check([settled(3, gross, 2n)])).toEqual(['job 3: take 2 ≠ ceil(gross · τ)']);
    expect(check([settled(3, gross + 1n, 2n)])).toEqual([`job 3: paid ${gross + 1n} ≠ 10 CU × 2`]);
    expect(check([settled(4, 10n, 1n)])).toEqual(['job 4 settled without a completed receipt']);
    expect(check([settled(3, gross, 1n), settled(3, gross, 1n)])).toEqual([
      'receipt of job 3 settled twice (epoch 3)',
    ]);
    const c = createInvariantChecker();
    expect(check([settled(3, gross, 1n)], c)).toEqual([]);
    expect(check([settled(3, gross, 1n)], c)).toEqual(['receipt of job 3 settled twice (epoch 3)']);
    expect(c.checks).toBe(2);
    // Without tracking across steps, only duplicates within a step count.
    const untracked = createInvariantChecker({ trackSettled: false });
    expect(check([settled(3, gross, 1n)], untracked)).toEqual([]);
    expect(check([settled(3, gross, 1n)], untracked)).toEqual([]);
    // Without the previous state, the receipt cannot be checked against its job.
    expect(
      createInvariantChecker()
        .check({ events: [settled(4, 10n, 1n)], state })
        .map((v) => v.message),
    ).toEqual([]);
  });

  it('slashing: only on a quorum of mismatches, and a resolution says so truthfully', () => {
    const state = base();
    const q = state.params.auditQuorum;
    const slash = (mismatches: number): ProtocolEvent => ({
      type: 'Slashed',
      worker: workerAddr(0),
      jobId: 3,
      mismatches,
      slashedMicroUsdc: 1n,
      bountyMicroUsdc: 0n,
      reporter: null,
      withheldMicroUsdc: 0n,
      jailedUntilMs: 0,
    });
    const resolved = (mismatches: number, confirmed: boolean): ProtocolEvent => ({
      type: 'AuditResolved',
      jobId: 3,
      worker: workerAddr(0),
      mismatches,
      votes: 3,
      confirmed,
    });
    const check = (events: ProtocolEvent[]) =>
      createInvariantChecker()
        .check({ events, state })
        .map((v) => v.invariant);
    expect(check([slash(q)])).toEqual([]);
    expect(check([slash(q - 1)])).toEqual(['slashing']);
    expect(check([resolved(q, true), resolved(q - 1, false)])).toEqual([]);
    expect(check([resolved(q - 1, true)])).toEqual(['slashing']);
    expect(check([resolved(q, false)])).toEqual(['slashing']);
    const messages = createInvariantChecker()
      .check({ events: [slash(q - 1), resolved(q, false)], state })
      .map((v) => v.message);
    expect(messages).toEqual([
      `${workerAddr(0)} slashed on ${q - 1} mismatch votes, quorum is ${q}`,
      `audit of job 3: ${q} mismatches but confirmed = false`,
    ]);
  });

  it('dedicated priority: an Included job may not take a worker a waiting Dedicated job could use', () => {
    const d = smallNetwork();
    const s = fundAndReserve(d);
    d.run(dedicatedJob(s, 1, 7n));
    d.run(includedJob(holderAddr(0), 5n));
    const state = d.state;
    const fake: ProtocolEvent = {
      type: 'JobDispatched',
      jobId: 2,
      lane: Lane.included,
      worker: workerAddr(0),
      model: MODEL_A,
    };
    const check = (st: State) =>
      createInvariantChecker()
        .check({ events: [fake], state: st })
        .map((v) => v.invariant)
        .filter((n) => n === 'dedicatedPriority');
    expect(check(state)).toEqual(['dedicatedPriority']);
    // Not if the bucket cannot cover the head job, or the worker could not take it anyway.
    const empty = cloneState(state);
    empty.reservations.get(1)!.tokensMilliCu = 7n * 1000n - 1n;
    empty.reservations.get(1)!.tokensAtMs = empty.nowMs;
    expect(check(empty)).toEqual([]);
    const full = cloneState(state);
    full.reservations.get(1)!.tokensMilliCu = 7n * 1000n;
    full.reservations.get(1)!.tokensAtMs = full.nowMs;
    expect(check(full)).toEqual(['dedicatedPriority']);
    const offline = cloneState(state);
    offline.workers.get(workerAddr(0))!.online = false;
    expect(check(offline)).toEqual([]);
    const dedicatedEvent = createInvariantChecker().check({
      events: [{ ...fake, lane: Lane.dedicated } as ProtocolEvent],
      state,
    });
    expect(dedicatedEvent).toEqual([]);
    // Tokens accrue since tokensAtMs (10 CU/s = 10 milli-CU per ms), up to rate × burst.
    const accruing = cloneState(state);
    Object.assign(accruing.reservations.get(1)!, {
      tokensMilliCu: 6_991n,
      tokensAtMs: accruing.nowMs - 1,
    });
    expect(check(accruing)).toEqual(['dedicatedPriority']);
    Object.assign(accruing.reservations.get(1)!, {
      tokensMilliCu: 6_989n,
      tokensAtMs: accruing.nowMs - 1,
    });
    expect(check(accruing)).toEqual([]);
    const capped = cloneState(state);
    const r = capped.reservations.get(1)!;
    Object.assign(r, {
      rateCuPerSec: 1n,
      tokensMilliCu: 59_999n,
      tokensAtMs: capped.nowMs - 1_000_000,
    });
    capped.jobs.get(1)!.units = 60n; // needs the whole bucket: 60 CU = cap, reached
    expect(check(capped)).toEqual(['dedicatedPriority']);
    capped.jobs.get(1)!.units = 61n; // more than the cap: never
    expect(check(capped)).toEqual([]);
    // Not for a head that is running, for another model, or a reservation that is gone.
    const running = cloneState(state);
    running.jobs.get(1)!.status = 'running';
    expect(check(running)).toEqual([]);
    const otherModel = cloneState(state);
    otherModel.jobs.get(1)!.model = hash32('other');
    expect(check(otherModel)).toEqual([]);
    const gone = cloneState(state);
    gone.reservations.delete(1);
    expect(check(gone)).toEqual([]);
    const emptyQueue = cloneState(state);
    emptyQueue.reservations.get(1)!.queue.head = 1;
    expect(check(emptyQueue)).toEqual([]);
    const v = createInvariantChecker().check({ events: [fake], state })[0]!;
    expect(v.message).toBe(
      `included job 2 went to ${workerAddr(0)} while dedicated job 1 (reservation 1) waited within rate`,
    );
  });
});

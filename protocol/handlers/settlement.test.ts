import { describe, expect, it } from 'vitest';
import { buildPayoutTree } from '../merkle/payoutTree.ts';
import { simAttestationFor } from '../testing/fixtures.ts';
import {
  dedicatedJob,
  fundAndReserve,
  holderAddr,
  includedJob,
  MODEL_A,
  smallNetwork,
  workerAddr,
} from '../testing/network.ts';
import { USDC } from '../units.ts';

const EPOCH = 21_600_000;
const DAY = 86_400_000;

function networkWithReceipts() {
  const d = smallNetwork();
  const s = fundAndReserve(d);
  d.run(includedJob(holderAddr(0), 100n)); // 100 CU × 2 µ = 200 gross, take ceil(10) = 10
  d.run({ type: 'dispatch' });
  d.at(1_000).complete(1);
  d.run(dedicatedJob(s, 1, 7n)); // 7 CU × 3 µ = 21 gross, take ceil(1.05) = 2
  d.run({ type: 'dispatch' });
  d.at(2_000).complete(2);
  return d;
}

describe('settlement', () => {
  it('pays epoch e−1 receipts when epoch e is over, less the take rounded up', () => {
    const d = networkWithReceipts();
    const w = workerAddr(0);
    expect(d.at(EPOCH - 1).attempt({ type: 'settle', epoch: 0 })).toMatchObject({
      code: 'TooEarly',
    });
    const e0 = d.at(EPOCH).run({ type: 'settle', epoch: 0 }); // pays epoch −1: nothing
    expect(e0.at(-1)).toMatchObject({ type: 'EpochSettled', receipts: 0 });
    const treasuryBefore = d.state.treasuryMicroUsdc;
    const e1 = d.at(2 * EPOCH).run({ type: 'settle', epoch: 1 });
    const settled = e1.filter((e) => e.type === 'ReceiptSettled');
    expect(settled.map((e) => [e.grossMicroUsdc, e.takeMicroUsdc])).toEqual([
      [200n, 10n],
      [21n, 2n],
    ]);
    expect(d.state.treasuryMicroUsdc - treasuryBefore).toBe(12n);
    expect(d.state.settlements.get(1)!.payouts.get(w)).toBe(190n + 19n);
    expect(d.state.dayBudgets.get(0)!.paidMicroUsdc).toBe(200n);
    expect(d.state.jobs.size).toBe(0);
  });

  it('is idempotent: an epoch settles once, in order', () => {
    const d = networkWithReceipts();
    d.at(EPOCH).run({ type: 'settle', epoch: 0 });
    expect(d.attempt({ type: 'settle', epoch: 0 })).toMatchObject({ code: 'WrongEpoch' });
    expect(d.at(3 * EPOCH).attempt({ type: 'settle', epoch: 2 })).toMatchObject({
      code: 'WrongEpoch',
    });
  });

  it('lets each worker claim its payout once, with a valid proof only', () => {
    const d = networkWithReceipts();
    d.at(2 * EPOCH).run({ type: 'settle', epoch: 0 });
    d.run({ type: 'settle', epoch: 1 });
    const w = workerAddr(0);
    const s = d.state.settlements.get(1)!;
    const tree = buildPayoutTree(s.payouts);
    expect(
      d.attempt({
        type: 'claim',
        epoch: 1,
        worker: w,
        amountMicroUsdc: 210n,
        proof: tree.proof(w, 209n),
      }),
    ).toMatchObject({ code: 'InvalidProof' });
    const before = d.state.accounts.get(w)!.usdc;
    d.run({
      type: 'claim',
      epoch: 1,
      worker: w,
      amountMicroUsdc: 209n,
      proof: tree.proof(w, 209n),
    });
    expect(d.state.accounts.get(w)!.usdc - before).toBe(209n);
    expect(
      d.attempt({
        type: 'claim',
        epoch: 1,
        worker: w,
        amountMicroUsdc: 209n,
        proof: tree.proof(w, 209n),
      }),
    ).toMatchObject({ code: 'AlreadyClaimed' });
    expect(
      d.attempt({ type: 'claim', epoch: 7, worker: w, amountMicroUsdc: 1n, proof: [] }),
    ).toMatchObject({ code: 'UnknownSettlement' });
  });

  it('returns a day budget’s unpaid earmark to the treasury once its last receipts are settled', () => {
    const d = networkWithReceipts();
    const earmark = d.state.dayBudgets.get(0)!.earmarkedMicroUsdc; // 35,000 µ
    // Day 0 jobs finish by 24 h + 30 min (epoch 4); their settlement is epoch 5.
    for (let e = 0; e <= 4; e++) d.at((e + 1) * EPOCH).run({ type: 'settle', epoch: e });
    expect(d.state.dayBudgets.has(0)).toBe(true);
    const before = d.state.treasuryMicroUsdc;
    const ev = d.at(6 * EPOCH).run({ type: 'settle', epoch: 5 });
    expect(ev).toContainEqual({
      type: 'DayBudgetReleased',
      day: 0,
      returnedMicroUsdc: earmark - 200n,
    });
    expect(d.state.treasuryMicroUsdc - before).toBe(earmark - 200n);
    expect(DAY).toBe(4 * EPOCH);
  });
});

describe('governance', () => {
  const governor = '0x00000000000000000000000000000000000000a0' as const;

  it('changes parameters only after the timelock, only by the governor', () => {
    const d = smallNetwork();
    expect(
      d.attempt({ type: 'proposeParams', proposer: holderAddr(0), changes: { runwayDays: 30 } }),
    ).toMatchObject({ code: 'NotGovernor' });
    d.run({ type: 'proposeParams', proposer: governor, changes: { runwayDays: 30 } });
    expect(d.at(1_000).attempt({ type: 'executeProposal', proposalId: 1 })).toMatchObject({
      code: 'TimelockNotElapsed',
    });
    d.at(2 * 86_400_000).run({ type: 'executeProposal', proposalId: 1 });
    expect(d.state.params.runwayDays).toBe(30);
    expect(d.attempt({ type: 'executeProposal', proposalId: 1 })).toMatchObject({
      code: 'UnknownProposal',
    });
  });

  it('refuses invalid, unknown and calendar-fixing changes with the field named', () => {
    const d = smallNetwork();
    expect(
      d.attempt({ type: 'proposeParams', proposer: governor, changes: { settlementEpochMs: 1 } }),
    ).toMatchObject({ code: 'ParamImmutable' });
    const bad = d.attempt({
      type: 'proposeParams',
      proposer: governor,
      changes: { takeRate: { num: 2n, den: 1n } },
    });
    expect(bad).toMatchObject({ code: 'InvalidParams' });
    expect((bad as { message: string }).message).toContain('params.takeRate');
    expect(
      d.attempt({ type: 'proposeParams', proposer: governor, changes: { nope: 1 } as never }),
    ).toMatchObject({ code: 'InvalidParams' });
    d.run({
      type: 'proposeParams',
      proposer: governor,
      changes: { takeRate: { num: 1n, den: 10n } },
    });
    d.run({ type: 'cancelProposal', proposer: governor, proposalId: 1 });
    expect(d.state.proposals.size).toBe(0);
  });

  it('a raised bond minimum makes under-bonded workers ineligible at once', () => {
    const d = smallNetwork();
    d.run({
      type: 'proposeParams',
      proposer: governor,
      changes: { workerBondMinMicroUsdc: 10_000n * USDC },
    });
    d.at(2 * 86_400_000).run({ type: 'startDay', day: 1 });
    d.run({ type: 'startDay', day: 2 });
    d.run({ type: 'executeProposal', proposalId: 1 });
    d.run(includedJob(holderAddr(0), 1n));
    expect(d.run({ type: 'dispatch' })).toEqual([]);
  });
});

describe('worker registry', () => {
  it('takes a bond at registration and returns it after the unbonding period', () => {
    const d = smallNetwork();
    const w = workerAddr(0);
    expect(d.state.workers.get(w)!.bondMicroUsdc).toBe(500n * USDC);
    expect(d.attempt({ type: 'withdrawBond', worker: w })).toMatchObject({
      code: 'WorkerNotActive',
    });
    d.run({ type: 'exitWorker', worker: w });
    expect(d.at(DAY).attempt({ type: 'withdrawBond', worker: w })).toMatchObject({
      code: 'BondLocked',
    });
    d.at(7 * DAY).run({ type: 'withdrawBond', worker: w });
    expect(d.state.accounts.get(w)!.usdc).toBe(500n * USDC);
  });

  it('rejects bad registrations', () => {
    const d = smallNetwork();
    const w = workerAddr(5);
    d.run({ type: 'deposit', account: w, asset: 'usdc', amount: 1_000n * USDC });
    const base = {
      type: 'registerWorker' as const,
      worker: w,
      models: [MODEL_A],
      slots: 1,
      capacityCuPerSec: 1n,
      bondMicroUsdc: 500n * USDC,
      attestation: simAttestationFor(d.params, w),
    };
    expect(d.attempt({ ...base, bondMicroUsdc: 1n })).toMatchObject({ code: 'BondTooSmall' });
    expect(d.attempt({ ...base, models: ['gpt'] })).toMatchObject({ code: 'InvalidWorkerConfig' });
    expect(d.attempt({ ...base, slots: 0 })).toMatchObject({ code: 'InvalidWorkerConfig' });
    expect(d.attempt({ ...base, bondMicroUsdc: 2_000n * USDC })).toMatchObject({
      code: 'InsufficientBalance',
    });
    d.run(base);
    expect(d.attempt(base)).toMatchObject({ code: 'WorkerAlreadyRegistered' });
  });
});

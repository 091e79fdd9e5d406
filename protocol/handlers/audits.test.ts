import { describe, expect, it } from 'vitest';
import type { ProtocolEvent } from '../events.ts';
import type { ParamsInput } from '../params.ts';
import { stateHash } from '../stateHash.ts';
import { addr, hash32 } from '../testing/fixtures.ts';
import { holderAddr, includedJob, MODEL_A, smallNetwork } from '../testing/network.ts';
import type { Address, Hex } from '../types.ts';

// Written for surviving mutants (docs/auditing.md): the random runs rarely confirm a mismatch,
// and the safety invariants hold whether or not a slash moves the right amounts. These pin
// Proof-of-AI's effects: who is audited, what a verdict may be, and what a confirmed one does.
const EPOCH = 21_600_000;
const oracle = (i: number) => addr(i, 4);
const lie = hash32('not what the model computed');

function network(params: ParamsInput = {}, oracles = 3, treasuryUsdc?: bigint) {
  const d = smallNetwork({
    params: { auditSampleRate: { num: 1n, den: 1n }, ...params },
    workers: [
      { models: [MODEL_A], slots: 2 },
      { models: [MODEL_A], slots: 2 },
    ],
    ...(treasuryUsdc === undefined ? {} : { treasuryUsdc }),
  });
  for (let i = 0; i < oracles; i++)
    d.run({ type: 'registerOracle', proposer: d.params.governor, oracle: oracle(i) });
  return d;
}

type D = ReturnType<typeof network>;
const of = <T extends ProtocolEvent['type']>(events: ProtocolEvent[], type: T) =>
  events.filter((e): e is Extract<ProtocolEvent, { type: T }> => e.type === type);

/** Submits, dispatches and completes one Included job at `atMs`; returns its id and worker. */
function serve(d: D, atMs: number, units = 100n): { jobId: number; worker: Address } {
  const [submitted] = of(d.at(atMs).run(includedJob(holderAddr(0), units)), 'JobSubmitted');
  const [dispatched] = of(d.run({ type: 'dispatch' }), 'JobDispatched');
  d.complete(submitted!.jobId);
  return { jobId: submitted!.jobId, worker: dispatched!.worker };
}

describe('opening audits', () => {
  it('samples every receipt at rate 1 with a committee of k oracles; none at rate 0', () => {
    const d = network({ auditCommitteeSize: 3, auditQuorum: 2 }, 4);
    const { jobId, worker } = serve(d, 1_000);
    const opened = of(d.at(EPOCH).run({ type: 'settle', epoch: 0 }), 'AuditOpened');
    expect(opened).toHaveLength(1);
    expect(opened[0]).toMatchObject({ jobId, worker, epoch: 0 });
    expect(opened[0]!.committee).toHaveLength(3);
    expect(d.state.totals.auditsOpened).toBe(1);
    expect(d.state.audits.get(jobId)).toMatchObject({ jobId, worker, epoch: 0 });

    const none = network({ auditSampleRate: { num: 0n, den: 1n } });
    serve(none, 1_000);
    expect(of(none.at(EPOCH).run({ type: 'settle', epoch: 0 }), 'AuditOpened')).toEqual([]);
    // A rate so small that no receipt is drawn.
    const rare = network({ auditSampleRate: { num: 1n, den: 2n ** 64n } });
    serve(rare, 1_000);
    expect(of(rare.at(EPOCH).run({ type: 'settle', epoch: 0 }), 'AuditOpened')).toEqual([]);
    expect(rare.state.totals.auditsOpened).toBe(0);
  });

  it('needs a quorum of active oracles: exactly the quorum is enough, one fewer is not', () => {
    const enough = network({ auditCommitteeSize: 3, auditQuorum: 2 }, 2);
    serve(enough, 1_000);
    const opened = of(enough.at(EPOCH).run({ type: 'settle', epoch: 0 }), 'AuditOpened');
    expect(opened.map((e) => e.committee)).toEqual([[oracle(0), oracle(1)]]);

    const short = network({ auditCommitteeSize: 3, auditQuorum: 2 }, 3);
    short.run({ type: 'removeOracle', proposer: short.params.governor, oracle: oracle(0) });
    short.run({ type: 'removeOracle', proposer: short.params.governor, oracle: oracle(1) });
    serve(short, 1_000);
    expect(of(short.at(EPOCH).run({ type: 'settle', epoch: 0 }), 'AuditOpened')).toEqual([]);
  });
});

describe('verdicts', () => {
  it('come only from active committee members, once, as bytes32 hex; each says whether it matches', () => {
    const d = network({ auditCommitteeSize: 2, auditQuorum: 2 }, 3);
    const { jobId } = serve(d, 1_000);
    d.at(EPOCH).run({ type: 'settle', epoch: 0 });
    const committee = d.state.audits.get(jobId)!.committee;
    const outsider = [oracle(0), oracle(1), oracle(2)].find((o) => !committee.includes(o))!;
    const [first, second] = committee as [Address, Address];
    const truth = d.state.jobs.get(jobId)!.resultHash as Hex;
    const before = stateHash(d.state);
    const refusals: Array<[Record<string, unknown>, string]> = [
      [{ oracle: first, jobId: jobId + 1, resultHash: truth }, 'UnknownAudit'],
      [{ oracle: addr(9, 4), jobId, resultHash: truth }, 'UnknownOracle'],
      [{ oracle: outsider, jobId, resultHash: truth }, 'NotOnCommittee'],
      [{ oracle: first, jobId, resultHash: '0x1234' }, 'InvalidAction'],
      [{ oracle: first, jobId, resultHash: `${truth}00` }, 'InvalidAction'],
      [{ oracle: first, jobId, resultHash: `0x${truth}` }, 'InvalidAction'],
      [{ oracle: first, jobId, resultHash: 7 }, 'InvalidAction'],
    ];
    for (const [fields, code] of refusals)
      expect(d.attempt({ type: 'auditVerdict', ...fields } as never)).toMatchObject({
        ok: false,
        code,
      });
    expect(stateHash(d.state)).toBe(before);

    expect(d.run({ type: 'auditVerdict', oracle: first, jobId, resultHash: truth })).toEqual([
      { type: 'AuditVote', jobId, oracle: first, match: true },
    ]);
    expect(
      d.attempt({ type: 'auditVerdict', oracle: first, jobId, resultHash: lie }),
    ).toMatchObject({
      code: 'AlreadyVoted',
    });
    expect(d.run({ type: 'auditVerdict', oracle: second, jobId, resultHash: lie })).toEqual([
      { type: 'AuditVote', jobId, oracle: second, match: false },
    ]);
    // A removed oracle's vote is refused even if it sits on the committee.
    const d2 = network({ auditCommitteeSize: 3, auditQuorum: 2 }, 3);
    const j2 = serve(d2, 1_000).jobId;
    d2.at(EPOCH).run({ type: 'settle', epoch: 0 });
    d2.run({ type: 'removeOracle', proposer: d2.params.governor, oracle: oracle(2) });
    expect(
      d2.attempt({ type: 'auditVerdict', oracle: oracle(2), jobId: j2, resultHash: lie }),
    ).toMatchObject({ code: 'UnknownOracle' });
  });
});

describe('resolving audits', () => {
  it('pays each voter its fee; below quorum nothing is slashed', () => {
    const d = network({
      auditCommitteeSize: 3,
      auditQuorum: 2,
      oracleFeeMicroUsdcPerVerdict: 500n,
    });
    const { jobId, worker } = serve(d, 1_000);
    d.at(EPOCH).run({ type: 'settle', epoch: 0 });
    const truth = d.state.jobs.get(jobId)!.resultHash as Hex;
    d.run({ type: 'auditVerdict', oracle: oracle(0), jobId, resultHash: truth });
    d.run({ type: 'auditVerdict', oracle: oracle(1), jobId, resultHash: lie });
    d.run({ type: 'auditVerdict', oracle: oracle(2), jobId, resultHash: truth });
    const treasury = d.state.treasuryMicroUsdc;
    const bond = d.state.workers.get(worker)!.bondMicroUsdc;
    const events = d.at(2 * EPOCH).run({ type: 'settle', epoch: 1 });
    expect(of(events, 'AuditResolved')).toEqual([
      { type: 'AuditResolved', jobId, worker, mismatches: 1, votes: 3, confirmed: false },
    ]);
    expect(of(events, 'Slashed')).toEqual([]);
    const take = of(events, 'ReceiptSettled')[0]!.takeMicroUsdc;
    expect(d.state.treasuryMicroUsdc).toBe(treasury - 1_500n + take);
    for (let i = 0; i < 3; i++) {
      expect(d.state.oracles.get(oracle(i))).toMatchObject({ verdicts: 1, earnedMicroUsdc: 500n });
      expect(d.state.accounts.get(oracle(i))?.usdc).toBe(500n);
    }
    expect(d.state.totals).toMatchObject({
      auditsResolved: 1,
      oracleFeesMicroUsdc: 1_500n,
      mismatchesConfirmed: 0,
      slashedMicroUsdc: 0n,
    });
    expect(d.state.audits.size).toBe(0);
    expect(d.state.workers.get(worker)).toMatchObject({ bondMicroUsdc: bond, jailed: false });
  });

  it('a fee larger than the treasury takes what is left; later voters earn nothing', () => {
    const d = network({
      auditCommitteeSize: 3,
      auditQuorum: 2,
      oracleFeeMicroUsdcPerVerdict: 10n ** 15n,
    });
    const { jobId } = serve(d, 1_000);
    d.at(EPOCH).run({ type: 'settle', epoch: 0 });
    const truth = d.state.jobs.get(jobId)!.resultHash as Hex;
    for (let i = 0; i < 3; i++)
      d.run({ type: 'auditVerdict', oracle: oracle(i), jobId, resultHash: truth });
    const treasury = d.state.treasuryMicroUsdc;
    const events = d.at(2 * EPOCH).run({ type: 'settle', epoch: 1 });
    const take = of(events, 'ReceiptSettled')[0]!.takeMicroUsdc;
    const earned = [0, 1, 2].map((i) => d.state.oracles.get(oracle(i))!.earnedMicroUsdc);
    expect(earned.filter((e) => e > 0n)).toEqual([treasury]);
    expect(d.state.totals.oracleFeesMicroUsdc).toBe(treasury);
    expect(d.state.treasuryMicroUsdc).toBe(take);
    expect([0, 1, 2].map((i) => d.state.oracles.get(oracle(i))!.verdicts)).toEqual([1, 1, 1]);
  });

  it('a confirmed mismatch slashes, pays the first reporter a bounty, withholds and jails', () => {
    const d = network({
      auditCommitteeSize: 3,
      auditQuorum: 2,
      oracleFeeMicroUsdcPerVerdict: 0n,
      slashFraction: { num: 1n, den: 3n },
      bountyFraction: { num: 1n, den: 7n },
    });
    const { jobId, worker } = serve(d, 1_000);
    const other = [...d.state.workers.keys()].find((w) => w !== worker)!;
    const holder = d.state.holders.get(holderAddr(0))!;
    d.at(EPOCH).run({ type: 'settle', epoch: 0 });
    // A second receipt of the same worker in epoch 1 (unsettled), one of the other worker.
    d.at(EPOCH + 10).run({ type: 'setWorkerOnline', worker: other, online: false });
    const second = serve(d, EPOCH + 20, 30n);
    expect(second.worker).toBe(worker);
    d.run({ type: 'setWorkerOnline', worker: other, online: true });
    d.run({ type: 'setWorkerOnline', worker, online: false });
    const third = serve(d, EPOCH + 30, 40n);
    expect(third.worker).toBe(other);
    d.run({ type: 'setWorkerOnline', worker, online: true });
    const truth = d.state.jobs.get(jobId)!.resultHash as Hex;
    d.run({ type: 'auditVerdict', oracle: oracle(2), jobId, resultHash: truth });
    d.run({ type: 'auditVerdict', oracle: oracle(1), jobId, resultHash: lie });
    d.run({ type: 'auditVerdict', oracle: oracle(0), jobId, resultHash: hash32('another lie') });
    const usedBefore = holder.usedCu;
    const bond = d.state.workers.get(worker)!.bondMicroUsdc;
    const treasury = d.state.treasuryMicroUsdc;
    const at = 2 * EPOCH;
    const events = d.at(at).run({ type: 'settle', epoch: 1 });
    const slashed = bond / 3n;
    const bounty = slashed / 7n;
    expect(of(events, 'Slashed')).toEqual([
      {
        type: 'Slashed',
        worker,
        jobId,
        mismatches: 2,
        slashedMicroUsdc: slashed,
        bountyMicroUsdc: bounty,
        reporter: oracle(1),
        withheldMicroUsdc: (100n + 30n) * 2n,
        jailedUntilMs: at + d.params.jailMs,
      },
    ]);
    expect(d.state.workers.get(worker)).toMatchObject({
      bondMicroUsdc: bond - slashed,
      slashedMicroUsdc: slashed,
      jailed: true,
      jailedUntilMs: at + d.params.jailMs,
    });
    expect(d.state.accounts.get(oracle(1))?.usdc).toBe(bounty);
    expect(d.state.accounts.get(oracle(0))?.usdc ?? 0n).toBe(0n);
    expect(d.state.treasuryMicroUsdc).toBe(treasury + slashed - bounty);
    expect(d.state.totals).toMatchObject({
      slashedMicroUsdc: slashed,
      bountiesMicroUsdc: bounty,
      mismatchesConfirmed: 1,
      withheldMicroUsdc: 200n,
    });
    // The faulty job's credits come back the same day; the epoch-0 receipt pays nothing.
    expect(holder.usedCu).toBe(usedBefore - 100n);
    expect(of(events, 'ReceiptSettled')).toEqual([]);
    expect(d.state.jobs.get(second.jobId)!.voided).toBe(true);
    expect(d.state.jobs.get(third.jobId)!.voided).toBe(false);
    // The jailed worker takes no new job.
    d.run(includedJob(holderAddr(0), 5n));
    expect(of(d.run({ type: 'dispatch' }), 'JobDispatched').map((e) => e.worker)).toEqual([other]);
  });

  it('credits of a past day are not given back when the mismatch is confirmed', () => {
    const d = network({ auditCommitteeSize: 3, auditQuorum: 2, oracleFeeMicroUsdcPerVerdict: 0n });
    // Epoch 3 is the last of day 0; its receipts are audited after day 1 has started.
    const { jobId } = serve(d, 3 * EPOCH + 1_000);
    d.at(4 * EPOCH);
    for (let e = 0; e < 4; e++) d.run({ type: 'settle', epoch: e });
    d.run({ type: 'startDay', day: 1 });
    const holder = d.state.holders.get(holderAddr(0))!;
    for (let i = 0; i < 2; i++)
      d.run({ type: 'auditVerdict', oracle: oracle(i), jobId, resultHash: lie });
    const events = d.at(5 * EPOCH).run({ type: 'settle', epoch: 4 });
    expect(of(events, 'Slashed')).toHaveLength(1);
    expect([holder.creditDay, holder.usedCu, holder.reservedCu]).toEqual([1, 0n, 0n]);
  });
});

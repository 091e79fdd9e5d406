import { describe, expect, it } from 'vitest';
import type { Receipt } from '../receipts/receipt.ts';
import { createSimSigner } from '../receipts/simVerifier.ts';
import { stateHash } from '../stateHash.ts';
import { hash32 } from '../testing/fixtures.ts';
import {
  dedicatedJob,
  fundAndReserve,
  holderAddr,
  includedJob,
  MODEL_A,
  MODEL_B,
  smallNetwork,
  workerAddr,
} from '../testing/network.ts';
import { Lane } from '../types.ts';

// Written for surviving mutants (docs/auditing.md): every field of a receipt is checked against
// its job, the deadline is inclusive, and failing or expiring a job refunds the right credits.
const DAY = 86_400_000;

function running() {
  const d = smallNetwork({ workers: [{ models: [MODEL_A, MODEL_B], slots: 2 }] });
  d.at(1_000).run(includedJob(holderAddr(0), 100n));
  d.run({ type: 'dispatch' });
  return d;
}

describe('completing a job', () => {
  it('refuses a receipt that differs from its job in any field, or with a malformed result', () => {
    const d = running();
    const good = d.at(2_000).receiptFor(1);
    const before = stateHash(d.state);
    const changed: Array<Partial<Receipt>> = [
      { lane: Lane.dedicated },
      { requester: holderAddr(1) },
      { model: MODEL_B },
      { requestHash: hash32('another request') },
      { units: 99n },
      { price: 3n },
      { finishedAt: 1_999 },
      { resultHash: '0x1234' },
      { resultHash: `${good.resultHash}00` as never },
      { resultHash: `0x${good.resultHash}` as never },
      { resultHash: good.resultHash.toUpperCase().replace('0X', '0x') as never },
      { resultHash: 5 as never },
    ];
    for (const change of changed) {
      const receipt = { ...good, ...change };
      const signature = createSimSigner(receipt.worker).sign(receipt);
      expect(
        d.attempt({ type: 'completeJob', receipt, signature }),
        JSON.stringify(change, (_, v) => (typeof v === 'bigint' ? `${v}` : v)),
      ).toMatchObject({
        ok: false,
        code: 'ReceiptMismatch',
      });
    }
    expect(stateHash(d.state)).toBe(before);
    d.complete(1);
  });

  it('refuses unknown, queued and foreign jobs, and accepts up to the deadline inclusive', () => {
    const d = running();
    d.run(includedJob(holderAddr(0), 5n, MODEL_B));
    d.run(includedJob(holderAddr(0), 5n, MODEL_B)); // job 3 stays queued (2 slots)
    const r1 = d.at(2_000).receiptFor(1);
    const sign = (r: Receipt) => createSimSigner(r.worker).sign(r);
    expect(
      d.attempt({
        type: 'completeJob',
        receipt: { ...r1, jobId: 99 },
        signature: sign({ ...r1, jobId: 99 }),
      }),
    ).toMatchObject({ code: 'UnknownJob' });
    const queued = { ...r1, jobId: 3 };
    expect(
      d.attempt({ type: 'completeJob', receipt: queued, signature: sign(queued) }),
    ).toMatchObject({ code: 'JobNotRunning' });
    const foreign = { ...r1, worker: workerAddr(5) };
    expect(
      d.attempt({ type: 'completeJob', receipt: foreign, signature: sign(foreign) }),
    ).toMatchObject({ code: 'WrongWorker' });
    const deadline = d.state.jobs.get(1)!.deadlineAtMs;
    const late = d.at(deadline + 1).receiptFor(1);
    expect(d.attempt({ type: 'completeJob', receipt: late, signature: sign(late) })).toMatchObject({
      code: 'JobNotRunning',
    });
    const d2 = running();
    const onTime = d2.state.jobs.get(1)!.deadlineAtMs;
    expect(d2.at(onTime).complete(1)).toEqual([
      expect.objectContaining({ type: 'JobCompleted', jobId: 1, waitMs: onTime - 1_000 }),
    ]);
    expect(d2.state.openJobs).toBe(0);
  });

  it('a job of day 0 completed on day 1 leaves day 1’s credits alone', () => {
    const d = smallNetwork();
    d.at(DAY - 1_000).run(includedJob(holderAddr(0), 10n));
    d.run({ type: 'dispatch' });
    d.at(DAY).run({ type: 'startDay', day: 1 });
    d.at(DAY + 10).complete(1);
    expect(d.state.holders.get(holderAddr(0))).toMatchObject({
      creditDay: 1,
      usedCu: 0n,
      reservedCu: 0n,
    });
  });

  it('a Dedicated receipt counts as delivered capacity and owed escrow', () => {
    const d = smallNetwork();
    const s = fundAndReserve(d);
    d.run(dedicatedJob(s, 1, 7n));
    d.run({ type: 'dispatch' });
    d.at(1_000).complete(1);
    expect(d.state.reservations.get(1)).toMatchObject({
      deliveredCu: 7n,
      committedMicroUsdc: 21n,
      openJobs: 0,
      failedCu: 0n,
    });
  });
});

describe('failing and expiring jobs', () => {
  it('failJob: only the running job’s worker may fail it; the credits come back', () => {
    const d = running();
    d.run(includedJob(holderAddr(0), 5n, MODEL_B));
    d.run(includedJob(holderAddr(0), 5n, MODEL_B)); // job 3 queued
    const before = stateHash(d.state);
    expect(d.attempt({ type: 'failJob', jobId: 99, worker: workerAddr(0) })).toMatchObject({
      code: 'UnknownJob',
    });
    expect(d.attempt({ type: 'failJob', jobId: 3, worker: workerAddr(0) })).toMatchObject({
      code: 'JobNotRunning',
    });
    expect(d.attempt({ type: 'failJob', jobId: 1, worker: workerAddr(1) })).toMatchObject({
      code: 'WrongWorker',
    });
    expect(stateHash(d.state)).toBe(before);
    const h = d.state.holders.get(holderAddr(0))!;
    const reserved = h.reservedCu;
    const open = d.state.openJobs;
    expect(d.run({ type: 'failJob', jobId: 1, worker: workerAddr(0) })).toEqual([
      { type: 'JobFailed', jobId: 1, lane: Lane.included, worker: workerAddr(0), refunded: 100n },
    ]);
    expect([h.reservedCu, d.state.openJobs, d.state.totals.jobsFailed]).toEqual([
      reserved - 100n,
      open - 1,
      1,
    ]);
    expect(d.state.workers.get(workerAddr(0))).toMatchObject({ failed: 1, activeJobs: 0 });
  });

  it('expireJobs ends jobs strictly past their deadline, queued or running', () => {
    const d = running();
    d.run(includedJob(holderAddr(0), 5n, MODEL_B));
    d.run(includedJob(holderAddr(0), 5n, MODEL_B)); // jobs 2 and 3 queued, same deadline as job 1
    const deadline = d.state.jobs.get(1)!.deadlineAtMs;
    expect(d.at(deadline).run({ type: 'expireJobs' })).toEqual([]);
    const events = d.at(deadline + 1).run({ type: 'expireJobs' });
    expect(events).toEqual([
      { type: 'JobExpired', jobId: 1, lane: Lane.included, worker: workerAddr(0), refunded: 100n },
      { type: 'JobExpired', jobId: 2, lane: Lane.included, worker: null, refunded: 5n },
      { type: 'JobExpired', jobId: 3, lane: Lane.included, worker: null, refunded: 5n },
    ]);
    expect(d.state.totals.jobsExpired).toBe(3);
    expect(d.state.holders.get(holderAddr(0))!.reservedCu).toBe(0n);
    expect(d.state.workers.get(workerAddr(0))).toMatchObject({ failed: 1, activeJobs: 0 });
  });

  it('a job of a past credit day ending gives no credits back to the new day', () => {
    const d = running();
    d.at(DAY - 1_000).run({ type: 'expireJobs' }); // job 1 ends; job 2 is the last of day 0
    d.run(includedJob(holderAddr(0), 10n));
    d.run({ type: 'dispatch' });
    d.at(DAY).run({ type: 'startDay', day: 1 });
    const h = d.state.holders.get(holderAddr(0))!;
    expect(h.reservedCu).toBe(0n);
    d.run({ type: 'failJob', jobId: 2, worker: workerAddr(0) });
    expect([h.creditDay, h.reservedCu, h.usedCu]).toEqual([1, 0n, 0n]);
  });
});

import { describe, expect, it } from 'vitest';
import type { Receipt } from '../receipts/receipt.ts';
import { createSecp256k1Signer, createSecp256k1Verifier } from '../receipts/secp256k1Verifier.ts';
import { stateHash } from '../stateHash.ts';
import { createDriver } from '../testing/driver.ts';
import { hash32 } from '../testing/fixtures.ts';
import { dedicatedJob, fundAndReserve, includedJob, MODEL_A } from '../testing/network.ts';
import { WORKER_KEY } from '../testing/receiptFixtures.ts';
import { type Address, type Hex, Lane } from '../types.ts';
import { ONE, USDC } from '../units.ts';

// Issue 21, item 1: a receipt signed by another key must be refused in every lane, for pushed
// and for leased jobs, with real EIP-712 secp256k1 signatures (Anvil's well-known keys).
const OTHER_KEY: Hex = '0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a';
const STRANGER_KEY: Hex = '0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6';

function network() {
  const signers = [WORKER_KEY as Hex, OTHER_KEY, STRANGER_KEY].map((k) => createSecp256k1Signer(k));
  const [a, b] = signers.map((s) => s.worker);
  const d = createDriver({
    // Real signatures for receipts; KYC off (its attestations are another test's subject).
    params: { kycRequired: false },
    verifier: createSecp256k1Verifier(),
    signerFor: (w) => signers.find((s) => s.worker === w) ?? signers[2]!,
  });
  const holder: Address = '0x00000000000000000000000000000000000000b1';
  d.run({ type: 'deposit', account: holder, asset: 'one', amount: 5_000n * ONE });
  d.run({ type: 'stake', holder, amountOneWei: 5_000n * ONE });
  d.run({ type: 'deposit', account: holder, asset: 'usdc', amount: 10_000n * USDC });
  d.run({ type: 'fundTreasury', from: holder, amountMicroUsdc: 10_000n * USDC });
  for (const worker of [a!, b!]) {
    const bond = d.params.workerBondMinMicroUsdc;
    d.run({ type: 'deposit', account: worker, asset: 'usdc', amount: bond });
    d.run({
      type: 'registerWorker',
      worker,
      models: [MODEL_A],
      slots: 1,
      capacityCuPerSec: 100n,
      bondMicroUsdc: bond,
    });
  }
  d.run({ type: 'startDay', day: 0 });
  const sponsor = fundAndReserve(d);
  return { d, a: a!, b: b!, holder, sponsor, signers };
}

type Mode = 'pushed' | 'leased';
const cases: Array<[string, Lane, Mode]> = [
  ['Included, pushed', Lane.included, 'pushed'],
  ['Dedicated, pushed', Lane.dedicated, 'pushed'],
  ['Included, leased', Lane.included, 'leased'],
  ['Dedicated, leased', Lane.dedicated, 'leased'],
];

describe('completeJob refuses a receipt signed by another key', () => {
  it.each(cases)('%s', (_name, lane, mode) => {
    const { d, a, b, holder, sponsor, signers } = network();
    d.run(lane === Lane.included ? includedJob(holder, 10n) : dedicatedJob(sponsor, 1, 10n));
    d.run(
      mode === 'pushed'
        ? { type: 'dispatch' }
        : { type: 'leaseJob', models: [MODEL_A], leaseUntilMs: 60_000 },
    );
    const job = d.state.jobs.get(1)!;
    expect(job.status).toBe(mode === 'pushed' ? 'running' : 'leased');
    // The worker the receipt names: the assigned one, or for a leased job the one taking it.
    const named = job.worker ?? a;
    const other = named === a ? b : a;
    d.at(1_000);
    const receipt: Receipt = d.receiptFor(1, hash32('out'), named);
    const signedBy = (i: number) => signers[i]!.sign(receipt);
    const before = stateHash(d.state);
    for (const forger of [signers.findIndex((s) => s.worker === other), 2]) {
      const r = d.attempt({ type: 'completeJob', receipt, signature: signedBy(forger) });
      expect(r.ok ? 'accepted' : r.code).toBe('BadSignature');
      expect(stateHash(d.state)).toBe(before);
    }
    // A signature over another receipt (another result) does not carry over either.
    const elsewhere = signers
      .find((s) => s.worker === named)!
      .sign({ ...receipt, resultHash: hash32('other') });
    const r = d.attempt({ type: 'completeJob', receipt, signature: elsewhere });
    expect(r.ok ? 'accepted' : r.code).toBe('BadSignature');
    // The named worker's own signature is accepted (and checked by receiptsValid on the way).
    const ok = d.attempt({
      type: 'completeJob',
      receipt,
      signature: signers.find((s) => s.worker === named)!.sign(receipt),
    });
    expect(ok.ok).toBe(true);
    expect(d.state.jobs.get(1)).toMatchObject({ status: 'completed', worker: named });
  });

  it('a pushed job completed with a receipt naming another worker, signed by it, is WrongWorker', () => {
    for (const lane of [Lane.included, Lane.dedicated]) {
      const { d, a, b, holder, sponsor, signers } = network();
      d.run(lane === Lane.included ? includedJob(holder, 10n) : dedicatedJob(sponsor, 1, 10n));
      d.run({ type: 'dispatch' });
      const other = d.state.jobs.get(1)!.worker === a ? b : a;
      const receipt = d.receiptFor(1, hash32('out'), other);
      const wrong: Receipt = {
        ...receipt,
        worker: other,
        prev: d.state.workers.get(other)!.chainHead,
      };
      const signer = signers.find((s) => s.worker === other)!;
      const r = d.attempt({ type: 'completeJob', receipt: wrong, signature: signer.sign(wrong) });
      expect(r.ok ? 'accepted' : r.code).toBe('WrongWorker');
    }
  });
});

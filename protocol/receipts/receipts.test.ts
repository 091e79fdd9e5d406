import fc from 'fast-check';
import { hashTypedData, recoverTypedDataAddress } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { describe, expect, it } from 'vitest';
import { createDriver } from '../testing/driver.ts';
import { hash32, modelId } from '../testing/fixtures.ts';
import { lazyWorkerSigner, sampleReceipt, WORKER_KEY } from '../testing/receiptFixtures.ts';
import { Lane } from '../types.ts';
import { ONE, USDC } from '../units.ts';
import { defaultReceiptDomain, receiptDomain, receiptTypes } from './eip712.ts';
import { createReceiptHasher, toHex } from './hashReceipt.ts';
import { type Receipt, ZERO_HASH } from './receipt.ts';
import { secp256k1NativeAvailable } from './secp256k1.ts';
import {
  createSecp256k1Signer,
  createSecp256k1Verifier,
  signAttestation,
} from './secp256k1Verifier.ts';
import { createSimSigner, Hash64, simVerifier } from './simVerifier.ts';

const KEY = WORKER_KEY;
const signer = lazyWorkerSigner();
const receipt: Receipt = sampleReceipt;
const asViemMessage = (r: Receipt) => ({
  ...r,
  jobId: BigInt(r.jobId),
  finishedAt: BigInt(r.finishedAt),
});

describe('EIP-712 receipts', () => {
  it('the fast hasher equals viem’s generic hashTypedData, for two domains', () => {
    for (const domain of [
      defaultReceiptDomain,
      receiptDomain(1, '0x000000000000000000000000000000000000dEaD'.toLowerCase() as `0x${string}`),
    ]) {
      const fast = toHex(createReceiptHasher(domain)(receipt));
      expect(fast).toBe(
        hashTypedData({
          domain,
          types: receiptTypes,
          primaryType: 'Receipt',
          message: asViemMessage(receipt),
        }),
      );
    }
  });

  it('signatures made here recover with viem, and viem’s signatures verify here (native and pure JS)', async () => {
    const sig = signer.sign(receipt);
    const recovered = await recoverTypedDataAddress({
      domain: defaultReceiptDomain,
      types: receiptTypes,
      primaryType: 'Receipt',
      message: asViemMessage(receipt),
      signature: sig,
    });
    expect(recovered.toLowerCase()).toBe(signer.worker);
    const viemSig = await privateKeyToAccount(KEY).signTypedData({
      domain: defaultReceiptDomain,
      types: receiptTypes,
      primaryType: 'Receipt',
      message: asViemMessage(receipt),
    });
    for (const backend of ['native', 'noble'] as const) {
      const v = createSecp256k1Verifier({ backend });
      expect(v.verify(receipt, viemSig, v.receiptId(receipt))).toBe(true);
    }
    expect(createSecp256k1Verifier().backend).toBe(secp256k1NativeAvailable ? 'native' : 'noble');
  });

  it('any changed field or a foreign signer fails verification', () => {
    const v = createSecp256k1Verifier();
    const sig = signer.sign(receipt);
    const tampered: Receipt[] = [
      { ...receipt, resultHash: hash32('other') },
      { ...receipt, units: 1_235n },
      { ...receipt, prev: hash32('x') },
      { ...receipt, model: modelId('cnn-s') },
    ];
    for (const r of tampered) expect(v.verify(r, sig, v.receiptId(r))).toBe(false);
    const other = createSecp256k1Signer(`0x${'11'.repeat(32)}`);
    expect(v.verify(receipt, other.sign(receipt), v.receiptId(receipt))).toBe(false);
    expect(v.verify(receipt, '0x1234', v.receiptId(receipt))).toBe(false);
  });

  it('the simulator’s cheap verifier also catches tampering and wrong signers', () => {
    const w = receipt.worker;
    const sig = createSimSigner(w).sign(receipt);
    expect(simVerifier.verify(receipt, sig, simVerifier.receiptId(receipt))).toBe(true);
    const r2 = { ...receipt, resultHash: hash32('other') };
    expect(simVerifier.verify(r2, sig, simVerifier.receiptId(r2))).toBe(false);
    const foreign = createSimSigner('0x2222222222222222222222222222222222222222').sign(receipt);
    expect(simVerifier.verify(receipt, foreign, simVerifier.receiptId(receipt))).toBe(false);
  });
});

describe('completeJob with real secp256k1 receipts', () => {
  function network() {
    const attestorKey = `0x${'a1'.repeat(32)}` as const;
    const attestation = signAttestation(attestorKey, {
      worker: signer.worker,
      identityHash: hash32('operator'),
      expiresAtMs: 86_400_000 * 30,
    });
    const d = createDriver({
      verifier: createSecp256k1Verifier(),
      signerFor: () => signer,
      params: { attestors: [attestation.attestor] },
    });
    const holder = '0x1111111111111111111111111111111111111111' as const;
    const w = signer.worker;
    d.run({ type: 'deposit', account: w, asset: 'usdc', amount: 500n * USDC });
    d.run({
      type: 'registerWorker',
      worker: w,
      models: [receipt.model],
      slots: 2,
      capacityCuPerSec: 10n,
      bondMicroUsdc: 500n * USDC,
      attestation,
    });
    d.run({ type: 'deposit', account: holder, asset: 'one', amount: 1_000n * ONE });
    d.run({ type: 'stake', holder, amountOneWei: 1_000n * ONE });
    d.run({ type: 'deposit', account: holder, asset: 'usdc', amount: 9_000n * USDC });
    d.run({ type: 'fundTreasury', from: holder, amountMicroUsdc: 9_000n * USDC });
    d.run({ type: 'startDay', day: 0 });
    for (let i = 0; i < 2; i++)
      d.run({
        type: 'submitJob',
        lane: Lane.included,
        requester: holder,
        model: receipt.model,
        units: 10n,
        requestHash: hash32(`q${i}`),
      });
    d.run({ type: 'dispatch' });
    return d;
  }

  it('accepts a chained, signed receipt and moves the chain head to its EIP-712 digest', () => {
    const d = network();
    d.at(500).complete(1);
    const v = createSecp256k1Verifier();
    const head = d.state.workers.get(signer.worker)!.chainHead;
    expect(head).toBe(d.state.jobs.get(1)!.receiptId);
    expect(d.receiptFor(2).prev).toBe(head);
    expect(v.receiptId({ ...d.receiptFor(2), prev: ZERO_HASH })).not.toBe(
      v.receiptId(d.receiptFor(2)),
    );
  });

  it('rejects a bad signature, a broken chain link and a mismatched field, changing nothing', () => {
    const d = network();
    const good = d.receiptFor(1);
    const before = JSON.stringify([...d.state.jobs.values()], (_k, v) =>
      typeof v === 'bigint' ? `${v}` : v,
    );
    const cases: Array<[Receipt, `0x${string}`, string]> = [
      [good, createSecp256k1Signer(`0x${'22'.repeat(32)}`).sign(good), 'BadSignature'],
      [
        { ...good, prev: hash32('not the head') },
        signer.sign({ ...good, prev: hash32('not the head') }),
        'BadChainLink',
      ],
      [{ ...good, units: 11n }, signer.sign({ ...good, units: 11n }), 'ReceiptMismatch'],
      [{ ...good, jobId: 99 }, signer.sign({ ...good, jobId: 99 }), 'UnknownJob'],
    ];
    for (const [r, signature, code] of cases)
      expect(d.attempt({ type: 'completeJob', receipt: r, signature })).toMatchObject({
        ok: false,
        code,
      });
    expect(
      JSON.stringify([...d.state.jobs.values()], (_k, v) => (typeof v === 'bigint' ? `${v}` : v)),
    ).toBe(before);
  });
});

describe('the simulator receipt hash', () => {
  it('hashes an integer exactly as its decimal string (addInt is add(String(n)) without the string)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.maxSafeNat(),
          fc.integer(),
          fc.bigInt(),
          fc.bigInt({ min: 0n, max: 2n ** 80n }),
          fc.double(),
          fc.constant(-0),
          // Where addInt turns from double to int32 arithmetic, and around it.
          fc.constantFrom(0, 9, 10, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1),
        ),
        fc.string(),
        (n, before) => {
          expect(new Hash64().add(before).addInt(n).hex()).toBe(
            new Hash64().add(before).add(String(n)).hex(),
          );
        },
      ),
      { numRuns: 500 },
    );
  });

  it('writes an id as 0x and the 16 hex digits of hex()', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const h = new Hash64().add(text);
        expect(h.id()).toBe(`0x${h.hex()}`);
        expect(h.id()).toMatch(/^0x[0-9a-f]{16}$/);
      }),
      { numRuns: 300 },
    );
  });
});

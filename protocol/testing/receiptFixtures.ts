import { type Receipt, type ReceiptSigner, ZERO_HASH } from '../receipts/receipt.ts';
import { createSecp256k1Signer } from '../receipts/secp256k1Verifier.ts';
import { Lane } from '../types.ts';
import { hash32, modelId } from './fixtures.ts';

/** Anvil's second account: its key and address. */
export const WORKER_KEY = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d';
export const WORKER = '0x70997970c51812dc3a010c7d01b50e0d17dc79c8';

/**
 * A secp256k1 signer for WORKER built on first use, inside a test: a mutant that breaks signing
 * must fail a test, not the loading of the test file (Stryker counts that "survived").
 */
export function lazyWorkerSigner(): ReceiptSigner {
  let built: ReceiptSigner | undefined;
  return {
    get worker() {
      built ??= createSecp256k1Signer(WORKER_KEY);
      return built.worker;
    },
    sign: (r) => {
      built ??= createSecp256k1Signer(WORKER_KEY);
      return built.sign(r);
    },
  };
}

/** A Dedicated receipt of WORKER with every field set to a distinct value. */
export const sampleReceipt: Receipt = {
  jobId: 42,
  lane: Lane.dedicated,
  requester: '0x1111111111111111111111111111111111111111',
  model: modelId('mlp-s'),
  worker: WORKER,
  requestHash: hash32('request'),
  resultHash: hash32('result'),
  units: 1_234n,
  price: 3n,
  finishedAt: 987_654_321,
  prev: ZERO_HASH,
};

import { performance } from 'node:perf_hooks';
import { hash32, modelId } from '../testing/fixtures.ts';
import { Lane } from '../types.ts';
import { defaultReceiptDomain } from './eip712.ts';
import { createReceiptHasher } from './hashReceipt.ts';
import { type Receipt, ZERO_HASH } from './receipt.ts';
import { createSecp256k1Signer, createSecp256k1Verifier } from './secp256k1Verifier.ts';
import { createSimSigner, simVerifier } from './simVerifier.ts';

function perSecond(label: string, n: number, fn: (i: number) => void): void {
  for (let i = 0; i < Math.min(n, 200); i++) fn(i); // warm-up
  const t0 = performance.now();
  for (let i = 0; i < n; i++) fn(i);
  const s = (performance.now() - t0) / 1000;
  console.log(
    `  ${label.padEnd(44)} ${Math.round(n / s)
      .toLocaleString('en-US')
      .padStart(10)} /s`,
  );
}

export default async function bench(): Promise<void> {
  const signer = createSecp256k1Signer(`0x${'42'.repeat(32)}`);
  const receipts: Receipt[] = Array.from({ length: 2_000 }, (_, i) => ({
    jobId: i,
    lane: Lane.included,
    requester: '0x1111111111111111111111111111111111111111',
    model: modelId('m'),
    worker: signer.worker,
    requestHash: hash32(`q${i}`),
    resultHash: hash32(`r${i}`),
    units: 100n,
    price: 2n,
    finishedAt: i,
    prev: ZERO_HASH,
  }));
  const hasher = createReceiptHasher(defaultReceiptDomain);
  const sigs = receipts.map((r) => signer.sign(r));
  const native = createSecp256k1Verifier({ backend: 'native' });
  const noble = createSecp256k1Verifier({ backend: 'noble' });
  const ids = receipts.map((r) => native.receiptId(r));
  const simSigner = createSimSigner(signer.worker);
  const simSigs = receipts.map((r) => simSigner.sign(r));
  console.log('receipts (single thread):');
  perSecond('EIP-712 digest (precomputed type hash)', 20_000, (i) => hasher(receipts[i % 2_000]!));
  perSecond(`secp256k1 sign (${native.backend})`, 5_000, (i) => signer.sign(receipts[i % 2_000]!));
  perSecond(`secp256k1 verify, digest given (${native.backend})`, 5_000, (i) =>
    native.verify(receipts[i % 2_000]!, sigs[i % 2_000]!, ids[i % 2_000]!),
  );
  perSecond('secp256k1 verify, digest given (noble, pure JS)', 500, (i) =>
    noble.verify(receipts[i % 2_000]!, sigs[i % 2_000]!, ids[i % 2_000]!),
  );
  perSecond(`digest + verify (${native.backend})`, 5_000, (i) => {
    const r = receipts[i % 2_000]!;
    native.verify(r, sigs[i % 2_000]!, native.receiptId(r));
  });
  perSecond('sim verifier: id + verify (not secure)', 200_000, (i) => {
    const r = receipts[i % 2_000]!;
    simVerifier.verify(r, simSigs[i % 2_000]!, simVerifier.receiptId(r));
  });
  console.log('  command: npm run bench -- protocol/receipts/receipts.bench.ts');
}

import { performance } from 'node:perf_hooks';
import {
  createOneWorkerSigner,
  createReceiptHasher,
  defaultReceiptDomain,
  type Hex,
  secp256k1NativeAvailable,
  verifyOneWorkerReceipt,
} from '../../protocol/index.ts';
import { getModel } from '../models/registry.ts';
import { makeSampleLibrary } from '../models/sampleInputs.ts';
import { createRuntime } from '../runtime/createRuntime.ts';
import type { InferenceResult } from '../runtime/inferenceResult.ts';
import { createLineChecker, fromJson } from '../verify/checkLine.ts';
import { resolveLineModels } from '../verify/lineModels.ts';
import { createReceiptIssuer, type ReceiptSigning } from './createReceiptIssuer.ts';
import { verifyBatchInclusion } from './receiptBatch.ts';
import { loadReceiptKeys } from './receiptKeys.ts';
import type { ReceiptJson, ReceiptLine } from './receiptLine.ts';
import { createDigestSigner } from './signDigest.ts';

const count = 4_000;
const model = getModel('mlp-s');
const keys = loadReceiptKeys({ keyFile: null, env: {}, allowEphemeral: true });

/** Real results (mlp-s, inline) so the verifier's digest checks pass and it reaches the signatures. */
async function results(): Promise<InferenceResult[]> {
  const runtime = await createRuntime({ modelName: model.name, inline: true, warmupIterations: 0 });
  const samples = makeSampleLibrary({ model, seed: 1, count: 64 });
  const out: InferenceResult[] = [];
  for (let i = 0; i < count; i++) out.push(await runtime.infer({ sample: samples[i % 64]! }));
  await runtime.close();
  return out;
}

function issue(
  signing: ReceiptSigning,
  rs: InferenceResult[],
): { lines: ReceiptLine[]; perSecond: number } {
  const lines: ReceiptLine[] = [];
  const issuer = createReceiptIssuer({
    keys,
    model,
    inputSeed: 1,
    signing,
    batchSize: 256,
    onLines: (ls) => lines.push(...ls),
  });
  const t0 = performance.now();
  for (const r of rs) issuer.add(r);
  issuer.flush();
  return { lines, perSecond: rs.length / ((performance.now() - t0) / 1000) };
}

function rate(n: number, fn: (i: number) => void): number {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) fn(i);
  return n / ((performance.now() - t0) / 1000);
}

const fmt = (label: string, perSecond: number) =>
  console.log(
    `  ${label.padEnd(58)} ${Math.round(perSecond).toLocaleString('en-US').padStart(9)} /s`,
  );

/** Receipts per second, signed and verified, one thread (secp256k1 backend as loaded). */
export default async function receiptsBench(): Promise<void> {
  const rs = await results();
  issue('single', rs.slice(0, 300)); // warm-up
  issue('batch', rs.slice(0, 300));
  const backend = secp256k1NativeAvailable ? 'native' : 'noble';
  const single = issue('single', rs);
  const batch = issue('batch', rs);
  console.log(`receipts (one thread, secp256k1 ${backend}, ${count} receipts, batch size 256):`);
  fmt('issue both encodings, EIP-712 signed one by one', single.perSecond);
  fmt('issue both encodings, EIP-712 batch (per receipt)', batch.perSecond);
  const signDigest = createDigestSigner(keys.secp256k1);
  const digests = single.lines.map((l) =>
    Uint8Array.from(Buffer.from(l.eip712.digest.slice(2), 'hex')),
  );
  fmt(
    `secp256k1 sign of a digest only (${backend})`,
    rate(count, (i) => void signDigest(digests[i]!)),
  );
  const ed = createOneWorkerSigner(keys.ed25519);
  fmt(
    'ed25519 worker-format sign only',
    rate(count, (i) => void ed.sign(single.lines[i]!.one)),
  );
  const workers = {
    eip712: single.lines[0]!.eip712.receipt.worker,
    one: single.lines[0]!.one.worker,
  };
  // Fresh hashing every time: the checker memoises digests per receipt object.
  const hasher = createReceiptHasher(defaultReceiptDomain);
  const digestOf = (r: ReceiptJson): Hex => `0x${Buffer.from(hasher(fromJson(r))).toString('hex')}`;
  const models = await resolveLineModels({ lines: single.lines });
  const checker = createLineChecker({ domain: defaultReceiptDomain, backend, workers, models });
  const eipOnly = (lines: ReceiptLine[]) => (i: number) => {
    const l = lines[i % count]!;
    if (digestOf(l.eip712.receipt) !== l.eip712.digest) throw new Error('digest');
  };
  fmt('EIP-712 digest only (recomputed)', rate(count, eipOnly(single.lines)));
  fmt(
    'ed25519 worker-format verify only',
    rate(count, (i) => void verifyOneWorkerReceipt(single.lines[i % count]!.one)),
  );
  const { createSecp256k1Verifier } = await import('../../protocol/index.ts');
  const ecrecover = createSecp256k1Verifier({ backend });
  fmt(
    `EIP-712 digest + ecrecover (${backend})`,
    rate(count, (i) => {
      const l = single.lines[i]!;
      if (
        !ecrecover.verify(
          {
            ...l.eip712.receipt,
            units: BigInt(l.eip712.receipt.units),
            price: BigInt(l.eip712.receipt.price),
          },
          l.eip712.signature!,
          digestOf(l.eip712.receipt),
        )
      )
        throw new Error('sig');
    }),
  );
  fmt(
    'EIP-712 digest + batch inclusion proof (root signature once per batch)',
    rate(count, (i) => {
      const l = batch.lines[i]!;
      if (
        !verifyBatchInclusion({
          digest: digestOf(l.eip712.receipt),
          batch: l.eip712.batch!,
        })
      )
        throw new Error('proof');
    }),
  );
  fmt(
    `full line check, single (digests, ecrecover ${backend}, ed25519)`,
    rate(count, (i) => void checker.check(single.lines[i]!, i)),
  );
  const batchChecker = createLineChecker({
    domain: defaultReceiptDomain,
    backend,
    models,
    workers: { ...workers, eip712: batch.lines[0]!.eip712.receipt.worker },
  });
  fmt(
    'full line check, batch (proof + cached root signature)',
    rate(count, (i) => void batchChecker.check(batch.lines[i]!, i)),
  );
  console.log('  command: npm run bench -- gpu-harness/receipts/receipts.bench.ts');
}

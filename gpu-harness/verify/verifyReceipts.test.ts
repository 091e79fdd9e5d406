import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createOneWorkerSigner,
  createSecp256k1Signer,
  defaultReceiptDomain,
  oneWorkerLinkHash,
} from '../../protocol/index.ts';
import { quantisedDigest } from '../models/quantisedDigest.ts';
import { getModel } from '../models/registry.ts';
import { makeSampleLibrary } from '../models/sampleInputs.ts';
import { createReceiptIssuer, type ReceiptSigning } from '../receipts/createReceiptIssuer.ts';
import { signReceiptBatch } from '../receipts/receiptBatch.ts';
import { loadReceiptKeys, type ReceiptKeys } from '../receipts/receiptKeys.ts';
import type { ReceiptLine } from '../receipts/receiptLine.ts';
import { createRuntime, type Runtime } from '../runtime/createRuntime.ts';
import type { InferenceResult } from '../runtime/inferenceResult.ts';
import { fromJson } from './checkLine.ts';
import { resolveLineModels } from './lineModels.ts';
import { verifyReceipts } from './verifyReceipts.ts';

const keys: ReceiptKeys = loadReceiptKeys({
  env: {
    ONESIM_SECP256K1_KEY: `0x${'11'.repeat(32)}`,
    ONESIM_ED25519_KEY: '22'.repeat(32),
  },
  allowEphemeral: false,
});
const model = getModel('mlp-s');
let runtime: Runtime;
let results: InferenceResult[];

beforeAll(async () => {
  runtime = await createRuntime({ modelName: 'mlp-s', inline: true, warmupIterations: 0 });
  const samples = makeSampleLibrary({ model, seed: 1, count: 8 });
  results = [];
  for (let i = 0; i < 12; i++) results.push(await runtime.infer({ sample: samples[i % 8]! }));
});
afterAll(() => runtime.close());

function issue(signing: ReceiptSigning, rs = results): ReceiptLine[] {
  const lines: ReceiptLine[] = [];
  const issuer = createReceiptIssuer({
    keys,
    model,
    inputSeed: 1,
    signing,
    batchSize: 5,
    onLines: (l) => lines.push(...l),
  });
  for (const r of rs) issuer.add(r);
  issuer.flush();
  return structuredClone(lines);
}

const verify = (lines: ReceiptLine[], sampleRate = 0) =>
  verifyReceipts({ lines, sampleRate, seed: 1 });
const verdict = async (lines: ReceiptLine[], sampleRate = 0) => {
  const r = await verify(lines, sampleRate);
  return (
    r.failure && { index: r.failure.index, kind: r.failure.kind, encoding: r.failure.encoding }
  );
};
const k = 5;

describe('verifyReceipts: honest chains pass', () => {
  for (const signing of ['single', 'batch'] as const) {
    it(`${signing}: signatures, chains, digests, model hash and full re-execution check out`, async () => {
      const r = await verify(issue(signing), 1);
      expect(r.ok).toBe(true);
      expect(r.failure).toBeNull();
      expect(r.reexecuted).toBe(12);
      expect(r.signing).toEqual(
        signing === 'single'
          ? { single: 12, batched: 0, batches: 0 }
          : { single: 0, batched: 12, batches: 3 },
      );
    });
  }
});

describe('verifyReceipts: every kind of tampering is rejected at the first bad index', () => {
  it('tampered output values', async () => {
    const lines = issue('single');
    lines[k]!.output.values[0]! += 0.5;
    expect(await verdict(lines)).toEqual({ index: k, kind: 'output-digest', encoding: 'line' });
  });

  it('tampered result digest (either encoding)', async () => {
    const a = issue('single');
    a[k]!.eip712.receipt.resultHash = `0x${'ab'.repeat(32)}`;
    expect(await verdict(a)).toEqual({ index: k, kind: 'result-digest', encoding: 'eip712' });
    const b = issue('single');
    b[k]!.one.outputDigest = 'ab'.repeat(32);
    expect(await verdict(b)).toEqual({ index: k, kind: 'result-digest', encoding: 'one' });
  });

  it('reordered chain', async () => {
    const lines = issue('single');
    [lines[k], lines[k + 1]] = [lines[k + 1]!, lines[k]!];
    expect(await verdict(lines)).toMatchObject({ index: k, kind: 'reorder' });
  });

  it('deleted receipt', async () => {
    const lines = issue('single');
    lines.splice(k, 1);
    expect(await verdict(lines)).toMatchObject({ index: k, kind: 'deletion' });
  });

  it('inserted receipt: validly signed by the same worker but from another chain, or a duplicate', async () => {
    const other = issue('single', [...results].reverse());
    const a = issue('single');
    a.splice(k, 0, other[3]!);
    expect(await verdict(a)).toMatchObject({ index: k, kind: 'insertion' });
    const b = issue('single');
    b.splice(k, 0, structuredClone(b[2]!));
    expect(await verdict(b)).toMatchObject({ index: k, kind: 'insertion' });
  });

  it('a receipt changed and re-signed by the worker after the next one linked to it: mutation', async () => {
    const lines = issue('single');
    const e = lines[k]!.eip712;
    e.receipt.finishedAt += 1;
    const signer = createSecp256k1Signer(keys.secp256k1, defaultReceiptDomain);
    e.signature = signer.sign(fromJson(e.receipt));
    const models = await resolveLineModels({ lines });
    const { checker } = await import('./checkLine.ts').then((m) => ({
      checker: m.createLineChecker({
        models,
        domain: defaultReceiptDomain,
        backend: 'noble',
        workers: { eip712: signer.worker, one: '' },
      }),
    }));
    e.digest = checker.digestOf(e.receipt);
    expect(await verdict(lines)).toEqual({ index: k, kind: 'mutation', encoding: 'eip712' });
  });

  it('wrong model hash', async () => {
    const lines = issue('single');
    const cnn = getModel('cnn-s');
    lines[k]!.model.id = cnn.id;
    expect(await verdict(lines)).toEqual({ index: k, kind: 'model-hash', encoding: 'line' });
    const b = issue('single');
    b[k]!.eip712.receipt.model = cnn.idBytes32;
    expect(await verdict(b)).toEqual({ index: k, kind: 'model-hash', encoding: 'eip712' });
    const c = issue('single');
    c[k]!.one.model = cnn.id;
    expect(await verdict(c)).toEqual({ index: k, kind: 'model-hash', encoding: 'one' });
  });

  it('bad signatures: EIP-712 and ed25519', async () => {
    const a = issue('single');
    const sig = a[k]!.eip712.signature!;
    a[k]!.eip712.signature =
      `${sig.slice(0, 10)}${sig[10] === '0' ? '1' : '0'}${sig.slice(11)}` as `0x${string}`;
    expect(await verdict(a)).toEqual({ index: k, kind: 'signature', encoding: 'eip712' });
    const b = issue('single');
    b[k]!.one.sig = issue('single')[k + 1]!.one.sig;
    b[k]!.one.linkHash = oneWorkerLinkHash(b[k]!.one);
    expect(await verdict(b)).toMatchObject({ index: k, kind: 'signature', encoding: 'one' });
  });

  it('bad batch proof, and a batch root signed by someone else', async () => {
    const a = issue('batch');
    a[k]!.eip712.batch!.proof[0] = `0x${'cd'.repeat(32)}`;
    expect(await verdict(a)).toEqual({ index: k, kind: 'batch-proof', encoding: 'eip712' });
    const b = issue('batch');
    const forged = signReceiptBatch({
      digests: b.slice(5, 10).map((l) => l.eip712.digest),
      privateKey: `0x${'33'.repeat(32)}`,
      domain: defaultReceiptDomain,
    });
    for (let i = 5; i < 10; i++) b[i]!.eip712.batch = forged[i - 5]!;
    expect(await verdict(b)).toEqual({ index: 5, kind: 'batch-signature', encoding: 'eip712' });
  });
});

describe('verifyReceipts: attribution', () => {
  it('with an expected worker, receipts signed by anyone else fail at index 0', async () => {
    const lines = issue('single');
    const r = await verifyReceipts({
      lines,
      sampleRate: 0,
      seed: 1,
      expectedWorker: `0x${'99'.repeat(20)}`,
    });
    expect(r.failure).toMatchObject({ index: 0, kind: 'worker', encoding: 'eip712' });
    const own = createSecp256k1Signer(keys.secp256k1).worker;
    expect((await verifyReceipts({ lines, sampleRate: 0, seed: 1, expectedWorker: own })).ok).toBe(
      true,
    );
  });
});

describe('verifyReceipts: re-execution', () => {
  it('catches outputs from different weights that every other check accepts', async () => {
    // A worker running other weights: outputs off by 10%, digests and signatures all consistent.
    const cheated = results.map((r) => {
      const values = r.output.values.map((v) => Math.fround(v * 1.1));
      const outputDigest = quantisedDigest({
        values: Float32Array.from(values),
        dims: r.output.dims,
        tolerance: model.tolerance,
      });
      return { ...r, output: { ...r.output, values }, outputDigest };
    });
    const lines = issue('single', cheated);
    expect(await verdict(lines, 0)).toBeNull();
    expect(await verdict(lines, 1)).toEqual({ index: 0, kind: 're-execution', encoding: 'line' });
    const sampled = await verify(lines, 0.3);
    expect(sampled.failure?.index).toBe(sampled.sampled[0]);
  });

  it('the sample is seeded: same seed, same receipts', async () => {
    const lines = issue('single');
    const a = await verifyReceipts({ lines, sampleRate: 0.5, seed: 7 });
    const b = await verifyReceipts({ lines, sampleRate: 0.5, seed: 7 });
    expect(a.sampled).toEqual(b.sampled);
    expect(a.sampled.length).toBeGreaterThan(0);
    expect(a.sampled.length).toBeLessThan(12);
  });
});

describe('worker-format receipts', () => {
  it('are the public client format: key order, base64 SPKI worker, linkHash chain', () => {
    const lines = issue('single');
    const one = lines[1]!.one;
    expect(one.prev).toBe(lines[0]!.one.linkHash);
    expect(lines[0]!.one.prev).toBe('');
    expect(createOneWorkerSigner(keys.ed25519).worker).toBe(one.worker);
    expect(Buffer.from(one.worker, 'base64').length).toBe(44);
    expect(one.requestHash).toBe(lines[1]!.eip712.receipt.requestHash.slice(2));
  });
});

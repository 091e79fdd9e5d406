import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  canonicalJson,
  createOneWorkerSigner,
  digestJson,
  oneWorkerLinkHash,
  oneWorkerSigningPayload,
  sha256Hex,
  verifyOneWorkerReceipt,
} from './oneWorkerReceipt.ts';

const { privateKey } = generateKeyPairSync('ed25519');
const signer = createOneWorkerSigner(privateKey);
const fields = {
  prev: '',
  requestHash: digestJson({ b: 1, a: [{ y: 2, x: 1 }] }),
  model: 'm',
  outputDigest: 'o',
};

describe('ONE worker receipts (ed25519)', () => {
  it('canonical JSON sorts keys recursively and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: [{ y: 2, x: 1 }, 3] })).toBe('{"a":[{"x":1,"y":2},3],"b":1}');
    expect(digestJson({ b: 1, a: 2 })).toBe(sha256Hex('{"a":2,"b":1}'));
  });

  it('signs exactly JSON.stringify({prev, requestHash, model, worker, outputDigest}) with a base64 SPKI worker', () => {
    const r = signer.sign(fields);
    const payload = oneWorkerSigningPayload(r);
    expect(Object.keys(JSON.parse(payload))).toEqual([
      'prev',
      'requestHash',
      'model',
      'worker',
      'outputDigest',
    ]);
    const key = createPublicKey({
      key: Buffer.from(r.worker, 'base64'),
      format: 'der',
      type: 'spki',
    });
    expect(verify(null, Buffer.from(payload), key, Buffer.from(r.sig, 'base64'))).toBe(true);
    expect(verifyOneWorkerReceipt(r)).toBe(true);
    expect(oneWorkerLinkHash(r)).toBe(sha256Hex(payload + r.sig));
  });

  it('rejects any changed field, a foreign key, and malformed signatures', () => {
    const r = signer.sign(fields);
    for (const f of ['prev', 'requestHash', 'model', 'outputDigest'] as const)
      expect(verifyOneWorkerReceipt({ ...r, [f]: `${r[f]}x` })).toBe(false);
    const other = createOneWorkerSigner(generateKeyPairSync('ed25519').privateKey);
    expect(verifyOneWorkerReceipt({ ...r, worker: other.worker })).toBe(false);
    expect(verifyOneWorkerReceipt({ ...r, sig: 'not base64!' })).toBe(false);
    expect(verifyOneWorkerReceipt({ ...r, worker: 'AAAA' })).toBe(false);
  });
});

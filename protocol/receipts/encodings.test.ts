import { generateKeyPairSync } from 'node:crypto';
import { hashDomain, hashTypedData, keccak256 } from 'viem';
import { describe, expect, it } from 'vitest';
import { hash32 } from '../testing/fixtures.ts';
import { lazyWorkerSigner, sampleReceipt, WORKER, WORKER_KEY } from '../testing/receiptFixtures.ts';
import { type Address, type Hex, Lane } from '../types.ts';
import {
  attestationTypeString,
  attestationTypes,
  defaultReceiptDomain,
  receiptDomain,
  receiptTypeString,
  receiptTypes,
} from './eip712.ts';
import {
  createAttestationHasher,
  createReceiptHasher,
  domainSeparator,
  receiptStructHash,
  toHex,
} from './hashReceipt.ts';
import {
  canonicalJson,
  createOneWorkerSigner,
  digestJson,
  ONE_WORKER_GENESIS,
  oneWorkerLinkHash,
  sha256Hex,
  verifyOneWorkerReceipt,
} from './oneWorkerReceipt.ts';
import type { Receipt } from './receipt.ts';
import { publicKeyToAddress, recoverAddress } from './secp256k1.ts';
import { createSecp256k1Verifier, signAttestation } from './secp256k1Verifier.ts';
import { createSimSigner, simAttest, simReceiptId, simVerifier } from './simVerifier.ts';

// Written for surviving mutants (docs/auditing.md): the EIP-712 encodings against viem, every
// malformed input the hashers and ecrecover refuse, both backends, and the simulator's cheap
// scheme's sensitivity to every field.
const KEY = WORKER_KEY;
const signer = lazyWorkerSigner();
const receipt: Receipt = sampleReceipt;

describe('EIP-712 encodings', () => {
  it('type strings match the type lists; domains and digests match viem', () => {
    const typeString = (name: string, fields: readonly { name: string; type: string }[]) =>
      `${name}(${fields.map((f) => `${f.type} ${f.name}`).join(',')})`;
    expect(receiptTypeString).toBe(typeString('Receipt', receiptTypes.Receipt));
    expect(attestationTypeString).toBe(typeString('Attestation', attestationTypes.Attestation));
    expect(defaultReceiptDomain).toEqual({
      name: 'ONE',
      version: '1',
      chainId: 31337,
      verifyingContract: '0x00000000000000000000000000000000000000e1',
    });
    const domain = receiptDomain(8453, '0x00000000000000000000000000000000000000f2');
    expect(domain).toEqual({
      name: 'ONE',
      version: '1',
      chainId: 8453,
      verifyingContract: '0x00000000000000000000000000000000000000f2',
    });
    expect(toHex(domainSeparator(domain))).toBe(
      hashDomain({
        domain: { ...domain, chainId: BigInt(domain.chainId) },
        types: {
          EIP712Domain: [
            { name: 'name', type: 'string' },
            { name: 'version', type: 'string' },
            { name: 'chainId', type: 'uint256' },
            { name: 'verifyingContract', type: 'address' },
          ],
        },
      }),
    );
    const body = { worker: receipt.worker, identityHash: hash32('id'), expiresAtMs: 123_456 };
    expect(toHex(createAttestationHasher(domain)(body))).toBe(
      hashTypedData({
        domain,
        types: attestationTypes,
        primaryType: 'Attestation',
        message: { worker: body.worker, identityHash: body.identityHash, expiresAt: 123_456n },
      }),
    );
    // A receipt with a max-width id and short (left-padded) hex words.
    const wide = { ...receipt, jobId: 2 ** 40, prev: '0x01' as const, units: 2n ** 64n - 1n };
    expect(toHex(createReceiptHasher(domain)(wide))).toBe(
      hashTypedData({
        domain,
        types: receiptTypes,
        primaryType: 'Receipt',
        message: {
          ...wide,
          prev: `0x${'0'.repeat(62)}01`,
          jobId: BigInt(wide.jobId),
          finishedAt: BigInt(wide.finishedAt),
        },
      }),
    );
  });

  it('refuses words that are not hex, too long, odd, negative or wider than 256 bits', () => {
    const bad: Array<[Partial<Receipt>, RegExp | ErrorConstructor]> = [
      [{ prev: '0x123' as never }, /bad hex word: 0x123/],
      [{ prev: `0x${'00'.repeat(33)}` as never }, TypeError],
      [{ prev: '0xzz' as never }, /bad hex word/],
      [{ units: -1n }, /negative uint: -1/],
      [{ price: 2n ** 256n }, /uint overflows 256 bits/],
    ];
    for (const [change, error] of bad)
      expect(
        () => receiptStructHash({ ...receipt, ...change }),
        JSON.stringify(Object.keys(change)),
      ).toThrow(error as never);
    expect(() => receiptStructHash({ ...receipt, units: 2n ** 256n - 1n })).not.toThrow();
  });
});

describe('ecrecover', () => {
  it('accepts v as 27/28 or 0/1 and refuses anything else, on both backends', () => {
    const digest = createReceiptHasher(defaultReceiptDomain)(receipt);
    const sig = signer.sign(receipt);
    for (const backend of ['native', 'noble'] as const) {
      expect(recoverAddress(digest, sig, backend)).toBe(signer.worker);
      const v = Number.parseInt(sig.slice(130), 16);
      const withV = (hex: string) => `${sig.slice(0, 130)}${hex}` as Hex;
      const raw = withV((v - 27).toString(16).padStart(2, '0'));
      expect(recoverAddress(digest, raw, backend)).toBe(signer.worker);
      expect(recoverAddress(digest, withV('1d'), backend)).toBeNull(); // v = 29
      expect(recoverAddress(digest, withV('02'), backend)).toBeNull();
      expect(recoverAddress(digest, `${sig}00`, backend)).toBeNull();
      expect(recoverAddress(digest, sig.slice(0, 130) as never, backend)).toBeNull();
      expect(recoverAddress(digest, `0x${'00'.repeat(64)}1b`, backend)).toBeNull(); // r = s = 0
      const verifier = createSecp256k1Verifier({ backend });
      const id = verifier.receiptId(receipt);
      expect(
        verifier.verify(
          { ...receipt, worker: receipt.worker.toUpperCase().replace('0X', '0x') as Address },
          sig,
          id,
        ),
      ).toBe(true);
      expect(verifier.verify({ ...receipt, worker: receipt.requester }, sig, id)).toBe(false);
    }
    expect(createSecp256k1Verifier({ backend: 'noble' })).toMatchObject({
      backend: 'noble',
      name: 'eip712-secp256k1 (noble)',
    });
    const wrong = new Uint8Array(65);
    wrong[0] = 4;
    expect(publicKeyToAddress(wrong)).toBe(`0x${keccak256(new Uint8Array(64)).slice(-40)}`);
  });

  it('attestations signed with a key verify for that attestor only, and not once changed', () => {
    const body = { worker: receipt.worker, identityHash: hash32('id'), expiresAtMs: 5_000 };
    const a = signAttestation(KEY, body);
    expect(a.attestor).toBe(signer.worker);
    expect(signer.worker).toBe(WORKER);
    for (const backend of ['native', 'noble'] as const) {
      const v = createSecp256k1Verifier({ backend });
      expect(v.verifyAttestation(a)).toBe(true);
      expect(
        v.verifyAttestation({
          ...a,
          attestor: a.attestor.toUpperCase().replace('0X', '0x') as Address,
        }),
      ).toBe(true);
      expect(v.verifyAttestation({ ...a, expiresAtMs: 5_001 })).toBe(false);
      expect(v.verifyAttestation({ ...a, attestor: receipt.requester })).toBe(false);
    }
    const other = receiptDomain(1, '0x00000000000000000000000000000000000000f2');
    expect(createSecp256k1Verifier({ domain: other }).verifyAttestation(a)).toBe(false);
    expect(
      createSecp256k1Verifier({ domain: other }).verifyAttestation(
        signAttestation(KEY, body, other),
      ),
    ).toBe(true);
  });
});

describe('the simulator’s cheap scheme', () => {
  it('every field, and where fields split, changes the id; signatures bind the worker', () => {
    const id = simReceiptId(receipt);
    const changes: Array<Partial<Receipt>> = [
      { jobId: 43 },
      { lane: Lane.included },
      { requester: receipt.worker },
      { model: hash32('other') },
      { worker: receipt.requester },
      { requestHash: receipt.resultHash, resultHash: receipt.requestHash },
      // An honest result (equal to the request) is folded as a mark, not as its characters.
      { resultHash: receipt.requestHash },
      { requestHash: hash32('r'), resultHash: hash32('r') },
      { units: 1_235n },
      { price: 4n },
      { finishedAt: 1 },
      { prev: hash32('p') },
    ];
    const ids = changes.map((c) => simReceiptId({ ...receipt, ...c }));
    expect(new Set([id, ...ids]).size).toBe(changes.length + 1);
    expect(id).toMatch(/^0x[0-9a-f]{16}$/);
    const sig = createSimSigner(receipt.worker).sign(receipt);
    expect(simVerifier.verify(receipt, sig, id)).toBe(true);
    expect(simVerifier.verify({ ...receipt, worker: receipt.requester }, sig, id)).toBe(false);
    expect(simVerifier.verify(receipt, sig, simReceiptId({ ...receipt, units: 1n }))).toBe(false);
    const att = simAttest(receipt.requester, {
      worker: receipt.worker,
      identityHash: hash32('id'),
      expiresAtMs: 9,
    });
    expect(simVerifier.verifyAttestation(att)).toBe(true);
    for (const change of [
      { worker: receipt.requester },
      { identityHash: hash32('x') },
      { expiresAtMs: 10 },
      { attestor: receipt.worker },
    ])
      expect(simVerifier.verifyAttestation({ ...att, ...change })).toBe(false);
    // Pinned: a change of the scheme changes every simulated chain.
    expect(id).toMatchInlineSnapshot(`"0x1a0a25474eb0c6fb"`);
  });
});

describe('ONE worker receipts', () => {
  it('refuse non-ed25519 keys and malformed signatures; canonical JSON sorts nested keys', () => {
    const { privateKey: ec } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    expect(() => createOneWorkerSigner(ec)).toThrow('privateKey: expected an ed25519 key, got ec');
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const s = createOneWorkerSigner(privateKey);
    expect(s.worker).toBe(publicKey.export({ format: 'der', type: 'spki' }).toString('base64'));
    const r = s.sign({
      prev: ONE_WORKER_GENESIS,
      requestHash: digestJson({ b: 1, a: [2, { d: 3, c: 4 }] }),
      model: 'm',
      outputDigest: sha256Hex('out'),
    });
    expect(verifyOneWorkerReceipt(r)).toBe(true);
    expect(canonicalJson({ b: 1, a: [2, { d: 3, c: 4 }], n: null })).toBe(
      '{"a":[2,{"c":4,"d":3}],"b":1,"n":null}',
    );
    expect(verifyOneWorkerReceipt({ ...r, sig: `${r.sig.slice(0, -4)}AAAA` })).toBe(false);
    expect(verifyOneWorkerReceipt({ ...r, sig: r.sig.slice(4) })).toBe(false); // 61 bytes
    expect(verifyOneWorkerReceipt({ ...r, sig: `${r.sig} ` })).toBe(false); // not canonical base64
    const ecWorker = generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
      .publicKey.export({ format: 'der', type: 'spki' })
      .toString('base64');
    expect(verifyOneWorkerReceipt({ ...r, worker: ecWorker })).toBe(false);
    expect(verifyOneWorkerReceipt({ ...r, worker: 'not a key' })).toBe(false);
    expect(oneWorkerLinkHash(r)).toBe(
      sha256Hex(
        JSON.stringify({
          prev: r.prev,
          requestHash: r.requestHash,
          model: r.model,
          worker: r.worker,
          outputDigest: r.outputDigest,
        }) + r.sig,
      ),
    );
    // The key cache holds many workers without going wrong.
    for (let i = 0; i < 3; i++) expect(verifyOneWorkerReceipt(r)).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import {
  generateSealingKeyPair,
  hkdfSha256,
  open,
  type SealedBox,
  SealOpenError,
  seal,
  x25519PublicKey,
  x25519SharedSecret,
} from './sealing.ts';

const hex = (s: string) => Buffer.from(s, 'hex');

describe('sealing building blocks against outside vectors', () => {
  it('X25519 agrees with RFC 7748 §6.1 (Alice and Bob)', () => {
    const alicePriv = hex('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a');
    const bobPriv = hex('5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb');
    const alicePub = '8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a';
    const bobPub = 'de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f';
    const shared = '4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742';
    expect(x25519PublicKey(alicePriv).toString('hex')).toBe(alicePub);
    expect(x25519PublicKey(bobPriv).toString('hex')).toBe(bobPub);
    expect(x25519SharedSecret(alicePriv, hex(bobPub)).toString('hex')).toBe(shared);
    expect(x25519SharedSecret(bobPriv, hex(alicePub)).toString('hex')).toBe(shared);
  });

  it('HKDF-SHA256 agrees with RFC 5869 test case 1', () => {
    const okm = hkdfSha256(
      Buffer.alloc(22, 0x0b),
      hex('000102030405060708090a0b0c'),
      hex('f0f1f2f3f4f5f6f7f8f9'),
      42,
    );
    expect(okm.toString('hex')).toBe(
      '3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865',
    );
  });
});

describe('seal and open', () => {
  const worker = generateSealingKeyPair();
  const other = generateSealingKeyPair();
  const text = 'prompt: the secret is 42';

  it('round-trips, and the ciphertext does not contain the plaintext', () => {
    const box = seal({ plaintext: text, recipientPublicKey: worker.publicKey });
    expect(open(box, worker.privateKey).toString()).toBe(text);
    expect(Buffer.from(box.ciphertext, 'base64').toString()).not.toContain('secret');
    expect(Buffer.from(box.ciphertext, 'base64').length).toBe(Buffer.byteLength(text));
    // Fresh ephemeral key and nonce per message: the same plaintext seals differently.
    const again = seal({ plaintext: text, recipientPublicKey: worker.publicKey });
    expect(again.ciphertext).not.toBe(box.ciphertext);
    expect(again.ephemeralPublicKey).not.toBe(box.ephemeralPublicKey);
  });

  it('is deterministic given the ephemeral key and nonce', () => {
    const fixed = { ephemeralPrivateKey: Buffer.alloc(32, 7), nonce: Buffer.alloc(12, 1) };
    const a = seal({ plaintext: text, recipientPublicKey: worker.publicKey, ...fixed });
    const b = seal({ plaintext: text, recipientPublicKey: worker.publicKey, ...fixed });
    expect(a).toEqual(b);
  });

  it('refuses a box sealed to another recipient', () => {
    const box = seal({ plaintext: text, recipientPublicKey: worker.publicKey });
    expect(() => open(box, other.privateKey)).toThrow(SealOpenError);
  });

  const flip = (b64: string, i = 0) => {
    const b = Buffer.from(b64, 'base64');
    b[i] = b[i]! ^ 1;
    return b.toString('base64');
  };
  const tampered: Array<[string, (b: SealedBox) => SealedBox]> = [
    ['ciphertext', (b) => ({ ...b, ciphertext: flip(b.ciphertext, 3) })],
    ['tag', (b) => ({ ...b, tag: flip(b.tag, 15) })],
    ['nonce', (b) => ({ ...b, nonce: flip(b.nonce) })],
    ['ephemeral key', (b) => ({ ...b, ephemeralPublicKey: flip(b.ephemeralPublicKey, 5) })],
    ['truncated ciphertext', (b) => ({ ...b, ciphertext: b.ciphertext.slice(0, 8) })],
  ];
  for (const [what, change] of tampered)
    it(`refuses a tampered ${what}`, () => {
      const box = seal({ plaintext: text, recipientPublicKey: worker.publicKey });
      expect(() => open(change(box), worker.privateKey)).toThrow(SealOpenError);
    });

  it('refuses a low-order ephemeral key (all-zero shared secret)', () => {
    const box = seal({ plaintext: text, recipientPublicKey: worker.publicKey });
    expect(() =>
      open({ ...box, ephemeralPublicKey: Buffer.alloc(32).toString('base64') }, worker.privateKey),
    ).toThrow(SealOpenError);
  });
});

import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createOneWorkerSigner } from '../../protocol/index.ts';
import { loadReceiptKeys } from './receiptKeys.ts';

const secp = `0x${'42'.repeat(32)}`;
const edPem = generateKeyPairSync('ed25519')
  .privateKey.export({ format: 'pem', type: 'pkcs8' })
  .toString();

describe('loadReceiptKeys', () => {
  it('reads a key file (PEM) and environment variables (hex seed)', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'onesim-keys-')), 'keys.json');
    writeFileSync(file, JSON.stringify({ secp256k1: secp, ed25519: edPem }));
    expect(loadReceiptKeys({ keyFile: file, allowEphemeral: false })).toMatchObject({
      secp256k1: secp,
      source: 'key-file',
    });
    const env = { ONESIM_SECP256K1_KEY: secp.slice(2), ONESIM_ED25519_KEY: '07'.repeat(32) };
    const a = loadReceiptKeys({ env, allowEphemeral: false });
    const b = loadReceiptKeys({ env, allowEphemeral: false });
    expect(a.source).toBe('env');
    expect(createOneWorkerSigner(a.ed25519).worker).toBe(createOneWorkerSigner(b.ed25519).worker);
  });

  it('makes ephemeral keys only when allowed, and never prints a secret in errors', () => {
    expect(loadReceiptKeys({ env: {}, allowEphemeral: true }).source).toBe('ephemeral');
    expect(() => loadReceiptKeys({ env: {}, allowEphemeral: false })).toThrow(/no keys/);
    const bad = 'ab'.repeat(20);
    expect(() =>
      loadReceiptKeys({
        env: { ONESIM_SECP256K1_KEY: bad, ONESIM_ED25519_KEY: '07'.repeat(32) },
        allowEphemeral: true,
      }),
    ).toThrow(
      'ONESIM_SECP256K1_KEY: expected 64 hex digits (0x optional), got a string of 40 characters',
    );
    expect(() =>
      loadReceiptKeys({ env: { ONESIM_SECP256K1_KEY: secp }, allowEphemeral: true }),
    ).toThrow(/ONESIM_ED25519_KEY: not set/);
  });
});

import { createHash, createPublicKey } from 'node:crypto';
import type { Address } from '../../protocol/index.ts';
import { GatewayError } from './gatewayError.ts';

/**
 * An optional hint: a poll may name its worker by its ed25519 public key, base64 DER/SPKI (the
 * receipts' `worker`). The public ONE worker client does not send it; nothing requires it.
 */
export const workerKeyHeader = 'x-one-worker';

/**
 * The worker's protocol address: the last 20 bytes of sha256 over its SPKI bytes (lower-case
 * hex). Throws GatewayError(400) naming `field` unless the key is a well-formed base64 ed25519
 * SPKI key.
 */
export function workerAddressOf(key: unknown, field: string): Address {
  if (typeof key !== 'string' || key === '')
    throw new GatewayError(
      400,
      'BadWorkerKey',
      `${field}: expected the worker's base64 SPKI ed25519 key`,
      field,
    );
  const der = Buffer.from(key, 'base64');
  let ok = der.toString('base64') === key;
  try {
    ok =
      ok &&
      createPublicKey({ key: der, format: 'der', type: 'spki' }).asymmetricKeyType === 'ed25519';
  } catch {
    ok = false;
  }
  if (!ok)
    throw new GatewayError(
      400,
      'BadWorkerKey',
      `${field}: not a base64 SPKI ed25519 key: ${key.slice(0, 32)}…`,
      field,
    );
  return `0x${createHash('sha256').update(der).digest('hex').slice(24)}` as Address;
}

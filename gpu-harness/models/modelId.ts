import { createHash } from 'node:crypto';

/** Content address of a model: sha256 of its bytes, lower-case hex without prefix. */
export function modelIdHex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The same digest in the receipt's bytes32 form (`0x` + 64 hex digits). */
export function toBytes32(hex: string): `0x${string}` {
  if (!/^[0-9a-f]{64}$/.test(hex))
    throw new Error(`toBytes32: not a sha256 hex digest: ${JSON.stringify(hex)}`);
  return `0x${hex}`;
}

import type { Address } from '../../protocol/index.ts';

/** Simulated actors' addresses: a role tag and an index, so roles never collide. */
export const roleTags = { holder: 1, worker: 2, sponsor: 3, oracle: 4, funder: 9 } as const;

export function actorAddress(role: keyof typeof roleTags, index: number): Address {
  // Joined, not concatenated: a flat string rather than a V8 rope, which the receipt hash and
  // the hex checks read character by character about twice as fast.
  return [
    '0x',
    roleTags[role].toString(16).padStart(8, '0'),
    index.toString(16).padStart(32, '0'),
  ].join('') as Address;
}

/** A bytes32 id for a simulated model: sha256 of its name, as the harness uses sha256 of bytes. */
export { modelIdOf as modelId } from '../../protocol/modelId.ts';

/** A cheap, unique bytes32 for counters (request and result digests in the simulator). */
export function counterHash(tag: number, n: number): `0x${string}` {
  return ['0x', tag.toString(16).padStart(8, '0'), n.toString(16).padStart(56, '0')].join(
    '',
  ) as `0x${string}`;
}

const ZEROS = '0'.repeat(64);

/**
 * The simulator's request hash for counter `n`: 0x and 64 hex digits of n. The trace codec
 * predicts the next one with the same function. Joined, not concatenated: a flat string rather
 * than a V8 rope (read about twice as fast character by character), the zeros cut from a
 * constant rather than padded (half the cost).
 */
export function requestHashOf(n: number | bigint): `0x${string}` {
  const digits = n.toString(16);
  return ['0x', ZEROS.slice(digits.length), digits].join('') as `0x${string}`;
}

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

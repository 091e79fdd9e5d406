import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

/** A root seed as given on the command line or in a scenario; 42 and '42' are the same seed. */
export type RootSeed = number | string;

/**
 * Seed of a named stream: a hash of (root seed, name). Each stream depends only on its own
 * name, so adding or removing a stream never shifts the values another stream produces.
 * The version tag lets a future change of derivation be deliberate and visible.
 */
export function deriveStreamSeed(parameters: { seed: RootSeed; name: string }): string {
  const text = `onesim/rng/v1\u0000${String(parameters.seed)}\u0000${parameters.name}`;
  return bytesToHex(sha256(utf8ToBytes(text)));
}

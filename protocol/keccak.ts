import { keccak_256 } from '@noble/hashes/sha3.js';
import { createKeccak, type IHasher } from 'hash-wasm';

/**
 * keccak256, the one the protocol's rules name (committee draws, epoch randomness, payout
 * trees, EIP-712 digests). hash-wasm's WebAssembly keccak is ~6× faster per call than the pure
 * JS one for the short inputs the protocol hashes (1.5 µs vs 11 µs for 96 bytes on the 2-core
 * CI machine), but it can only be instantiated asynchronously; until it is ready (a few ms
 * after this module loads) and wherever WebAssembly is unavailable, @noble/hashes computes it.
 * Both are keccak256, so which one ran never changes a result (a property test compares them).
 */
let wasm: IHasher | null = null;
export const keccakReady: Promise<boolean> = createKeccak(256).then(
  (h) => {
    wasm = h;
    return true;
  },
  () => false,
);

export function keccak256(data: Uint8Array): Uint8Array {
  if (wasm === null) return keccak_256(data);
  wasm.init();
  wasm.update(data);
  return wasm.digest('binary');
}

/** The pure JS keccak256 (tests compare the two). */
export const keccak256Js = (data: Uint8Array): Uint8Array => keccak_256(data);

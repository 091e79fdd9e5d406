import fc from 'fast-check';
import { keccak256 as viemKeccak } from 'viem';
import { describe, expect, it } from 'vitest';
import { keccak256, keccak256Js, keccakReady } from './keccak.ts';

const hex = (b: Uint8Array): string => `0x${Buffer.from(b).toString('hex')}`;

describe('keccak256', () => {
  it('the WebAssembly one loads and agrees with viem and with the pure JS one, at every length', async () => {
    expect(await keccakReady).toBe(true);
    // The empty input's digest, as published (e.g. Ethereum's empty code hash).
    expect(hex(keccak256(new Uint8Array(0)))).toBe(
      '0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470',
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (data) => {
        const digest = keccak256(data);
        expect(hex(digest)).toBe(viemKeccak(data));
        expect(hex(keccak256Js(data))).toBe(viemKeccak(data));
      }),
      { numRuns: 300 },
    );
  });

  it('returns a fresh array each call (a later hash does not overwrite an earlier digest)', async () => {
    await keccakReady;
    const a = keccak256(Uint8Array.of(1));
    const before = hex(a);
    keccak256(Uint8Array.of(2));
    expect(hex(a)).toBe(before);
  });
});

import { hash } from 'node:crypto';
import { keccak256 } from '../keccak.ts';
import { toHex } from '../receipts/hashReceipt.ts';
import type { Address, Hex } from '../types.ts';

const hexBytes = (hex: string): Uint8Array =>
  Uint8Array.from(Buffer.from(hex.slice(2).padStart(64, '0').slice(-64), 'hex'));

function uintBytes(n: number): Uint8Array {
  const out = new Uint8Array(32);
  let v = BigInt(n);
  for (let i = 31; i >= 0 && v > 0n; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

const cat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};

const first8 = (b: Uint8Array): bigint =>
  BigInt(`0x${Buffer.from(b.subarray(0, 8)).toString('hex')}`);

/**
 * Randomness of an epoch's audits: keccak256(last payout root ‖ epoch). It is fixed only when
 * the epoch is over (the root of the previous settlement is posted then), so a worker cannot
 * know while working which of its receipts will be re-executed.
 */
export function epochRandomness(lastRoot: Hex, epoch: number): Hex {
  return toHex(keccak256(cat(hexBytes(lastRoot), uintBytes(epoch))));
}

/** randomness ‖ receiptId, each a 32-byte word, reused across calls (no allocation per receipt). */
const sampleInput = Buffer.alloc(64);
let lastRandomness = '';
const word64 = (hex: string): string => hex.slice(2).padStart(64, '0').slice(-64);

/**
 * The receipt id as the second 32-byte word of sampleInput, left-padded with zeros, without
 * building the padded string (the simulator's ids have 16 hex digits; real ones 64).
 */
function writeWord(hex: string): void {
  const digits = hex.length - 2;
  if (digits > 64 || digits % 2 !== 0) {
    sampleInput.write(word64(hex), 32, 'hex');
    return;
  }
  const start = 64 - digits / 2;
  // Byte by byte: cheaper than Buffer#write's native call for a 16-digit id. A character that
  // is not hex goes the way Buffer#write takes it.
  for (let i = 0; i < digits; i += 2) {
    const hi = hexValue(hex.charCodeAt(i + 2));
    const lo = hexValue(hex.charCodeAt(i + 3));
    if (hi < 0 || lo < 0) {
      sampleInput.fill(0, 32, start);
      sampleInput.write(hex.slice(2), start, 'hex');
      return;
    }
    sampleInput[start + i / 2] = (hi << 4) | lo;
  }
  sampleInput.fill(0, 32, start);
}

/** Hex digits' values by character code (either case, as Buffer reads them); -1 for the rest. */
const HEX_VALUE = (() => {
  const t = new Int8Array(256).fill(-1);
  for (let i = 0; i < 16; i++) {
    t['0123456789abcdef'.charCodeAt(i)] = i;
    t['0123456789ABCDEF'.charCodeAt(i)] = i;
  }
  return t;
})();

const hexValue = (c: number): number => (c < 256 ? HEX_VALUE[c]! : -1);

/** The value of 4 hex digits of `h` from `at` (a digest's own lower-case hex). */
const hex16 = (h: string, at: number): number =>
  (HEX_VALUE[h.charCodeAt(at)]! << 12) |
  (HEX_VALUE[h.charCodeAt(at + 1)]! << 8) |
  (HEX_VALUE[h.charCodeAt(at + 2)]! << 4) |
  HEX_VALUE[h.charCodeAt(at + 3)]!;

/**
 * Sampled iff the first 8 bytes of sha256(randomness ‖ receiptId), as a big-endian integer mod
 * den, are < num. sha256 (a precompile on chain) rather than keccak: it runs once per receipt,
 * and native sha256 is ~6× faster here than keccak in JS.
 */
export function isSampled(
  randomness: Hex,
  receiptId: Hex,
  rate: { num: bigint; den: bigint },
): boolean {
  if (rate.num === 0n) return false;
  if (rate.num >= rate.den) return true;
  if (randomness !== lastRandomness) {
    lastRandomness = randomness;
    sampleInput.write(word64(randomness), 0, 'hex');
  }
  writeWord(receiptId);
  // Hex out: Node's one-shot hash returns hex ~2.5× faster than a Buffer for 64 bytes in.
  const h = hash('sha256', sampleInput, 'hex');
  if (rate.den < 0x8000n) {
    // h mod den from its four 16-bit parts (Horner), each step within int32 while den < 2^15.
    const den = Number(rate.den);
    let m = hex16(h, 0) % den;
    m = (m * 0x10000 + hex16(h, 4)) % den;
    m = (m * 0x10000 + hex16(h, 8)) % den;
    m = (m * 0x10000 + hex16(h, 12)) % den;
    return m < Number(rate.num);
  }
  if (rate.den < 0x200000n) {
    // h mod den from its two 32-bit halves, exact in doubles while den < 2^21.
    const den = Number(rate.den);
    const hi = Number.parseInt(h.slice(0, 8), 16);
    const lo = Number.parseInt(h.slice(8, 16), 16);
    const m = ((hi % den) * (2 ** 32 % den) + (lo % den)) % den;
    return m < Number(rate.num);
  }
  return BigInt(`0x${h.slice(0, 16)}`) % rate.den < rate.num;
}

/** randomness ‖ jobId ‖ i, three 32-byte words, reused across draws (no allocation per draw). */
const drawInput = new Uint8Array(96);
const drawView = new DataView(drawInput.buffer);

/** `n` (a non-negative safe integer) as a big-endian uint256 at `offset` of drawInput. */
function putWord(offset: number, n: number): void {
  drawInput.fill(0, offset, offset + 24);
  drawView.setUint32(offset + 24, Math.floor(n / 2 ** 32));
  drawView.setUint32(offset + 28, n >>> 0);
}

/** k distinct oracles drawn by keccak256(randomness ‖ jobId ‖ i) from the sorted oracle list. */
export function drawCommittee(
  randomness: Hex,
  jobId: number,
  oracles: readonly Address[],
  k: number,
): Address[] {
  const sorted = [...oracles].sort();
  const n = sorted.length;
  if (k >= n) return sorted;
  drawInput.set(hexBytes(randomness), 0);
  putWord(32, jobId);
  const picked = new Set<number>();
  for (let i = 0; picked.size < k; i++) {
    putWord(64, i);
    const h = keccak256(drawInput);
    // The first 8 bytes as a big-endian integer, mod n: from its two 32-bit halves, exact in
    // doubles while n < 2^21 (committees are drawn from a few oracles), by BigInt otherwise.
    const pick =
      n < 0x200000
        ? ((readUint32BE(h, 0) % n) * (2 ** 32 % n) + (readUint32BE(h, 4) % n)) % n
        : Number(first8(h) % BigInt(n));
    picked.add(pick);
  }
  return [...picked].sort((a, b) => a - b).map((i) => sorted[i]!);
}

const readUint32BE = (b: Uint8Array, o: number): number =>
  ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;

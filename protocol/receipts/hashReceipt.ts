import { keccak256 } from '../keccak.ts';
import type { Hex } from '../types.ts';
import { attestationTypeString, type ReceiptDomain, receiptTypeString } from './eip712.ts';
import type { AttestationBody, Receipt } from './receipt.ts';

const utf8 = new TextEncoder();
const TYPE_HASH = keccak256(utf8.encode(receiptTypeString));
const DOMAIN_TYPE_HASH = keccak256(
  utf8.encode('EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)'),
);
const FIELDS = 11;

/** Writes a 0x-hex string right-aligned into the 32-byte word at `offset`. */
function putHex(buf: Uint8Array, offset: number, hex: string): void {
  const digits = hex.length - 2;
  if (digits > 64 || digits % 2 !== 0) throw new TypeError(`bad hex word: ${hex}`);
  const start = offset + 32 - digits / 2;
  buf.fill(0, offset, start);
  for (let i = 0; i < digits / 2; i++) {
    const byte = Number.parseInt(hex.slice(2 + 2 * i, 4 + 2 * i), 16);
    if (Number.isNaN(byte)) throw new TypeError(`bad hex word: ${hex}`);
    buf[start + i] = byte;
  }
}

/** Writes an unsigned integer (< 2^256) big-endian into the word at `offset`. */
function putUint(buf: Uint8Array, offset: number, value: bigint): void {
  if (value < 0n) throw new RangeError(`negative uint: ${value}`);
  let v = value;
  for (let i = 31; i >= 0; i--) {
    buf[offset + i] = Number(v & 0xffn);
    v >>= 8n;
  }
  if (v !== 0n) throw new RangeError(`uint overflows 256 bits: ${value}`);
}

export function toHex(bytes: Uint8Array): Hex {
  return `0x${Buffer.from(bytes).toString('hex')}`;
}

/** EIP-712 domain separator, computed once per domain. */
export function domainSeparator(domain: ReceiptDomain): Uint8Array {
  const buf = new Uint8Array(5 * 32);
  buf.set(DOMAIN_TYPE_HASH, 0);
  buf.set(keccak256(utf8.encode(domain.name)), 32);
  buf.set(keccak256(utf8.encode(domain.version)), 64);
  putUint(buf, 96, BigInt(domain.chainId));
  putHex(buf, 128, domain.verifyingContract);
  return keccak256(buf);
}

/** hashStruct(receipt): the precomputed type hash plus eleven fixed-size words, no generic ABI. */
export function receiptStructHash(receipt: Receipt): Uint8Array {
  const buf = new Uint8Array((FIELDS + 1) * 32);
  buf.set(TYPE_HASH, 0);
  putUint(buf, 32, BigInt(receipt.jobId));
  putUint(buf, 64, BigInt(receipt.lane));
  putHex(buf, 96, receipt.requester);
  putHex(buf, 128, receipt.model);
  putHex(buf, 160, receipt.worker);
  putHex(buf, 192, receipt.requestHash);
  putHex(buf, 224, receipt.resultHash);
  putUint(buf, 256, receipt.units);
  putUint(buf, 288, receipt.price);
  putUint(buf, 320, BigInt(receipt.finishedAt));
  putHex(buf, 352, receipt.prev);
  return keccak256(buf);
}

/** Makes a hasher bound to one domain: digest = keccak256(0x1901 ‖ domainSeparator ‖ structHash). */
export function createReceiptHasher(domain: ReceiptDomain): (receipt: Receipt) => Uint8Array {
  const prefix = new Uint8Array(66);
  prefix[0] = 0x19;
  prefix[1] = 0x01;
  prefix.set(domainSeparator(domain), 2);
  return (receipt) => {
    prefix.set(receiptStructHash(receipt), 34);
    return keccak256(prefix);
  };
}

const ATTESTATION_TYPE_HASH = keccak256(utf8.encode(attestationTypeString));

/** EIP-712 digest of an attestation in a domain. */
export function createAttestationHasher(domain: ReceiptDomain): (a: AttestationBody) => Uint8Array {
  const prefix = new Uint8Array(66);
  prefix[0] = 0x19;
  prefix[1] = 0x01;
  prefix.set(domainSeparator(domain), 2);
  return (a) => {
    const buf = new Uint8Array(4 * 32);
    buf.set(ATTESTATION_TYPE_HASH, 0);
    putHex(buf, 32, a.worker);
    putHex(buf, 64, a.identityHash);
    putUint(buf, 96, BigInt(a.expiresAtMs));
    prefix.set(keccak256(buf), 34);
    return keccak256(prefix);
  };
}

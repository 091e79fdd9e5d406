import type { Address } from '../types.ts';

/**
 * The EIP-712 description of a receipt, as plain data so outside tools (viem, ethers, the
 * contracts) can verify receipts without onesim. Field order here is the encoding order.
 */
export const receiptTypes = {
  Receipt: [
    { name: 'jobId', type: 'uint256' },
    { name: 'lane', type: 'uint8' },
    { name: 'requester', type: 'address' },
    { name: 'model', type: 'bytes32' },
    { name: 'worker', type: 'address' },
    { name: 'requestHash', type: 'bytes32' },
    { name: 'resultHash', type: 'bytes32' },
    { name: 'units', type: 'uint64' },
    { name: 'price', type: 'uint64' },
    { name: 'finishedAt', type: 'uint64' },
    { name: 'prev', type: 'bytes32' },
  ],
} as const;

export const receiptTypeString =
  'Receipt(uint256 jobId,uint8 lane,address requester,bytes32 model,address worker,bytes32 requestHash,bytes32 resultHash,uint64 units,uint64 price,uint64 finishedAt,bytes32 prev)';

export interface ReceiptDomain {
  name: 'ONE';
  version: '1';
  chainId: number;
  verifyingContract: Address;
}

export const receiptDomain = (chainId: number, verifyingContract: Address): ReceiptDomain => ({
  name: 'ONE',
  version: '1',
  chainId,
  verifyingContract,
});

/** The domain the simulator and tests use when no chain is involved (Anvil's chain id). */
export const defaultReceiptDomain: ReceiptDomain = receiptDomain(
  31337,
  '0x00000000000000000000000000000000000000e1',
);

/** A KYC attestation: an attestor vouches for a worker's identity until `expiresAt` (ms). */
export const attestationTypes = {
  Attestation: [
    { name: 'worker', type: 'address' },
    { name: 'identityHash', type: 'bytes32' },
    { name: 'expiresAt', type: 'uint64' },
  ],
} as const;

export const attestationTypeString =
  'Attestation(address worker,bytes32 identityHash,uint64 expiresAt)';

import type { Action, ActionType } from './actions.ts';
import { type Rejection, reject } from './rejections.ts';

/**
 * The largest values of the contracts' integer types (protocol/contracts). Amounts, rates,
 * bonds and parameters are uint256; a receipt's units and price are uint64 (units are also
 * posted per receipt as uint64 at settlement). Times and ids are numbers: safe integers, which
 * every uint64 holds.
 */
export const uint256Max = (1n << 256n) - 1n;
export const uint64Max = (1n << 64n) - 1n;

type Bits = 64 | 256;
const maxOf = (bits: Bits) => (bits === 64 ? uint64Max : uint256Max);

/** Every bigint field of an action, with the width of the on-chain type that holds it. */
const bigintFields: { [K in ActionType]?: Array<[path: string, bits: Bits]> } = {
  deposit: [['amount', 256]],
  withdraw: [['amount', 256]],
  fundTreasury: [['amountMicroUsdc', 256]],
  stake: [['amountOneWei', 256]],
  unstake: [['amountOneWei', 256]],
  reserve: [['rateCuPerSec', 256]],
  submitJob: [['units', 64]],
  completeJob: [
    ['receipt.units', 64],
    ['receipt.price', 64],
  ],
  claim: [['amountMicroUsdc', 256]],
  registerWorker: [
    ['capacityCuPerSec', 256],
    ['bondMicroUsdc', 256],
  ],
  topUpBond: [['amountMicroUsdc', 256]],
};

const at = (value: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | null)?.[k], value);

/**
 * InvalidAmount when a bigint field of `action` does not fit its on-chain type (negative or
 * above its maximum): the contracts could not hold it, so the protocol never accepts it. `step`
 * checks this before any handler; the action schema refuses the same values at the edge.
 */
export function outOfRange(action: Action): Rejection | null {
  for (const [path, bits] of bigintFields[action.type] ?? []) {
    const v = at(action, path);
    if (typeof v === 'bigint' && (v < 0n || v > maxOf(bits)))
      return reject('InvalidAmount', `${path} must fit uint${bits} (0..2^${bits} − 1), got ${v}`);
  }
  return null;
}

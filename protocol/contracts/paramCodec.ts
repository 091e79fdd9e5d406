import { InputError } from '../errors.ts';
import { defaultParams, type Params, rewardRulesOf } from '../params.ts';
import type { Address } from '../types.ts';

/**
 * The contracts keep parameters as 43 uint256 words in the order of Params.sol's `P` library;
 * governance changes are (id, value) pairs. This is the TypeScript half of that table.
 */
export const paramIds = {
  dayMs: 0,
  settlementEpochMs: 1,
  stakeThresholdOneWei: 2,
  creditsPerThresholdCu: 3,
  allotmentSchedule: 4,
  unstakeUnbondingMs: 5,
  includedPriceMicroUsdcPerCu: 6,
  dedicatedPriceMicroUsdcPerCu: 7,
  includedBudgetMaxMicroUsdc: 8,
  runwayDays: 9,
  dedicatedFee: 10, // num at 10, den at 11
  takeRate: 12, // num at 12, den at 13
  dedicatedBurstMs: 14,
  reservationMinMs: 15,
  reservationMaxMs: 16,
  jobDeadlineDefaultMs: 17,
  jobDeadlineMaxMs: 18,
  jobGraceMs: 19,
  workerBondMinMicroUsdc: 20,
  workerUnbondingMs: 21,
  workerSlotsMax: 22,
  workerModelsMax: 23,
  routingScanMax: 24,
  jobsOpenMax: 25,
  governor: 26,
  timelockMs: 27,
  kycRequired: 28,
  jailMs: 29,
  auditSampleRate: 30, // num at 30, den at 31
  auditCommitteeSize: 32,
  auditQuorum: 33,
  slashFraction: 34, // num at 34, den at 35
  bountyFraction: 36, // num at 36, den at 37
  oracleFeeMicroUsdcPerVerdict: 38,
  attestors: 39, // attestorsMax words from 39, 0 = empty slot
} as const satisfies Partial<Record<keyof Params, number>>;

export const paramWordCount = 43;
export const attestorsMax = 4;
export const ratioParams: ReadonlySet<string> = new Set([
  'dedicatedFee',
  'takeRate',
  'auditSampleRate',
  'slashFraction',
  'bountyFraction',
]);

export interface ParamChange {
  id: bigint;
  value: bigint;
}

const valueText = (value: unknown) =>
  JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v));

/**
 * A parameter value the contracts cannot hold (a non-linear schedule, a negative number, a rule
 * set they do not implement…): bad input for a live run (exit 2), field `params.<name>`.
 */
export class UnencodableParamError extends InputError {
  override name = 'UnencodableParamError';
  constructor(
    readonly param: string,
    readonly value: unknown,
    reason = 'has no on-chain encoding',
  ) {
    super(`params.${param} = ${valueText(value)} ${reason}`, `params.${param.split('.')[0]}`);
  }
}

/** Id of a parameter key not in the table: the contract answers InvalidParams, as the model does. */
export const unknownParamId = 255n;

/**
 * Model parameters the contracts do not hold (Proof-of-Availability's: its actions stay off
 * chain, see README). They are left out of the on-chain words and change lists, so a proposal touching
 * only them queues an empty on-chain change. Invalid values of these are not caught on chain.
 */
export const offChainParams: ReadonlySet<string> = new Set(
  Object.keys(defaultParams()).filter((k) => !(k in paramIds)),
);

function word(field: string, value: unknown): bigint {
  if (typeof value === 'bigint' && value >= 0n && value < 1n << 256n) return value;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
  if (typeof value === 'string' && /^\d+$/.test(value)) return BigInt(value);
  throw new UnencodableParamError(field, value);
}

/** (id, value) words of one parameter; `mapAddress` turns the model's governor into a chain address. */
export function encodeParam(
  field: string,
  value: unknown,
  mapAddress: (a: Address) => Address,
): ParamChange[] {
  const id = (paramIds as Record<string, number>)[field];
  if (id === undefined) return offChainParams.has(field) ? [] : [{ id: unknownParamId, value: 0n }];
  if (ratioParams.has(field)) {
    const r = value as { num?: unknown; den?: unknown } | null;
    if (typeof r !== 'object' || r === null) throw new UnencodableParamError(field, value);
    return [
      { id: BigInt(id), value: word(`${field}.num`, r.num) },
      { id: BigInt(id + 1), value: word(`${field}.den`, r.den) },
    ];
  }
  if (field === 'allotmentSchedule') {
    const kind = (value as { kind?: unknown } | null)?.kind;
    if (kind !== 'linear') throw new UnencodableParamError(field, value);
    return [{ id: BigInt(id), value: 0n }];
  }
  if (field === 'kycRequired') {
    if (typeof value !== 'boolean') throw new UnencodableParamError(field, value);
    return [{ id: BigInt(id), value: value ? 1n : 0n }];
  }
  if (field === 'attestors') {
    const list = value as unknown[];
    if (!Array.isArray(list) || list.length > attestorsMax)
      throw new UnencodableParamError(field, value);
    return Array.from({ length: attestorsMax }, (_, i) => {
      const a = list[i];
      if (a === undefined) return { id: BigInt(id + i), value: 0n };
      if (typeof a !== 'string' || !/^0x[0-9a-f]{40}$/.test(a))
        throw new UnencodableParamError(field, value);
      return { id: BigInt(id + i), value: BigInt(mapAddress(a as Address)) };
    });
  }
  if (field === 'governor') {
    if (typeof value !== 'string' || !/^0x[0-9a-f]{40}$/.test(value))
      throw new UnencodableParamError(field, value);
    return [{ id: BigInt(id), value: BigInt(mapAddress(value as Address)) }];
  }
  return [{ id: BigInt(id), value: word(field, value) }];
}

/** A change set (`proposeParams.changes`) as the contract's list, in the object's key order. */
export function encodeChanges(
  changes: Record<string, unknown>,
  mapAddress: (a: Address) => Address,
): ParamChange[] {
  return Object.entries(changes).flatMap(([field, value]) => encodeParam(field, value, mapAddress));
}

/**
 * The full parameter set as the constructor's uint256[43]: exactly the contract's fields. Model
 * parameters the contracts do not hold are left out only when that changes nothing on chain
 * (`offChainParams`; Ratio1's parameters, read only under Ratio1's rules); anything else, such
 * as `rewardRules: 'ratio1'` (the contracts implement ONE's rules only), throws
 * UnencodableParamError rather than being dropped or written past the 43 words.
 */
export function encodeParams(params: Params, mapAddress: (a: Address) => Address): bigint[] {
  const words = new Array<bigint>(paramWordCount).fill(0n);
  for (const [field, value] of Object.entries(params)) {
    if (field in paramIds) {
      for (const change of encodeParam(field, value, mapAddress))
        words[Number(change.id)] = change.value;
    } else if (field === 'rewardRules') {
      if (value !== undefined && rewardRulesOf(params) !== 'one')
        throw new UnencodableParamError(
          field,
          value,
          "is not implemented on chain: the contracts pay by ONE's reward rules only ('one')",
        );
    } else if (field === 'sealedAudit') {
      if (value !== undefined)
        throw new UnencodableParamError(
          field,
          value,
          'is not implemented on chain: the contracts know no sealed jobs (leave it out: the model then audits as under "opt-in")',
        );
    } else if (!offChainParams.has(field) && field !== 'ratio1')
      throw new UnencodableParamError(field, value, 'is not a parameter the contracts hold');
  }
  return words;
}

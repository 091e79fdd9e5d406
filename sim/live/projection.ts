import { attestorsMax, paramIds, ratioParams } from '../../protocol/contracts/paramCodec.ts';
import type { Address } from '../../protocol/types.ts';

/**
 * A projection is the part of the state both sides hold, flattened to `path → value` text in a
 * deterministic order: `treasuryMicroUsdc`, `accounts.0x…01.usdc`, `reservations.3.escrowMicroUsdc`…
 * The model and the chain each produce one (modelProjection.ts, chainProjection.ts).
 */
export type Projection = Map<string, string>;

export interface ProjectionDifference {
  field: string;
  model: string;
  chain: string;
}

const absent = '(absent)';

/** The first field (in the model's order, then the chain's extras) whose values differ. */
export function firstDifference(model: Projection, chain: Projection): ProjectionDifference | null {
  for (const [field, value] of model) {
    const other = chain.get(field) ?? absent;
    if (other !== value) return { field, model: value, chain: other };
  }
  for (const [field, value] of chain)
    if (!model.has(field)) return { field, model: absent, chain: value };
  return null;
}

/** Parameter names by word index (ratios as `.num` / `.den`). */
export const paramWordNames: string[] = (() => {
  const names: string[] = [];
  for (const [name, id] of Object.entries(paramIds)) {
    if (ratioParams.has(name)) {
      names[id] = `${name}.num`;
      names[id + 1] = `${name}.den`;
    } else if (name === 'attestors')
      for (let i = 0; i < attestorsMax; i++) names[id + i] = `attestors.${i}`;
    else names[id] = name;
  }
  return names;
})();

export const workerStatusNames = ['none', 'active', 'exiting', 'exited'] as const;

export const text = (v: bigint | number | boolean | string): string => String(v);
export const unbondingText = (
  entries: Array<{ amountOneWei: bigint; releaseAtMs: bigint | number }>,
): string => entries.map((u) => `${u.amountOneWei}@${u.releaseAtMs}`).join(',');
export const sortedAddresses = (xs: Iterable<Address>): string => [...xs].sort().join(',');

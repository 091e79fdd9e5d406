import { buildPayoutTree, type PayoutTree } from '../../protocol/merkle/payoutTree.ts';
import { type Address, type Hex, Lane, type State } from '../../protocol/types.ts';
import { mulRatioCeil } from '../../protocol/units.ts';

/** One source of an epoch's receipts as OneProtocol.settle takes it. */
export interface SettlementSource {
  dedicated: boolean;
  id: bigint;
  units: bigint[];
}

export interface SettlementPosting {
  root: Hex;
  totalNetMicroUsdc: bigint;
  sources: SettlementSource[];
  /** The payout tree over chain addresses, for the claims that follow. */
  tree: PayoutTree;
}

/**
 * What the settler posts for epoch `epoch`, read from the model before it settles: the
 * receipts that finished in epoch − 1 grouped by source (credit day or reservation), and the
 * payout root over chain addresses. The chain recomputes gross, take and net from the units.
 */
export function settlementPosting(
  state: State,
  epoch: number,
  chainOf: (a: Address) => Address,
): SettlementPosting {
  const bySource = new Map<string, SettlementSource>();
  const payouts = new Map<Address, bigint>();
  let total = 0n;
  for (const id of state.pendingByEpoch.get(epoch - 1) ?? []) {
    const job = state.jobs.get(id);
    if (!job?.worker) continue;
    const dedicated = job.lane === Lane.dedicated;
    const sourceId = BigInt(dedicated ? job.reservationId! : job.creditDay);
    const key = `${dedicated ? 'r' : 'd'}${sourceId}`;
    let source = bySource.get(key);
    if (!source) {
      source = { dedicated, id: sourceId, units: [] };
      bySource.set(key, source);
    }
    source.units.push(job.units);
    const gross = job.units * job.priceMicroUsdcPerCu;
    const net = gross - mulRatioCeil(gross, state.params.takeRate);
    const worker = chainOf(job.worker);
    payouts.set(worker, (payouts.get(worker) ?? 0n) + net);
    total += net;
  }
  const tree = buildPayoutTree(payouts);
  return { root: tree.root, totalNetMicroUsdc: total, sources: [...bySource.values()], tree };
}

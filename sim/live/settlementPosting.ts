import { buildPayoutTree, type PayoutTree } from '../../protocol/merkle/payoutTree.ts';
import { type Address, type Hex, Lane, type State } from '../../protocol/types.ts';
import { mulRatioCeil } from '../../protocol/units.ts';

/** One source of an epoch's receipts as OneProtocol.settle takes it. */
export interface SettlementSource {
  dedicated: boolean;
  id: bigint;
  units: bigint[];
  /** Withheld receipts of an ended reservation (refunded to the sponsor). */
  voidedUnits: bigint[];
}

export interface SettlementPosting {
  root: Hex;
  totalNetMicroUsdc: bigint;
  sources: SettlementSource[];
  /** The payout tree over chain addresses, for the claims that follow. */
  tree: PayoutTree;
  /** CU withheld from reservations that have not ended (refunded at their end). */
  voidedOpenCu: Map<number, bigint>;
}

/**
 * What the settler posts for epoch `epoch`, read from the model before it settles: the
 * receipts that finished in epoch − 1 grouped by source (credit day or reservation), and the
 * payout root over chain addresses. The chain recomputes gross, take and net from the units.
 * Withheld receipts (voided, or of a worker this settlement slashes: `slashed`) are left out;
 * those of an ended reservation are posted as `voidedUnits` for the sponsor's refund.
 */
export function settlementPosting(
  state: State,
  epoch: number,
  chainOf: (a: Address) => Address,
  slashed: ReadonlySet<Address> = new Set(),
): SettlementPosting {
  const bySource = new Map<string, SettlementSource>();
  const payouts = new Map<Address, bigint>();
  const voidedOpenCu = new Map<number, bigint>();
  let total = 0n;
  for (const id of state.pendingByEpoch.get(epoch - 1) ?? []) {
    const job = state.jobs.get(id);
    if (!job?.worker) continue;
    const dedicated = job.lane === Lane.dedicated;
    const sourceId = BigInt(dedicated ? job.reservationId! : job.creditDay);
    const key = `${dedicated ? 'r' : 'd'}${sourceId}`;
    let source = bySource.get(key);
    if (!source) {
      source = { dedicated, id: sourceId, units: [], voidedUnits: [] };
      bySource.set(key, source);
    }
    if (job.voided || slashed.has(job.worker)) {
      if (!dedicated) continue;
      if (state.reservations.get(job.reservationId!)?.ended) source.voidedUnits.push(job.units);
      else
        voidedOpenCu.set(
          job.reservationId!,
          (voidedOpenCu.get(job.reservationId!) ?? 0n) + job.units,
        );
      continue;
    }
    source.units.push(job.units);
    const gross = job.units * job.priceMicroUsdcPerCu;
    const net = gross - mulRatioCeil(gross, state.params.takeRate);
    const worker = chainOf(job.worker);
    payouts.set(worker, (payouts.get(worker) ?? 0n) + net);
    total += net;
  }
  const tree = buildPayoutTree(payouts);
  return {
    root: tree.root,
    totalNetMicroUsdc: total,
    sources: [...bySource.values()].filter((x) => x.units.length + x.voidedUnits.length > 0),
    tree,
    voidedOpenCu,
  };
}

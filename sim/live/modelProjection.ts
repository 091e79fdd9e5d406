import { encodeChanges, encodeParams } from '../../protocol/contracts/paramCodec.ts';
import { buildPayoutTree } from '../../protocol/merkle/payoutTree.ts';
import { ZERO_HASH } from '../../protocol/receipts/receipt.ts';
import type { Address, Hex, State } from '../../protocol/types.ts';
import {
  type Projection,
  paramWordNames,
  sortedAddresses,
  text,
  unbondingText,
} from './projection.ts';

export interface ModelProjectionContext {
  /** Model addresses known to the chain side, in order of first use. */
  actors: Address[];
  chainOf: (model: Address) => Address;
  /** Payout roots over chain addresses by epoch (settled payouts never change). */
  rootCache: Map<number, Hex>;
}

/** The model's side of the comparison (see projection.ts). */
export function modelProjection(s: State, ctx: ModelProjectionContext): Projection {
  const out: Projection = new Map();
  const put = (k: string, v: bigint | number | boolean | string) => out.set(k, text(v));
  put('treasuryMicroUsdc', s.treasuryMicroUsdc);
  put('settlementPoolMicroUsdc', s.settlementPoolMicroUsdc);
  put('day', s.day);
  put('lastSettledEpoch', s.lastSettledEpoch);
  put('nextReservationId', s.nextReservationId);
  put('nextProposalId', s.nextProposalId);
  put('usdcHeldMicroUsdc', usdcHeld(s));
  put('oneHeldWei', oneHeld(s));
  for (const [i, w] of encodeParams(s.params, ctx.chainOf).entries())
    put(`params.${paramWordNames[i]}`, w);
  for (const a of ctx.actors) {
    put(`accounts.${a}.usdc`, s.accounts.get(a)?.usdc ?? 0n);
    put(`accounts.${a}.one`, s.accounts.get(a)?.one ?? 0n);
  }
  for (const [a, h] of s.holders) {
    if (
      h.stakedOneWei === 0n &&
      h.snapshotOneWei === 0n &&
      h.unbonding.length === 0 &&
      h.allotmentCu === 0n
    )
      continue;
    put(`holders.${a}.stakedOneWei`, h.stakedOneWei);
    put(`holders.${a}.snapshotOneWei`, h.snapshotOneWei);
    put(`holders.${a}.allotmentCu`, h.allotmentCu);
    put(`holders.${a}.unbonding`, unbondingText(h.unbonding));
  }
  for (const [a, w] of s.workers) {
    put(`workers.${a}.status`, w.status);
    put(`workers.${a}.online`, w.online);
    put(`workers.${a}.models`, w.models.join(','));
    put(`workers.${a}.slots`, w.slots);
    put(`workers.${a}.capacityCuPerSec`, w.capacityCuPerSec);
    put(`workers.${a}.bondMicroUsdc`, w.bondMicroUsdc);
    put(`workers.${a}.bondReleaseAtMs`, w.bondReleaseAtMs);
    put(`workers.${a}.jailed`, w.jailed);
    put(`workers.${a}.jailedUntilMs`, w.jailedUntilMs);
    put(`workers.${a}.identityHash`, w.identityHash ?? ZERO_HASH);
    put(`workers.${a}.attestationExpiresAtMs`, w.attestationExpiresAtMs);
  }
  for (const a of ctx.actors) if (s.oracles.get(a)?.active) put(`oracles.${a}`, true);
  put('audits.open', s.audits.size);
  for (const [id, audit] of [...s.audits].sort(([x], [y]) => x - y)) {
    put(`audits.${id}.committee`, sortedAddresses(audit.committee));
    put(`audits.${id}.votes`, audit.votes.size);
  }
  for (const [id, r] of [...s.reservations].sort(([x], [y]) => x - y)) {
    const k = `reservations.${id}`;
    put(`${k}.sponsor`, r.sponsor);
    put(`${k}.model`, r.model ?? 'any');
    put(`${k}.rateCuPerSec`, r.rateCuPerSec);
    put(`${k}.startAtMs`, r.startAtMs);
    put(`${k}.endAtMs`, r.endAtMs);
    put(`${k}.priceMicroUsdcPerCu`, r.priceMicroUsdcPerCu);
    put(`${k}.reservedCu`, r.reservedCu);
    put(`${k}.escrowMicroUsdc`, r.escrowMicroUsdc);
    put(`${k}.ended`, r.ended);
  }
  for (const [d, b] of [...s.dayBudgets].sort(([x], [y]) => x - y)) {
    const k = `dayBudgets.${d}`;
    put(`${k}.budgetMicroUsdc`, b.budgetMicroUsdc);
    put(`${k}.earmarkedMicroUsdc`, b.earmarkedMicroUsdc);
    put(`${k}.paidMicroUsdc`, b.paidMicroUsdc);
    put(`${k}.allottedCu`, b.allottedCu);
    put(`${k}.priceMicroUsdcPerCu`, b.priceMicroUsdcPerCu);
    put(`${k}.sigma`, `${b.sigma.num}/${b.sigma.den}`);
    put(`${k}.releaseEpoch`, b.releaseEpoch);
  }
  for (const [e, st] of [...s.settlements].sort(([x], [y]) => x - y)) {
    let root = ctx.rootCache.get(e);
    if (!root) {
      const mapped = new Map(
        [...st.payouts].map(([w, amount]) => [ctx.chainOf(w), amount] as const),
      );
      root = buildPayoutTree(mapped).root;
      ctx.rootCache.set(e, root);
    }
    put(`settlements.${e}.root`, root);
    put(`settlements.${e}.unclaimedMicroUsdc`, st.unclaimedMicroUsdc);
    put(`settlements.${e}.claimed`, sortedAddresses(st.claimed));
  }
  for (const [id, p] of [...s.proposals].sort(([x], [y]) => x - y)) {
    put(`proposals.${id}.etaMs`, p.etaMs);
    put(
      `proposals.${id}.changes`,
      encodeChanges(p.changes, ctx.chainOf)
        .map((c) => `${c.id}=${c.value}`)
        .join(','),
    );
  }
  return out;
}

/** USDC the protocol contract must hold: treasury, payouts, escrows, bonds, unpaid earmarks. */
function usdcHeld(s: State): bigint {
  let v = s.treasuryMicroUsdc + s.settlementPoolMicroUsdc;
  for (const r of s.reservations.values()) v += r.escrowMicroUsdc;
  for (const w of s.workers.values()) v += w.bondMicroUsdc;
  for (const b of s.dayBudgets.values()) v += b.earmarkedMicroUsdc - b.paidMicroUsdc;
  return v;
}

function oneHeld(s: State): bigint {
  let v = 0n;
  for (const h of s.holders.values()) {
    v += h.stakedOneWei;
    for (const u of h.unbonding) v += u.amountOneWei;
  }
  return v;
}

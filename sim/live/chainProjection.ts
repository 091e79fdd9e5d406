import { type Abi, type Address, decodeFunctionResult, encodeFunctionData, type Hex } from 'viem';
import {
  type Projection,
  paramWordNames,
  sortedAddresses,
  text,
  unbondingText,
  workerStatusNames,
} from './projection.ts';
import type { Rpc } from './rpc.ts';

export interface ChainProjectionQuery {
  rpc: Rpc;
  protocol: Address;
  abi: Abi;
  /** Model addresses to read, in the model projection's order. */
  actors: Address[];
  chainOf: (model: Address) => Address;
  modelOf: (chain: Address) => Address | undefined;
  /** Epochs with posted payouts in the model, and the chain addresses that may have claimed. */
  epochs: number[];
  payoutWorkers: Address[];
  /** Job ids of the model's open audits. */
  auditJobIds: number[];
}

type Row = Record<string, unknown>;

/** The chain's side of the comparison: twelve view calls in one HTTP batch (see projection.ts). */
export async function chainProjection(q: ChainProjectionQuery): Promise<Projection> {
  const chainActors = q.actors.map(q.chainOf);
  const calls: Array<[string, unknown[]]> = [
    ['globals', []],
    ['getParams', []],
    ['balancesOf', [chainActors]],
    ['holderViews', [chainActors]],
    ['workerViews', [chainActors]],
    ['reservationViews', []],
    ['dayBudgetViews', []],
    ['payoutViews', [q.epochs.map(BigInt), q.payoutWorkers]],
    ['proposalViews', []],
    ['oracleViews', [chainActors]],
    ['auditViews', [q.auditJobIds.map(BigInt)]],
    ['openAuditCount', []],
  ];
  const replies = await q.rpc.batch(
    calls.map(([functionName, args]) => ({
      method: 'eth_call',
      params: [
        { to: q.protocol, data: encodeFunctionData({ abi: q.abi, functionName, args }) },
        'latest',
      ],
    })),
  );
  const decoded = calls.map(([functionName], i) =>
    decodeFunctionResult({ abi: q.abi, functionName, data: replies[i] as Hex }),
  );
  const [g, params, balances, holders, workers, reservations, days, payouts, proposals] =
    decoded.slice(0, 9) as [
      Row,
      readonly bigint[],
      readonly [readonly bigint[], readonly bigint[]],
      readonly Row[],
      readonly Row[],
      readonly Row[],
      readonly Row[],
      readonly Row[],
      readonly Row[],
    ];
  const out: Projection = new Map();
  const put = (k: string, v: unknown) => out.set(k, text(v as bigint));
  const modelName = (a: unknown) => q.modelOf(a as Address) ?? String(a).toLowerCase();
  put('treasuryMicroUsdc', g.treasuryMicroUsdc);
  put('settlementPoolMicroUsdc', g.settlementPoolMicroUsdc);
  put('day', Number(g.dayPlus1) - 1);
  put('lastSettledEpoch', Number(g.settledEpochsPlus1) - 1);
  put('nextReservationId', g.nextReservationId);
  put('nextProposalId', g.nextProposalId);
  put('usdcHeldMicroUsdc', g.usdcHeldMicroUsdc);
  put('oneHeldWei', g.oneHeldWei);
  for (const [i, w] of params.entries()) put(`params.${paramWordNames[i]}`, w);
  q.actors.forEach((a, i) => {
    put(`accounts.${a}.usdc`, balances[0][i]);
    put(`accounts.${a}.one`, balances[1][i]);
  });
  q.actors.forEach((a, i) => {
    const h = holders[i]!;
    const unbonding = h.unbonding as Array<{ amountOneWei: bigint; releaseAtMs: bigint }>;
    if (
      h.stakedOneWei === 0n &&
      h.snapshotOneWei === 0n &&
      unbonding.length === 0 &&
      h.allotmentCu === 0n
    )
      return;
    put(`holders.${a}.stakedOneWei`, h.stakedOneWei);
    put(`holders.${a}.snapshotOneWei`, h.snapshotOneWei);
    put(`holders.${a}.allotmentCu`, h.allotmentCu);
    put(`holders.${a}.unbonding`, unbondingText(unbonding));
  });
  q.actors.forEach((a, i) => {
    const w = workers[i]!;
    if (Number(w.status) === 0) return;
    put(`workers.${a}.status`, workerStatusNames[Number(w.status)]);
    put(`workers.${a}.online`, w.online);
    put(`workers.${a}.models`, (w.models as Hex[]).join(','));
    put(`workers.${a}.slots`, w.slots);
    put(`workers.${a}.capacityCuPerSec`, w.capacityCuPerSec);
    put(`workers.${a}.bondMicroUsdc`, w.bondMicroUsdc);
    put(`workers.${a}.bondReleaseAtMs`, w.bondReleaseAtMs);
    put(`workers.${a}.jailed`, w.jailed);
    put(`workers.${a}.jailedUntilMs`, w.jailedUntilMs);
    put(`workers.${a}.identityHash`, w.identityHash);
    put(`workers.${a}.attestationExpiresAtMs`, w.attestationExpiresAtMs);
  });
  const [oracles, auditRows, openAudits] = decoded.slice(9) as [
    readonly boolean[],
    readonly [readonly boolean[], readonly (readonly Address[])[], readonly bigint[]],
    bigint,
  ];
  q.actors.forEach((a, i) => {
    if (oracles[i]) put(`oracles.${a}`, true);
  });
  put('audits.open', openAudits);
  q.auditJobIds.forEach((id, i) => {
    if (!auditRows[0][i]) return;
    put(`audits.${id}.committee`, sortedAddresses(auditRows[1][i]!.map(modelName) as Address[]));
    put(`audits.${id}.votes`, auditRows[2][i]);
  });
  reservations.forEach((r, i) => {
    if (r.ended === true && r.escrowMicroUsdc === 0n) return;
    const k = `reservations.${i + 1}`;
    put(`${k}.sponsor`, modelName(r.sponsor));
    put(`${k}.model`, r.anyModel ? 'any' : r.model);
    for (const f of [
      'rateCuPerSec',
      'startAtMs',
      'endAtMs',
      'priceMicroUsdcPerCu',
      'reservedCu',
      'escrowMicroUsdc',
      'ended',
    ])
      put(`${k}.${f}`, r[f]);
  });
  days.forEach((b, i) => {
    const k = `dayBudgets.${Number(g.firstUnreleasedDay) + i}`;
    for (const f of [
      'budgetMicroUsdc',
      'earmarkedMicroUsdc',
      'paidMicroUsdc',
      'allottedCu',
      'priceMicroUsdcPerCu',
    ])
      put(`${k}.${f}`, b[f]);
    put(`${k}.sigma`, `${b.sigmaNum}/${b.sigmaDen}`);
    put(`${k}.releaseEpoch`, b.releaseEpoch);
  });
  payouts.forEach((s, i) => {
    if (!s.posted) return;
    const k = `settlements.${q.epochs[i]}`;
    put(`${k}.root`, s.root);
    put(`${k}.unclaimedMicroUsdc`, s.unclaimedMicroUsdc);
    const claimed = q.payoutWorkers.filter((_, j) => (s.claimed as boolean[])[j]).map(modelName);
    put(`${k}.claimed`, sortedAddresses(claimed as Address[]));
  });
  proposals.forEach((p, i) => {
    if (!p.queued) return;
    put(`proposals.${i + 1}.etaMs`, p.etaMs);
    const changes = p.changes as Array<{ id: bigint; value: bigint }>;
    put(`proposals.${i + 1}.changes`, changes.map((c) => `${c.id}=${c.value}`).join(','));
  });
  return out;
}

import type { Action } from '../actions.ts';
import type { ProtocolEvent } from '../events.ts';
import { ratio1ParamsOf } from '../params.ts';
import type { Address, State } from '../types.ts';
import { escrowAllocation, jobConsensus, licenceRelease } from '../verification/ratio1.ts';

/**
 * Ratio1's day close (PROTOCOL.md §10) as the audit's `actionEffects` check sees it, from the
 * state before `closeAvailabilityDay` under Ratio1's rules and the documented formulas of
 * protocol/verification/ratio1.ts (never the handler):
 *
 * - every licence that is not banned mines `licenceRelease(max per day, its agreed score, what it
 *   mined, the cap)`, minted into its account, with a LicenceMined event when it is more than 0;
 * - each oracle that posted the day proposes the registered nodes it scored at least
 *   `activeMinScore` (sorted, in posting order); `jobConsensus` over those proposals sets the
 *   active nodes, or keeps the last agreed set and counts a failed day;
 * - the escrow pays each active node that has not exited and is not banned
 *   `escrowAllocation(price per epoch, nodes, burn share, escrow)`: the escrow drops by the total,
 *   the burn share leaves the system, PoaiAllocated says so.
 *
 * The day's agreed scores are read from the workers after the step (how oracles agree is the
 * availability check's business, not this one's).
 */
export function ratio1DayClose(
  s: State,
  a: Action,
): ((events: readonly ProtocolEvent[], after: State) => string | null) | null {
  if (a.type !== 'closeAvailabilityDay' || !s.ratio1) return null;
  const r = ratio1ParamsOf(s.params);
  const b = s.ratio1;
  const banned = new Set(b.banned ?? []);
  const mined = new Map(b.minedByWorker);
  const listed = [...s.workers.values()].filter((w) => w.status !== 'exited').map((w) => w.address);
  const exited = new Set(
    [...s.workers.values()].filter((w) => w.status === 'exited').map((w) => w.address),
  );
  const proposals = [...(s.availabilityReports.get(a.day) ?? new Map()).values()].map((scores) =>
    [...scores]
      .filter(([w, v]) => v >= r.activeMinScore && s.workers.has(w))
      .map(([w]) => w)
      .sort()
      .join(','),
  );
  const c = jobConsensus({
    oracles: [...s.oracles.values()].filter((o) => o.active).length,
    proposals,
    submitShare: r.consensusSubmitShare,
    matchShare: r.consensusMatchShare,
  });
  const active: Address[] =
    c.accepted === null
      ? [...b.activeNodes]
      : c.accepted === ''
        ? []
        : (c.accepted.split(',') as Address[]);
  const nodes = active.filter((w) => !exited.has(w) && !banned.has(w));
  const alloc = escrowAllocation({
    pricePerEpochMicroUsdc: r.poaiPricePerEpochMicroUsdc,
    activeNodes: nodes.length,
    burnShare: r.burnShare,
    escrowMicroUsdc: b.escrowMicroUsdc,
  });
  const burned = alloc.burnPerNodeMicroUsdc * BigInt(nodes.length);
  const before = {
    escrow: b.escrowMicroUsdc,
    minted: b.mintedMicroUsdc,
    burned: b.burnedMicroUsdc,
    paid: b.poaiPaidMicroUsdc,
    failedDays: b.consensusFailedDays,
  };
  const day = a.day;
  return (events, after) => {
    const books = after.ratio1;
    if (!books) return `closeAvailabilityDay ${day}: Ratio1's books are gone`;
    // Licence release, per licence.
    let minted = 0n;
    const wantMined = new Map<Address, bigint>();
    for (const w of listed) {
      if (banned.has(w)) continue;
      const score = after.workers.get(w)!.availabilityScore;
      const amount = licenceRelease({
        maxReleasePerDayMicroUsdc: r.maxReleasePerDayMicroUsdc,
        score,
        minedMicroUsdc: mined.get(w) ?? 0n,
        capMicroUsdc: r.licenceMiningCapMicroUsdc,
      });
      if (amount > 0n) wantMined.set(w, amount);
      minted += amount;
      const have = books.minedByWorker.get(w) ?? 0n;
      if (have !== (mined.get(w) ?? 0n) + amount)
        return `closeAvailabilityDay ${day}: ${w} has mined ${have}, the rules say ${(mined.get(w) ?? 0n) + amount} (score ${score})`;
    }
    const gotMined = events.filter((e) => e.type === 'LicenceMined');
    if (
      gotMined.length !== wantMined.size ||
      gotMined.some(
        (e) =>
          e.type !== 'LicenceMined' ||
          e.day !== day ||
          wantMined.get(e.worker) !== e.amountMicroUsdc,
      )
    )
      return `closeAvailabilityDay ${day}: ${gotMined.length} LicenceMined events, the rules say ${wantMined.size} (${[...wantMined].map(([w, x]) => `${w}: ${x}`).join(', ')})`;
    if (books.mintedMicroUsdc !== before.minted + minted)
      return `closeAvailabilityDay ${day}: ${books.mintedMicroUsdc} minted in all, the rules say ${before.minted + minted}`;
    // Job consensus and the escrow's payment.
    if (books.activeNodes.join(',') !== active.join(','))
      return `closeAvailabilityDay ${day}: active nodes [${books.activeNodes.join(',')}], the rules say [${active.join(',')}] (consensus ${c.accepted === null ? 'failed' : 'reached'})`;
    if (books.consensusFailedDays !== before.failedDays + (c.accepted === null ? 1 : 0))
      return `closeAvailabilityDay ${day}: ${books.consensusFailedDays} failed consensus days, the rules say ${before.failedDays + (c.accepted === null ? 1 : 0)}`;
    const paid = alloc.perNodeMicroUsdc * BigInt(nodes.length);
    if (
      books.escrowMicroUsdc !== before.escrow - alloc.totalMicroUsdc ||
      books.burnedMicroUsdc !== before.burned + burned ||
      books.poaiPaidMicroUsdc !== before.paid + paid
    )
      return `closeAvailabilityDay ${day}: escrow ${books.escrowMicroUsdc}, burned ${books.burnedMicroUsdc}, paid ${books.poaiPaidMicroUsdc}; the rules say ${before.escrow - alloc.totalMicroUsdc}, ${before.burned + burned}, ${before.paid + paid} (${nodes.length} nodes)`;
    const e = events.find((x) => x.type === 'PoaiAllocated');
    if (
      e?.type !== 'PoaiAllocated' ||
      e.day !== day ||
      e.consensus !== (c.accepted !== null) ||
      e.nodes.join(',') !== nodes.join(',') ||
      e.perNodeMicroUsdc !== alloc.perNodeMicroUsdc ||
      e.burnedMicroUsdc !== burned
    )
      return `closeAvailabilityDay ${day}: PoaiAllocated is ${e ? JSON.stringify(e, (_, v) => (typeof v === 'bigint' ? `${v}` : v)) : 'missing'}; the rules say ${nodes.length} nodes at ${alloc.perNodeMicroUsdc}, ${burned} burned`;
    return null;
  };
}

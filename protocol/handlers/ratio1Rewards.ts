import { ratio1ParamsOf } from '../params.ts';
import { accountOf } from '../state.ts';
import type { Address, Ratio1Books } from '../types.ts';
import { escrowAllocation, jobConsensus, licenceRelease } from '../verification/ratio1.ts';
import type { StepContext } from './context.ts';

export interface Ratio1DayParameters {
  day: number;
  books: Ratio1Books;
  /** The day's agreed scores (255 for everyone on a faulty day). */
  scores: ReadonlyMap<Address, number>;
  /** Per reporting oracle, in the order they posted, its own scores. */
  reports: ReadonlyMap<Address, ReadonlyMap<Address, number>>;
  registeredOracles: number;
}

/**
 * Ratio1's day close (PROTOCOL.md §10): every licence (worker) mines its release for the agreed
 * score, minted; then the oracles' proposals of active nodes go through job consensus and the
 * Proof-of-AI escrow pays each agreed node the price per epoch, burning its share.
 */
export function ratio1CloseDay(ctx: StepContext, p: Ratio1DayParameters): void {
  const { state } = ctx;
  const r = ratio1ParamsOf(state.params);
  const b = p.books;
  for (const [worker, score] of p.scores) {
    // A banned licence cannot claim (NDContract.claimRewards → _requireNotBanned).
    if (b.banned?.has(worker)) continue;
    const mined = b.minedByWorker.get(worker) ?? 0n;
    const amount = licenceRelease({
      maxReleasePerDayMicroUsdc: r.maxReleasePerDayMicroUsdc,
      score,
      minedMicroUsdc: mined,
      capMicroUsdc: r.licenceMiningCapMicroUsdc,
    });
    if (amount === 0n) continue;
    b.minedByWorker.set(worker, mined + amount);
    b.mintedMicroUsdc += amount;
    accountOf(state, worker).usdc += amount;
    ctx.events.push({ type: 'LicenceMined', day: p.day, worker, amountMicroUsdc: amount });
  }
  // Each reporting oracle proposes the nodes it saw for at least activeMinScore.
  const proposals: string[] = [];
  for (const scores of p.reports.values()) {
    const seen = [...scores]
      .filter(([w, v]) => v >= r.activeMinScore && state.workers.has(w))
      .map(([w]) => w)
      .sort();
    proposals.push(seen.join(','));
  }
  const c = jobConsensus({
    oracles: p.registeredOracles,
    proposals,
    submitShare: r.consensusSubmitShare,
    matchShare: r.consensusMatchShare,
  });
  if (c.accepted !== null)
    b.activeNodes = c.accepted === '' ? [] : (c.accepted.split(',') as Address[]);
  else b.consensusFailedDays += 1;
  // A banned licence's node is not active (NDContract.isNodeActive): the escrow pays it nothing.
  const nodes = b.activeNodes.filter(
    (w) => state.workers.get(w)?.status !== 'exited' && !b.banned?.has(w),
  );
  const a = escrowAllocation({
    pricePerEpochMicroUsdc: r.poaiPricePerEpochMicroUsdc,
    activeNodes: nodes.length,
    burnShare: r.burnShare,
    escrowMicroUsdc: b.escrowMicroUsdc,
  });
  const burned = a.burnPerNodeMicroUsdc * BigInt(nodes.length);
  b.escrowMicroUsdc -= a.totalMicroUsdc;
  b.burnedMicroUsdc += burned;
  for (const w of nodes) {
    accountOf(state, w).usdc += a.perNodeMicroUsdc;
    state.workers.get(w)!.earnedMicroUsdc += a.perNodeMicroUsdc;
    b.poaiPaidMicroUsdc += a.perNodeMicroUsdc;
  }
  ctx.events.push({
    type: 'PoaiAllocated',
    day: p.day,
    consensus: c.accepted !== null,
    nodes,
    perNodeMicroUsdc: a.perNodeMicroUsdc,
    burnedMicroUsdc: burned,
  });
}

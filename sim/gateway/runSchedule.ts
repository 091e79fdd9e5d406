import { buildPayoutTree, dayOf } from '../../protocol/index.ts';
import type { GatewayCore } from './gatewayCore.ts';

export type ScheduleCounts = {
  daysStarted: number;
  epochsSettled: number;
  claims: number;
  expired: number;
};

/** Each worker's payout of a settled epoch is claimed for it (a Merkle proof each), as ONE's workers would. */
function claimEpoch(core: GatewayCore, epoch: number, counts: ScheduleCounts): void {
  const s = core.state.settlements.get(epoch);
  if (!s || s.payouts.size === 0) return;
  const tree = buildPayoutTree(s.payouts);
  for (const [worker, amountMicroUsdc] of s.payouts) {
    if (s.claimed.has(worker) || !core.workers.has(worker)) continue;
    const r = core.act({
      type: 'claim',
      epoch,
      worker,
      amountMicroUsdc,
      proof: tree.proof(worker, amountMicroUsdc),
    });
    if (r.ok) counts.claims++;
  }
}

/**
 * The protocol's calendar on the wall clock: start every day that has begun (catching up after
 * downtime), settle every epoch that has ended and claim its payouts, expire overdue jobs and
 * return lapsed leases to their queues. Called on a timer; all of it goes through `step`.
 * Nothing is dispatched: workers pull (`leaseJob` on their polls).
 */
export function runSchedule(core: GatewayCore, counts: ScheduleCounts): void {
  const p = core.params;
  const now = core.nowMs();
  for (let day = core.state.day + 1; day <= dayOf(p, now); day++) {
    const r = core.act({ type: 'startDay', day }, undefined, now);
    if (!r.ok) throw new Error(`gateway: startDay ${day} rejected: ${r.code}: ${r.message}`);
    counts.daysStarted++;
  }
  for (let e = core.state.lastSettledEpoch + 1; (e + 1) * p.settlementEpochMs <= now; e++) {
    const r = core.act({ type: 'settle', epoch: e }, undefined, now);
    if (!r.ok) throw new Error(`gateway: settle ${e} rejected: ${r.code}: ${r.message}`);
    counts.epochsSettled++;
    claimEpoch(core, e, counts);
  }
  const expired = core.act({ type: 'expireJobs' }, undefined, now);
  if (expired.ok) counts.expired += expired.events.filter((e) => e.type === 'JobExpired').length;
}

import { buildPayoutTree } from '../../protocol/index.ts';
import { rebuildHolderDemand } from './demand.ts';
import { addHolder, reserveFor } from './genesis.ts';
import { closeAvailability } from './oracles.ts';
import { seededFaker } from './population.ts';
import type { Simulation } from './simulation.ts';

/**
 * Every settlement-epoch boundary: expire, settle the epoch that just ended (paying the one
 * before it) and let workers claim; at a day boundary also start the day and let agents adapt.
 */
export function onBoundary(sim: Simulation, b: number): void {
  const p = sim.params;
  sim.act({ type: 'expireJobs' });
  sim.act({ type: 'settle', epoch: b - 1 });
  if (sim.scenario.workers.claimPayouts) claimAll(sim, b - 1);
  const epochsPerDay = p.dayMs / p.settlementEpochMs;
  if (b % epochsPerDay === 0) startDay(sim, b / epochsPerDay);
  const next = (b + 1) * p.settlementEpochMs;
  if (next <= sim.endMs) sim.engine.schedule(next, sim.kinds.boundary, b + 1);
}

function claimAll(sim: Simulation, epoch: number): void {
  const s = sim.state.settlements.get(epoch);
  if (!s) return;
  const tree = buildPayoutTree(s.payouts);
  for (const [worker, amount] of [...s.payouts]) {
    sim.act({
      type: 'claim',
      epoch,
      worker,
      amountMicroUsdc: amount,
      proof: tree.proof(worker, amount),
    });
  }
}

function startDay(sim: Simulation, day: number): void {
  workersReviewIncome(sim);
  holdersAdapt(sim);
  grow(sim, day);
  sim.act({ type: 'startDay', day });
  if (day >= 1) closeAvailability(sim, day - 1);
  sim.creditsUsedTodayCu = 0;
  rebuildHolderDemand(sim);
  sim.recordDayHash();
  sim.requestDispatch();
}

/** Holders mostly denied yesterday may unstake everything and stop using the network. */
function holdersAdapt(sim: Simulation): void {
  const h = sim.scenario.holders;
  for (const holder of sim.holders) {
    const denied = holder.attemptsToday > 0 ? holder.deniedToday / holder.attemptsToday : 0;
    if (
      !holder.left &&
      holder.attemptsToday >= 2 &&
      denied >= h.leaveWhenDeniedShare &&
      sim.streams.population.bernoulli(h.leaveProbability)
    ) {
      sim.holderLeaves(holder);
      const staked = sim.state.holders.get(holder.address)?.stakedOneWei ?? 0n;
      if (staked > 0n) sim.act({ type: 'unstake', holder: holder.address, amountOneWei: staked });
    }
    holder.attemptsToday = 0;
    holder.deniedToday = 0;
  }
}

/** Growth: the holder count follows count · multiplier^(day / (days − 1)). */
function grow(sim: Simulation, day: number): void {
  const h = sim.scenario.holders;
  if (h.growthMultiplier === 1 || sim.options.days <= 1) return;
  const target = Math.round(h.count * h.growthMultiplier ** (day / (sim.options.days - 1)));
  if (target <= sim.holders.length) return;
  const faker = seededFaker(sim.streams.faker);
  while (sim.holders.length < target) addHolder(sim, faker);
}

/** Workers whose day's income stayed below cost too many days in a row exit. */
function workersReviewIncome(sim: Simulation): void {
  const limit = sim.scenario.workers.leaveAfterDaysBelowCost;
  for (const w of sim.workers) {
    if (w.left) continue;
    w.daysBelowCost = w.incomeTodayMicroUsdc < w.costMicroUsdcPerDay ? w.daysBelowCost + 1 : 0;
    w.incomeTodayMicroUsdc = 0n;
    if (limit !== null && w.daysBelowCost >= limit) {
      w.left = true;
      sim.act({ type: 'exitWorker', worker: w.address });
    }
  }
}

/** At a reservation's end the sponsor renews (until told to stop) and closes the old one later. */
export function onRenew(sim: Simulation, si: number): void {
  const sp = sim.sponsors[si]!;
  const old = sp.reservationId;
  const stopDay = sim.scenario.sponsors.stopRenewingOnDay;
  const day = Math.floor(sim.engine.nowMs / sim.params.dayMs);
  if (stopDay === null || day < stopDay) reserveFor(sim, si);
  else sp.reservationId = 0;
  const closeAtMs = sim.engine.nowMs + sim.params.jobDeadlineMaxMs + sim.params.jobGraceMs;
  if (old > 0 && closeAtMs <= sim.endMs)
    sim.engine.schedule(closeAtMs, sim.kinds.closeReservation, old);
}

export function onCloseReservation(sim: Simulation, reservationId: number): void {
  sim.act({ type: 'expireJobs' });
  sim.act({ type: 'endReservation', reservationId });
}

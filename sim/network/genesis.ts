import { mulRatioCeil } from '../../protocol/index.ts';
import { simAttestationFor } from '../../protocol/receipts/simAttestor.ts';
import { actorAddress } from './addresses.ts';
import { rebuildHolderDemand, scheduleNextArrival, scheduleSponsorArrival } from './demand.ts';
import { deployAtGenesis, deploymentWorkerFields } from './deployments.ts';
import { setUpVerification } from './oracles.ts';
import { makeHolder, makeSponsor, makeWorker, seededFaker } from './population.ts';
import type { Simulation } from './simulation.ts';
import { addSybils, scheduleFlashStakers } from './sybils.ts';

/** Adds one holder: ONE arrives at the boundary and is staked (it earns from the next day). */
export function addHolder(sim: Simulation, faker = seededFaker(sim.streams.faker)): void {
  const h = makeHolder(sim.holders.length, sim.scenario, sim.streams.population, faker);
  sim.holders.push(h);
  if (h.stakeOneWei === 0n) return;
  sim.act({ type: 'deposit', account: h.address, asset: 'one', amount: h.stakeOneWei });
  sim.act({ type: 'stake', holder: h.address, amountOneWei: h.stakeOneWei });
}

/** Time zero: the treasury, the population, day 0 and the first reservations. */
export function genesis(sim: Simulation): void {
  const s = sim.scenario;
  const faker = seededFaker(sim.streams.faker);
  const funder = actorAddress('funder', 0);
  const treasury = BigInt(Math.round(s.treasuryGenesisUsdc * 1e6));
  if (treasury > 0n) {
    sim.act({ type: 'deposit', account: funder, asset: 'usdc', amount: treasury });
    sim.act({ type: 'fundTreasury', from: funder, amountMicroUsdc: treasury });
  }
  for (let i = 0; i < s.holders.count; i++) addHolder(sim, faker);
  addSybils(sim, faker);
  scheduleFlashStakers(sim);
  const profiled = s.profileWorkers.count;
  for (let i = 0; i < s.workers.count + profiled; i++) {
    const w = makeWorker(i, s, sim.streams.population, faker);
    if (i >= s.workers.count) {
      // Measured hardware: its capacity, every model, the scenario's median cost.
      w.fromProfile = true;
      w.capacityCuPerSec = Math.max(1, Math.round(s.profileWorkers.capacityCuPerSec));
      w.slots = s.profileWorkers.slots;
      w.models = sim.models.map((_, k) => k);
      w.operator = s.profileWorkers.label || w.operator;
    }
    sim.workers.push(w);
    sim.workerIndex.set(w.address, i);
    const bond = sim.params.workerBondMinMicroUsdc;
    sim.act({ type: 'deposit', account: w.address, asset: 'usdc', amount: bond });
    sim.act({
      type: 'registerWorker',
      worker: w.address,
      models: w.models.map((m) => sim.models[m]!.id),
      slots: w.slots,
      capacityCuPerSec: BigInt(w.capacityCuPerSec),
      bondMicroUsdc: bond,
      attestation: simAttestationFor(
        sim.params,
        w.address,
        (sim.options.days + 30) * sim.params.dayMs,
      ),
      ...deploymentWorkerFields(sim),
    });
  }
  setUpVerification(sim);
  deployAtGenesis(sim);
  for (let i = 0; i < s.sponsors.count; i++)
    sim.sponsors.push(makeSponsor(i, s, sim.streams.population, faker));
  for (let i = 0; i < s.adversaries.griefingSponsors.count; i++) {
    const g = makeSponsor(sim.sponsors.length, s, sim.streams.adversaries, faker);
    g.griefing = true;
    sim.sponsors.push(g);
  }
  sim.act({ type: 'startDay', day: 0 });
  sim.recordDayHash();
  rebuildHolderDemand(sim);
  sim.sponsors.forEach((_, si) => {
    reserveFor(sim, si);
    scheduleSponsorArrival(sim, si);
  });
  scheduleNextArrival(sim);
}

/** A sponsor buys its next window: USDC arrives at the boundary, then `reserve`. */
export function reserveFor(sim: Simulation, si: number): void {
  const sp = sim.sponsors[si]!;
  const p = sim.params;
  const durationMs = sim.scenario.sponsors.reservationHours * 3_600_000;
  const cost =
    ((BigInt(sp.rateCuPerSec) * BigInt(durationMs)) / 1000n) * p.dedicatedPriceMicroUsdcPerCu;
  const need = cost + mulRatioCeil(cost, p.dedicatedFee);
  const have = sim.state.accounts.get(sp.address)?.usdc ?? 0n;
  if (need > have)
    sim.act({ type: 'deposit', account: sp.address, asset: 'usdc', amount: need - have });
  const id = sim.state.nextReservationId;
  const model = sp.model >= 0 ? sim.models[sp.model]!.id : null;
  if (
    !sim.act({
      type: 'reserve',
      sponsor: sp.address,
      model,
      rateCuPerSec: BigInt(sp.rateCuPerSec),
      durationMs,
    })
  ) {
    sp.reservationId = 0;
    return;
  }
  sp.reservationId = id;
  const endAtMs = sim.engine.nowMs + durationMs;
  if (endAtMs <= sim.endMs) sim.engine.schedule(endAtMs, sim.kinds.renew, si);
}

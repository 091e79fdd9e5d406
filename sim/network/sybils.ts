import type { Faker } from '@faker-js/faker';
import { actorAddress } from './addresses.ts';
import { makeHolder, oneWei } from './population.ts';
import type { Simulation } from './simulation.ts';

/**
 * Sybil holders: one stake and one usage habit split evenly over `splits` accounts. Under the
 * linear allotment they gain nothing; under a concave schedule they do (see summary).
 */
export function addSybils(sim: Simulation, faker: Faker): void {
  const a = sim.scenario.adversaries.sybilHolders;
  for (let g = 0; g < a.count; g++) {
    const whole = makeHolder(sim.holders.length, sim.scenario, sim.streams.adversaries, faker);
    const group = sim.holders.length;
    for (let k = 0; k < a.splits; k++) {
      const part = {
        ...whole,
        address: actorAddress('holder', sim.holders.length),
        stakeOneWei: whole.stakeOneWei / BigInt(a.splits),
        jobsPerDay: whole.jobsPerDay / a.splits,
        active: true,
        sybilGroup: group,
      };
      sim.holders.push(part);
      sim.act({ type: 'deposit', account: part.address, asset: 'one', amount: part.stakeOneWei });
      sim.act({ type: 'stake', holder: part.address, amountOneWei: part.stakeOneWei });
    }
  }
}

/** Flash stakers: stake a minute before every day boundary, unstake a minute after. */
export function scheduleFlashStakers(sim: Simulation): void {
  const a = sim.scenario.adversaries.flashStakers;
  for (let i = 0; i < a.count; i++) {
    const address = actorAddress('holder', 0x7f000000 + i);
    sim.flashStakers.push(address);
    for (let d = 1; d * sim.params.dayMs <= sim.endMs; d++) {
      sim.engine.schedule(d * sim.params.dayMs - 60_000, sim.kinds.flashIn, i);
      if (d * sim.params.dayMs + 60_000 < sim.endMs)
        sim.engine.schedule(d * sim.params.dayMs + 60_000, sim.kinds.flashOut, i);
    }
  }
}

export function onFlashIn(sim: Simulation, i: number): void {
  const address = sim.flashStakers[i]!;
  const amount = oneWei(sim.scenario.adversaries.flashStakers.stakeOne);
  sim.act({ type: 'claimUnbonded', holder: address });
  const have = sim.state.accounts.get(address)?.one ?? 0n;
  // Capital the staker must bring: unstaked ONE stays locked for the unbonding period.
  if (have < amount) {
    sim.act({ type: 'deposit', account: address, asset: 'one', amount: amount - have });
    sim.flashCapitalOneWei += amount - have;
  }
  sim.act({ type: 'stake', holder: address, amountOneWei: amount });
}

export function onFlashOut(sim: Simulation, i: number): void {
  const address = sim.flashStakers[i]!;
  const h = sim.state.holders.get(address);
  if (h) sim.flashCreditsCu += Number(h.allotmentCu);
  if (h && h.stakedOneWei > 0n)
    sim.act({ type: 'unstake', holder: address, amountOneWei: h.stakedOneWei });
}

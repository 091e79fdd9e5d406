import { Lane } from '../../protocol/index.ts';
import { AliasTable } from '../rng/aliasTable.ts';
import { sealedField } from './sealing.ts';
import type { Simulation } from './simulation.ts';

const HOUR_MS = 3_600_000;

/** Demand multiplier at time t: the diurnal wave times any burst in progress. */
export function demandMultiplier(sim: Simulation, tMs: number): number {
  const d = sim.scenario.demand;
  const dayMs = sim.params.dayMs;
  const hour = ((tMs % dayMs) / dayMs) * 24;
  let m = 1 + d.diurnalAmplitude * Math.cos(((hour - d.peakHour) / 24) * 2 * Math.PI);
  for (const b of d.bursts) {
    const startMs = b.day * dayMs + b.startHour * HOUR_MS;
    if (tMs >= startMs && tMs < startMs + b.hours * HOUR_MS) m *= b.multiplier;
  }
  return m;
}

function maxMultiplier(sim: Simulation): number {
  const burst = sim.scenario.demand.bursts.reduce((m, b) => Math.max(m, b.multiplier), 1);
  return (1 + sim.scenario.demand.diurnalAmplitude) * burst;
}

/** Rebuilds who submits Included jobs, weighted by each active holder's habit. */
export function rebuildHolderDemand(sim: Simulation): void {
  const weights = new Float64Array(sim.holders.length);
  sim.holders.forEach((h, i) => {
    weights[i] = h.active && !h.left ? h.jobsPerDay : 0;
  });
  sim.holderAlias = new AliasTable(weights);
}

/**
 * Included arrivals: one non-homogeneous Poisson process for all holders (thinning against
 * the peak rate), each arrival assigned to a holder by weight and a model by the mix.
 */
export function scheduleNextArrival(sim: Simulation): void {
  const ratePerMsPeak = (sim.holderAlias.total / sim.params.dayMs) * maxMultiplier(sim);
  if (ratePerMsPeak <= 0) return;
  const at =
    sim.engine.nowMs + Math.max(1, Math.ceil(sim.streams.demand.exponential(ratePerMsPeak)));
  if (at < sim.endMs) sim.engine.schedule(at, sim.kinds.arrival, 0);
}

export function onArrival(sim: Simulation): void {
  const t = sim.engine.nowMs;
  const accept = demandMultiplier(sim, t) / maxMultiplier(sim);
  if (sim.streams.demand.float() < accept) submitIncluded(sim);
  scheduleNextArrival(sim);
}

function submitIncluded(sim: Simulation): void {
  const hi = sim.holderAlias.draw(sim.streams.demand);
  if (hi < 0) return;
  const holder = sim.holders[hi]!;
  const model = sim.models[sim.modelAlias.draw(sim.streams.demand)]!;
  holder.attemptsToday++;
  const sealed = sealedField(sim);
  const ok = sim.act({
    type: 'submitJob',
    lane: Lane.included,
    requester: holder.address,
    model: model.id,
    units: model.cuPerRequest,
    requestHash: sim.nextRequestHash(),
    ...sealed,
  });
  if (ok && sealed.sealed) sim.sealedCounts.submitted += 1;
  if (ok) sim.requestDispatch();
  else {
    holder.deniedToday++;
    sim.metrics.count('denied');
  }
}

/** Dedicated arrivals of one sponsor: Poisson at utilisation × reserved rate, in CU. */
export function scheduleSponsorArrival(sim: Simulation, si: number): void {
  const s = sim.sponsors[si]!;
  const cuPerJob = s.model >= 0 ? sim.models[s.model]!.cu : averageCu(sim);
  const ratePerMs = (sim.scenario.sponsors.utilisation * s.rateCuPerSec) / cuPerJob / 1000;
  if (ratePerMs <= 0 || s.reservationId === 0 || s.griefing) return;
  const at = sim.engine.nowMs + Math.max(1, Math.ceil(sim.streams.sponsors.exponential(ratePerMs)));
  if (at < sim.endMs) sim.engine.schedule(at, sim.kinds.sponsorArrival, si);
}

function averageCu(sim: Simulation): number {
  const total = sim.scenario.models.reduce((a, m) => a + m.weight, 0);
  return sim.scenario.models.reduce((a, m) => a + (m.cuPerRequest * m.weight) / total, 0);
}

export function onSponsorArrival(sim: Simulation, si: number): void {
  const s = sim.sponsors[si]!;
  const r = sim.state.reservations.get(s.reservationId);
  if (r && !r.ended && sim.engine.nowMs >= r.startAtMs && sim.engine.nowMs < r.endAtMs) {
    const model = sim.models[s.model >= 0 ? s.model : sim.modelAlias.draw(sim.streams.sponsors)]!;
    const sealed = sealedField(sim);
    const ok = sim.act({
      type: 'submitJob',
      lane: Lane.dedicated,
      requester: s.address,
      reservationId: s.reservationId,
      model: model.id,
      units: model.cuPerRequest,
      requestHash: sim.nextRequestHash(),
      ...sealed,
    });
    if (ok && sealed.sealed) sim.sealedCounts.submitted += 1;
    if (ok) sim.requestDispatch();
    else sim.metrics.count('denied');
  }
  scheduleSponsorArrival(sim, si);
}

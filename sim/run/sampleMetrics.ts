import type { Simulation } from '../network/simulation.ts';

/** Takes one metrics row and schedules the next sample. */
export function sampleMetrics(sim: Simulation): void {
  const s = sim.state;
  const budget = s.dayBudgets.get(s.day);
  let slots = 0;
  let busy = 0;
  let activeWorkers = 0;
  for (const w of sim.workers) {
    if (w.left || w.crashed) continue;
    activeWorkers++;
    slots += w.slots;
    busy += w.busySlots;
  }
  const activeHolders = activeHoldersOf(sim);
  const row = sim.metrics.sample({
    tMs: sim.engine.nowMs,
    day: s.day,
    treasuryUsdc: Number(s.treasuryMicroUsdc) / 1e6,
    sigma: budget ? Number(budget.sigma.num) / Number(budget.sigma.den) : 1,
    creditsIssuedCu: budget ? Number(budget.allottedCu) : 0,
    creditsUsedCu: sim.creditsUsedTodayCu,
    includedQueued: sim.queuedIncluded,
    dedicatedQueued: sim.queuedDedicated,
    running: busy,
    utilisation: slots === 0 ? 0 : busy / slots,
    activeWorkers,
    activeHolders,
    ...verificationMetrics(sim),
    underReplicatedShare: sim.deployments?.sampleUnderShare(sim.engine.nowMs) ?? 0,
  });
  sim.options.onMetrics?.(row);
  const next = sim.engine.nowMs + sim.scenario.run.metricsIntervalMs;
  if (next <= sim.endMs) sim.engine.schedule(next, sim.kinds.metrics, 0);
}

/**
 * Holders active and not gone. A holder's `active` never changes and `left` changes only through
 * `Simulation.holderLeaves`, so the count stands until a holder joins or leaves: an hourly walk
 * over 100k holders (memory-bound, ~1 % of a scale run) happens only then.
 */
const activeCounts = new WeakMap<Simulation, { holders: number; left: number; active: number }>();

function activeHoldersOf(sim: Simulation): number {
  const holders = sim.holders;
  const known = activeCounts.get(sim);
  if (known && known.holders === holders.length && known.left === sim.holdersLeft)
    return known.active;
  // Indexed: an hourly loop over 100k holders runs before V8 optimises it, and for…of then
  // allocated an iterator result per holder.
  let active = 0;
  for (let i = 0; i < holders.length; i++) if (holders[i]!.active && !holders[i]!.left) active++;
  activeCounts.set(sim, { holders: holders.length, left: sim.holdersLeft, active });
  return active;
}

function verificationMetrics(sim: Simulation) {
  let scoreSum = 0;
  let n = 0;
  let jailed = 0;
  for (const w of sim.state.workers.values()) {
    if (w.status !== 'active') continue;
    scoreSum += w.availabilityScore;
    n++;
    if (w.jailed) jailed++;
  }
  return {
    availabilityMean: n === 0 ? 0 : scoreSum / n,
    auditsOpened: sim.state.totals.auditsOpened,
    slashes: sim.state.totals.mismatchesConfirmed,
    jailedWorkers: jailed,
  };
}

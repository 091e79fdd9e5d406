import type { Address, Hex, ProtocolEvent, SealedMode } from '../../protocol/index.ts';
import { actorAddress } from './addresses.ts';
import {
  availableMsFromRuns,
  beatRanges,
  beatsIn,
  type Interval,
  lostPositions,
  scoreOfAvailableMs,
} from './heartbeatRuns.ts';
import { attestationPassesAnyway, weakestAudit } from './sealing.ts';
import type { Simulation } from './simulation.ts';

/** Oracles join at genesis (the governor registers them); adversarial workers are marked. */
export function setUpVerification(sim: Simulation): void {
  const o = sim.scenario.oracles;
  for (let i = 0; i < o.count; i++) {
    const oracle = actorAddress('oracle', i);
    sim.oracles.push(oracle);
    sim.act({ type: 'registerOracle', proposer: sim.params.governor, oracle });
  }
  const adv = sim.scenario.adversaries;
  const n = sim.workers.length;
  // The last workers are the adversaries, so honest ones keep the same indices across settings.
  for (let i = 0; i < Math.min(adv.lazyWorkers.count, n); i++)
    sim.workers[n - 1 - i]!.fakeShare = adv.lazyWorkers.fakeShare;
  for (let i = 0; i < Math.min(adv.flappingWorkers.count, n - adv.lazyWorkers.count); i++) {
    const wi = n - 1 - adv.lazyWorkers.count - i;
    sim.workers[wi]!.flapping = true;
    sim.engine.schedule(sim.engine.nowMs + 1, sim.kinds.flap, wi);
  }
}

/** A result a worker sends: the true one (its request digest, in the simulator) or a fake. */
export function resultFor(
  sim: Simulation,
  wi: number,
  job: { requestHash: Hex; sealed?: SealedMode },
): Hex {
  const { requestHash } = job;
  const w = sim.workers[wi]!;
  if (w.fakeShare === 0) return requestHash;
  // A targeting cheater fakes only where audits are weakest (sim/network/sealing.ts).
  if (sim.scenario.sealedJobs?.lazyTargetSealed && !weakestAudit(sim, job.sealed))
    return requestHash;
  if (!sim.streams.adversaries.bernoulli(w.fakeShare)) return requestHash;
  // Only fakes whose audits can resolve before the run ends are counted (and saved): a fake in
  // the last epoch would look undetected merely because the run stopped (its audit resolves
  // at the settlement after the end).
  if (sim.engine.nowMs < sim.endMs - sim.params.settlementEpochMs) {
    w.fakedJobs += 1;
    w.savingMicroUsdc += BigInt(
      Math.round(sim.scenario.adversaries.lazyWorkers.savingUsdcPerFakedJob * 1e6),
    );
  }
  return `0x${requestHash.slice(2, 65)}${requestHash.endsWith('f') ? 'e' : 'f'}`;
}

export function onVerificationEvents(sim: Simulation, e: ProtocolEvent): void {
  if (e.type === 'AuditOpened') {
    const maxMs = sim.scenario.oracles.verdictDelayMinutesMax * 60_000;
    for (const oracle of e.committee) {
      const id = sim.nextVerdictId++;
      sim.pendingVerdicts.set(id, { oracle, jobId: e.jobId });
      sim.engine.schedule(
        sim.engine.nowMs + sim.streams.oracles.int(1_000, maxMs),
        sim.kinds.verdict,
        id,
      );
    }
    if (sim.state.jobs.get(e.jobId)?.sealed !== undefined) sim.sealedCounts.audited += 1;
    if (attestationPassesAnyway(sim, e.jobId)) sim.teeBroken.add(e.jobId);
  } else if (e.type === 'AuditResolved') {
    sim.teeBroken.delete(e.jobId);
  } else if (e.type === 'Slashed') {
    const wi = sim.workerIndex.get(e.worker)!;
    sim.workers[wi]!.detections += 1;
    sim.workers[wi]!.penaltyMicroUsdc += e.slashedMicroUsdc + e.withheldMicroUsdc;
    sim.engine.schedule(Math.max(sim.engine.nowMs + 1, e.jailedUntilMs), sim.kinds.release, wi);
  }
}

/** An oracle re-executed the job: honest oracles report the true result, colluders cover it. */
export function onVerdict(sim: Simulation, id: number): void {
  const v = sim.pendingVerdicts.get(id)!;
  sim.pendingVerdicts.delete(id);
  const job = sim.state.jobs.get(v.jobId);
  if (!job?.resultHash) return;
  const colluding = sim.oracles.indexOf(v.oracle) < sim.scenario.oracles.colluding;
  sim.act({
    type: 'auditVerdict',
    oracle: v.oracle,
    jobId: v.jobId,
    // A sealed job under 'tee' is checked by its attestation: a broken one vouches for any result.
    resultHash: colluding || sim.teeBroken.has(v.jobId) ? job.resultHash : job.requestHash,
  });
}

/** After jail, a slashed worker tops its bond back up and returns (lazy ones keep cheating). */
export function onRelease(sim: Simulation, wi: number): void {
  const w = sim.workers[wi]!;
  const pw = sim.state.workers.get(w.address);
  if (!pw || w.left) return;
  const short = sim.params.workerBondMinMicroUsdc - pw.bondMicroUsdc;
  if (short > 0n) {
    sim.act({ type: 'deposit', account: w.address, asset: 'usdc', amount: short });
    sim.act({ type: 'topUpBond', worker: w.address, amountMicroUsdc: short });
  }
  sim.act({ type: 'releaseJail', worker: w.address });
  sim.requestDispatch();
}

/** Flapping workers alternate online and offline. */
export function onFlap(sim: Simulation, wi: number): void {
  const w = sim.workers[wi]!;
  if (w.left) return;
  const online = sim.state.workers.get(w.address)?.online ?? false;
  setOnline(sim, wi, !online);
  const a = sim.scenario.adversaries.flappingWorkers;
  sim.engine.schedule(
    sim.engine.nowMs + Math.round((online ? a.offMinutes : a.onMinutes) * 60_000),
    sim.kinds.flap,
    wi,
  );
}

/** The only way the simulator switches a worker on or off: the protocol and the heartbeat log agree. */
export function setOnline(sim: Simulation, wi: number, online: boolean): void {
  const w = sim.workers[wi]!;
  if (sim.act({ type: 'setWorkerOnline', worker: w.address, online }))
    w.flipsTodayMs.push(sim.engine.nowMs);
  if (online) sim.requestDispatch();
}

/**
 * Day d−1 is over: every oracle posts the scores it computed from the heartbeats it received
 * (each loses some), then the day closes. Oracles themselves are up; an outage day has no posts.
 * Heartbeats are simulated as runs (heartbeatRuns.ts): a node's online intervals, and for each
 * oracle the positions of the beats it lost, drawn one per loss.
 */
export function closeAvailability(sim: Simulation, day: number): void {
  const o = sim.scenario.oracles;
  const dayStartMs = day * sim.params.dayMs;
  if (o.heartbeats && !o.outageDays.includes(day)) {
    const ranges = sim.workers.map((w) =>
      w.left
        ? null
        : beatRanges(onlineIntervals(sim, w.flipsTodayMs, w.onlineAtDayStart, dayStartMs)),
    );
    const uniform = () => sim.streams.heartbeats.float();
    for (const oracle of sim.oracles) {
      const scores: Array<[Address, number]> = sim.workers.map((w, i) => {
        const r = ranges[i];
        if (!r) return [w.address, 0];
        const lost = lostPositions(beatsIn(r), o.heartbeatLoss, uniform);
        return [w.address, scoreOfAvailableMs(availableMsFromRuns(r, lost))];
      });
      for (const other of sim.oracles) scores.push([other, 255]);
      sim.act({ type: 'postAvailability', oracle, day, scores });
    }
  }
  sim.act({ type: 'closeAvailabilityDay', day });
  for (const w of sim.workers) {
    w.onlineAtDayStart = sim.state.workers.get(w.address)?.online ?? false;
    w.flipsTodayMs = [];
  }
}

/** The day's online intervals of a node from its state at the day's start and its flips. */
function onlineIntervals(
  sim: Simulation,
  flipsMs: number[],
  onlineAtStart: boolean,
  dayStartMs: number,
): Interval[] {
  const dayEndMs = dayStartMs + sim.params.dayMs;
  const out: Interval[] = [];
  let online = onlineAtStart;
  let from = dayStartMs;
  for (const edge of [...flipsMs.filter((t) => t >= dayStartMs && t < dayEndMs), dayEndMs]) {
    if (online && edge > from) out.push([from, edge]);
    online = !online;
    from = edge;
  }
  return out;
}

import { Lane, type ProtocolEvent, type Receipt, receiptOfJob } from '../../protocol/index.ts';
import { onVerificationEvents, resultFor } from './oracles.ts';
import type { Simulation } from './simulation.ts';

/**
 * Keeps the simulator's own view (queues, busy slots, metrics, worker income) in step with
 * what the protocol did. Called on the events of every accepted action.
 */
export function absorbEvents(sim: Simulation, events: readonly ProtocolEvent[]): void {
  for (const e of events) {
    switch (e.type) {
      case 'JobSubmitted':
        sim.metrics.count('submitted');
        sim.metrics.countSubmitted(e.lane);
        if (e.lane === Lane.included) sim.queuedIncluded++;
        else sim.queuedDedicated++;
        sim.deployments?.countSubmitted(e.model);
        break;
      case 'JobDispatched':
        onDispatched(sim, e.jobId, e.lane, e.worker);
        break;
      case 'JobCompleted': {
        sim.metrics.count('completed');
        // The job stays in state until settlement; its lane sets the SLO (goodput).
        const lane = sim.state.jobs.get(e.jobId)?.lane ?? Lane.included;
        const sloMs =
          lane === Lane.included ? sim.scenario.slo.includedMs : sim.scenario.slo.dedicatedMs;
        sim.metrics.recordEnd(lane, e.waitMs <= sloMs);
        const w = sim.workers[sim.workerIndex.get(e.worker)!]!;
        w.busySlots--;
        break;
      }
      case 'JobFailed':
      case 'JobExpired':
        sim.metrics.count(e.type === 'JobFailed' ? 'failed' : 'expired');
        sim.metrics.recordEnd(e.lane, false);
        // Waits count only dispatched jobs: expiries say who was never served.
        if (e.type === 'JobExpired')
          sim.metrics.totals[e.lane === Lane.included ? 'expiredIncluded' : 'expiredDedicated'] +=
            1;
        if (e.worker) sim.workers[sim.workerIndex.get(e.worker)!]!.busySlots--;
        else if (e.lane === Lane.included) sim.queuedIncluded--;
        else sim.queuedDedicated--;
        sim.running.delete(e.jobId);
        break;
      case 'ReplicaPlaced':
      case 'ReplicaReady':
      case 'ReplicaDropped':
      case 'DeploymentCreated':
      case 'DeploymentScaled':
      case 'DeploymentRemoved':
        sim.deployments?.onEvent(sim, e);
        break;
      case 'AuditOpened':
      case 'Slashed':
        onVerificationEvents(sim, e);
        break;
      // Ratio1's rules (PROTOCOL.md §10): a licence's mining and the escrow's pay are income too.
      case 'LicenceMined':
        creditIncome(sim, e.worker, e.amountMicroUsdc);
        break;
      case 'PoaiAllocated':
        for (const worker of e.nodes) creditIncome(sim, worker, e.perNodeMicroUsdc);
        break;
      case 'EpochSettled': {
        // Income is what settlement pays a worker (net of take), whether or not it claims yet.
        const payouts = sim.state.settlements.get(e.epoch)?.payouts;
        if (!payouts) break;
        for (const [worker, amount] of payouts) {
          const w = sim.workers[sim.workerIndex.get(worker)!]!;
          w.incomeTodayMicroUsdc += amount;
          w.incomeTotalMicroUsdc += amount;
          sim.metrics.workerIncomeMicroUsdc += amount;
        }
        break;
      }
    }
  }
}

function creditIncome(sim: Simulation, worker: string, amount: bigint): void {
  const i = sim.workerIndex.get(worker);
  if (i === undefined || amount === 0n) return;
  const w = sim.workers[i]!;
  w.incomeTodayMicroUsdc += amount;
  w.incomeTotalMicroUsdc += amount;
  sim.metrics.workerIncomeMicroUsdc += amount;
}

/** A dispatched job runs for units / (capacity / slots) seconds, plus a network delay. */
function onDispatched(sim: Simulation, jobId: number, lane: number, worker: string): void {
  const job = sim.state.jobs.get(jobId)!;
  const nowMs = sim.engine.nowMs;
  if (lane === Lane.included) sim.queuedIncluded--;
  else sim.queuedDedicated--;
  sim.metrics.recordWait(lane, nowMs - job.submittedAtMs);
  const idx = sim.workerIndex.get(worker)!;
  const w = sim.workers[idx]!;
  w.busySlots++;
  const serviceMs = Math.ceil((Number(job.units) * 1000 * w.slots) / w.capacityCuPerSec);
  const delayMs =
    sim.scenario.faults.resultDelayMsMax > 0
      ? sim.streams.delays.int(0, sim.scenario.faults.resultDelayMsMax)
      : 0;
  const finishAtMs = nowMs + serviceMs + delayMs;
  // A result that would arrive after the deadline is never sent: the job expires and counts
  // against the worker, as in the protocol.
  if (finishAtMs > job.deadlineAtMs) return;
  sim.running.set(jobId, w.generation);
  sim.engine.schedule(finishAtMs, sim.kinds.finish, jobId);
}

export function onDispatch(sim: Simulation): void {
  sim.dispatchPending = false;
  sim.act({ type: 'dispatch' });
}

/** The worker sends a signed receipt chained to its last one, unless it crashed meanwhile. */
export function onFinish(sim: Simulation, jobId: number): void {
  const generation = sim.running.get(jobId);
  sim.running.delete(jobId);
  const job = sim.state.jobs.get(jobId);
  if (generation === undefined || !job || job.status !== 'running' || !job.worker) return;
  const idx = sim.workerIndex.get(job.worker)!;
  const w = sim.workers[idx]!;
  if (w.generation !== generation) return;
  // Frozen: the simulator's verifier then hashes it once for the signature and the step.
  const receipt: Receipt = Object.freeze(
    receiptOfJob(job, {
      worker: job.worker,
      resultHash: resultFor(sim, idx, job),
      finishedAt: sim.actionNowMs,
      prev: sim.state.workers.get(job.worker)!.chainHead,
    }),
  );
  const units = Number(job.units);
  const lane = job.lane;
  if (
    sim.act({ type: 'completeJob', receipt, signature: sim.signerFor(idx).sign(receipt) }) &&
    lane === Lane.included
  )
    sim.creditsUsedTodayCu += units;
  // A freed slot matters only if something waits for it.
  if (sim.queuedIncluded + sim.queuedDedicated > 0) sim.requestDispatch();
}

export function onExpire(sim: Simulation): void {
  sim.act({ type: 'expireJobs' });
  const next = sim.engine.nowMs + Math.max(1_000, Math.floor(sim.params.jobGraceMs / 2));
  if (next <= sim.endMs) sim.engine.schedule(next, sim.kinds.expire, 0);
}

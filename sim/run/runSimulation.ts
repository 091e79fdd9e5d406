import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { keccakReady } from '../../protocol/index.ts';
import type { MetricsRow } from '../metrics/metricsCollector.ts';
import { onBoundary, onCloseReservation, onRenew } from '../network/calendar.ts';
import { onArrival, onSponsorArrival } from '../network/demand.ts';
import { onCrash, onRestart, scheduleCrash } from '../network/faults.ts';
import { genesis } from '../network/genesis.ts';
import { onDispatch, onExpire, onFinish } from '../network/jobFlow.ts';
import { onFlap, onRelease, onVerdict } from '../network/oracles.ts';
import { Simulation, type SimulationOptions } from '../network/simulation.ts';
import { onFlashIn, onFlashOut } from '../network/sybils.ts';
import { buildRunRecord, type RunRecord } from '../record/runRecord.ts';
import { sampleMetrics } from './sampleMetrics.ts';

export interface RunSimulationParameters extends SimulationOptions {
  commit: string;
  /** Called after each simulated day with the day number (progress bars). */
  onDay?: (day: number) => void;
  /** Polled between chunks of events: true stops the run, keeping what is finished. */
  shouldStop?: () => boolean;
  /** Called once the network exists, before any event runs (instrumentation, tests). */
  onReady?: (sim: Simulation) => void;
}

export type RunSimulationReturnType = RunRecord;

function defineKinds(sim: Simulation): void {
  const e = sim.engine;
  sim.kinds = {
    boundary: e.defineKind((b) => onBoundary(sim, b)),
    arrival: e.defineKind(() => onArrival(sim)),
    sponsorArrival: e.defineKind((si) => onSponsorArrival(sim, si)),
    dispatch: e.defineKind(() => onDispatch(sim)),
    finish: e.defineKind((jobId) => onFinish(sim, jobId)),
    expire: e.defineKind(() => onExpire(sim)),
    metrics: e.defineKind(() => sampleMetrics(sim)),
    crash: e.defineKind((wi) => onCrash(sim, wi)),
    restart: e.defineKind((wi) => onRestart(sim, wi)),
    renew: e.defineKind((si) => onRenew(sim, si)),
    closeReservation: e.defineKind((id) => onCloseReservation(sim, id)),
    verdict: e.defineKind((id) => onVerdict(sim, id)),
    release: e.defineKind((wi) => onRelease(sim, wi)),
    flap: e.defineKind((wi) => onFlap(sim, wi)),
    flashIn: e.defineKind((i) => onFlashIn(sim, i)),
    flashOut: e.defineKind((i) => onFlashOut(sim, i)),
    replicaReady: e.defineKind((id) => sim.deployments?.onTransferDone(sim, id)),
    rescale: e.defineKind(() => sim.deployments?.onRescale(sim)),
    check: e.defineKind(() => {
      sim.checkInvariants('periodic check');
      const next = sim.engine.nowMs + sim.scenario.run.invariantCheckIntervalMs;
      if (next <= sim.endMs) sim.engine.schedule(next, sim.kinds.check, 0);
    }),
  };
}

/**
 * Runs a scenario for `days` simulated days with a seed and returns its run record.
 * Deterministic: the same scenario, seed and days give the same actions, metrics and final
 * state hash on any machine.
 */
export async function runSimulation(p: RunSimulationParameters): Promise<RunSimulationReturnType> {
  // The fast keccak (committee draws, payout trees) instantiates asynchronously; the results
  // are the same without it, only slower.
  await keccakReady;
  const metrics: MetricsRow[] = [];
  const sim = new Simulation({ ...p, onMetrics: (row) => metrics.push(row) });
  defineKinds(sim);
  genesis(sim);
  p.onReady?.(sim);
  const { params, scenario, engine } = sim;
  engine.schedule(params.settlementEpochMs, sim.kinds.boundary, 1);
  engine.schedule(Math.max(1_000, Math.floor(params.jobGraceMs / 2)), sim.kinds.expire, 0);
  engine.schedule(scenario.run.metricsIntervalMs, sim.kinds.metrics, 0);
  if (scenario.run.invariantCheckIntervalMs > 0)
    engine.schedule(scenario.run.invariantCheckIntervalMs, sim.kinds.check, 0);
  for (let wi = 0; wi < sim.workers.length; wi++) scheduleCrash(sim, wi);
  let day = 0;
  while (engine.nowMs < sim.endMs && !sim.stoppedOnViolation) {
    const untilMs = Math.min(sim.endMs, (day + 1) * params.dayMs);
    const r = engine.run({ untilMs, eventsBudget: 200_000 });
    if (r.reason === 'until' || engine.nowMs >= untilMs) {
      day += 1;
      p.onDay?.(day);
    }
    if (r.reason === 'stopped') break;
    await yieldToEventLoop();
    if (p.shouldStop?.()) {
      sim.interrupted = true;
      break;
    }
  }
  if (!sim.stoppedOnViolation && !sim.interrupted) sim.checkInvariants('end of run');
  return buildRunRecord(sim, metrics, { commit: p.commit });
}

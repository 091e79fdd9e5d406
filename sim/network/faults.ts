import { setOnline } from './oracles.ts';
import type { Simulation } from './simulation.ts';

/** Crashes: a Poisson process per worker; a crash loses running results and takes it offline. */
export function scheduleCrash(sim: Simulation, wi: number): void {
  const rate = sim.scenario.faults.crashesPerWorkerDay / sim.params.dayMs;
  if (rate <= 0) return;
  const at = sim.engine.nowMs + Math.max(1, Math.ceil(sim.streams.faults.exponential(rate)));
  if (at < sim.endMs) sim.engine.schedule(at, sim.kinds.crash, wi);
}

export function onCrash(sim: Simulation, wi: number): void {
  const w = sim.workers[wi]!;
  if (w.left) return;
  w.generation++;
  w.crashed = true;
  setOnline(sim, wi, false);
  const downMs = Math.max(
    1_000,
    Math.ceil(
      sim.streams.faults.exponential(1 / (sim.scenario.faults.restartMinutesMean * 60_000)),
    ),
  );
  if (sim.engine.nowMs + downMs < sim.endMs)
    sim.engine.schedule(sim.engine.nowMs + downMs, sim.kinds.restart, wi);
}

export function onRestart(sim: Simulation, wi: number): void {
  const w = sim.workers[wi]!;
  w.crashed = false;
  if (w.left) return;
  setOnline(sim, wi, true);
  scheduleCrash(sim, wi);
}

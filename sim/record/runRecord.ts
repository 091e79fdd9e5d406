import { type Hex, type Params, stateHash } from '../../protocol/index.ts';
import type { MetricsRow } from '../metrics/metricsCollector.ts';
import type { Simulation, StoppedOnViolation } from '../network/simulation.ts';
import type { Scenario } from '../scenario/scenarioSchema.ts';
import { derivedOf } from './derived.ts';
import { type Derived, type Headline, isDerivedMetric, type RecordMetric } from './fields.ts';
import { headlineOf } from './headline.ts';
import { type LedgerRow, workerLedger } from './workerLedger.ts';

export type RunStatus = 'completed' | 'interrupted' | 'invariant-violated';

/** What happened, counted: the protocol's view and the engine's. */
export interface RunCounters {
  actionsApplied: number;
  /** Rejected actions by rejection code, codes in order. */
  rejections: Record<string, number>;
  eventsProcessed: number;
  holders: number;
  workers: number;
  sponsors: number;
}

/**
 * Everything a finished run is: built once, from the simulation, by `buildRunRecord`. Summary,
 * expectations, sweeps, findings and reports read this (or its files), never the simulation.
 */
export interface RunRecord {
  scenario: Scenario;
  params: Params;
  seed: string;
  /** Days asked for; `headline.daysSimulated` says how many ran. */
  days: number;
  commit: string;
  status: RunStatus;
  finalStateHash: Hex;
  /** The state hash at every day start, when asked for (--check-determinism); else null. */
  dayHashes: Hex[] | null;
  invariants: { checks: number; violation: StoppedOnViolation | null };
  counters: RunCounters;
  headline: Headline;
  derived: Derived;
  /** One row per worker (workers.csv, and what its adversary settings did). */
  workers: LedgerRow[];
  /** metrics.csv: one row per metrics interval. */
  metrics: MetricsRow[];
}

/** The run record of a simulation that has stopped (finished, interrupted or violated). */
export function buildRunRecord(
  sim: Simulation,
  metrics: MetricsRow[],
  o: { commit: string },
): RunRecord {
  const daysRun = Math.max(1, sim.engine.nowMs / sim.params.dayMs);
  const workers = workerLedger(sim.workers, daysRun);
  return {
    scenario: sim.scenario,
    params: sim.params,
    seed: String(sim.options.seed),
    days: sim.options.days,
    commit: o.commit,
    status: sim.stoppedOnViolation
      ? 'invariant-violated'
      : sim.interrupted
        ? 'interrupted'
        : 'completed',
    finalStateHash: stateHash(sim.state),
    dayHashes: sim.options.dayHashes ? sim.dayHashes : null,
    invariants: { checks: sim.invariantChecks, violation: sim.stoppedOnViolation },
    counters: {
      actionsApplied: sim.actionsApplied,
      rejections: Object.fromEntries([...sim.rejections].sort(([a], [b]) => (a < b ? -1 : 1))),
      eventsProcessed: sim.engine.eventsProcessed,
      holders: sim.holders.length,
      workers: sim.workers.length,
      sponsors: sim.sponsors.length,
    },
    headline: headlineOf(sim, workers, daysRun),
    derived: derivedOf(sim, metrics, workers),
    workers,
    metrics,
  };
}

/** A headline or derived metric by name; undefined for a profile metric of a run without profile workers. */
export function recordMetric(
  r: Pick<RunRecord, 'headline' | 'derived'>,
  name: RecordMetric,
): number | undefined {
  return isDerivedMetric(name) ? r.derived[name] : r.headline[name];
}

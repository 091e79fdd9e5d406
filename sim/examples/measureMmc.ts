import type { RootSeed } from '../rng/deriveStreamSeed.ts';
import { erlangC } from './erlangC.ts';
import { simulateMmc } from './simulateMmc.ts';

export const serviceMeanMsDefault = 1_000_000;
export const warmupFractionDefault = 0.05;

export type MeasureMmcParameters = {
  servers: number;
  rho: number;
  customers: number;
  seed: RootSeed;
  warmupFraction?: number;
  /** Wall clock for throughput figures; injected so simulation code never reads the real time. */
  wallClockMs: () => number;
  onProgress?: (customersArrived: number) => void;
};

export type MmcReport = {
  seed: RootSeed;
  servers: number;
  rho: number;
  customers: number;
  customersMeasured: number;
  warmupFraction: number;
  serviceMeanMs: number;
  arrivalRatePerMs: number;
  serviceRatePerMs: number;
  wallMs: number;
  customersPerSec: number;
  eventsPerSec: number;
  eventsProcessed: number;
  waitQueueMeanMsSimulated: number;
  /** Batch-means standard error of the simulated Wq. */
  waitQueueStdErrMs: number;
  waitQueueMeanMsErlangC: number;
  waitProbabilityErlangC: number;
  /** (simulated - Erlang C) / Erlang C. */
  relativeError: number;
  /** Standard error relative to Erlang C: how small relativeError can be expected to be. */
  relativeStdErr: number;
};

/** Runs the M/M/c example once, times it, and compares its Wq with Erlang C. */
export function measureMmc(parameters: MeasureMmcParameters): MmcReport {
  const { servers, rho, customers, seed, wallClockMs } = parameters;
  const warmupFraction = parameters.warmupFraction ?? warmupFractionDefault;
  const startMs = wallClockMs();
  const result = simulateMmc({
    servers,
    rho,
    customers,
    seed,
    warmupFraction,
    serviceMeanMs: serviceMeanMsDefault,
    onProgress: parameters.onProgress,
  });
  const wallMs = Math.max(wallClockMs() - startMs, 1e-3);
  const analytic = erlangC({
    servers,
    arrivalRatePerMs: result.arrivalRatePerMs,
    serviceRatePerMs: result.serviceRatePerMs,
  });
  return {
    seed,
    servers,
    rho,
    customers,
    customersMeasured: result.customersMeasured,
    warmupFraction,
    serviceMeanMs: serviceMeanMsDefault,
    arrivalRatePerMs: result.arrivalRatePerMs,
    serviceRatePerMs: result.serviceRatePerMs,
    wallMs,
    customersPerSec: customers / (wallMs / 1000),
    eventsPerSec: result.eventsProcessed / (wallMs / 1000),
    eventsProcessed: result.eventsProcessed,
    waitQueueMeanMsSimulated: result.waitQueueMeanMs,
    waitQueueStdErrMs: result.waitQueueStdErrMs,
    waitQueueMeanMsErlangC: analytic.waitQueueMeanMs,
    waitProbabilityErlangC: analytic.waitProbability,
    relativeError: (result.waitQueueMeanMs - analytic.waitQueueMeanMs) / analytic.waitQueueMeanMs,
    relativeStdErr: result.waitQueueStdErrMs / analytic.waitQueueMeanMs,
  };
}

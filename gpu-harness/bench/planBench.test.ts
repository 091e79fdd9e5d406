import { describe, expect, it } from 'vitest';
import { binomialCdf, serverEarlyStopping } from '../loadgen/earlyStopping.ts';
import { benchDefaults, minQueriesDefault } from './benchParameters.ts';
import {
  needsPilot,
  type PlanBenchParameters,
  planBench,
  serverMinQueries,
  singleStreamMinQueries,
} from './planBench.ts';

/** The defaults as `bench inference` resolves them when no flag is given. */
const defaults = (scenario: PlanBenchParameters['scenario'], pilot: PlanBenchParameters['pilot']) =>
  planBench({
    scenario,
    minDurationMs: benchDefaults.minDurationMs,
    maxQueries: benchDefaults.maxQueries,
    given: { minQueries: null, targetQps: null, latencyBoundMs: null, searchSteps: null },
    modelLatencyBoundMs: 15,
    pilot,
  });

// From a toy classifier (15k queries/s) to a GPT-2 on one CPU core (about one query a second).
const devices = [
  {
    name: 'toy model',
    pilot: { singleLatencyMs: 0.07, singleLatencyMaxMs: 0.2, offlineQps: 15_000, queries: 1 },
  },
  {
    name: 'ResNet-50 on a CPU',
    pilot: { singleLatencyMs: 45, singleLatencyMaxMs: 120, offlineQps: 22, queries: 1 },
  },
  {
    name: 'GPT-2 on a CPU',
    pilot: { singleLatencyMs: 900, singleLatencyMaxMs: 950, offlineQps: 1.1, queries: 1 },
  },
];

describe('planning the default run', () => {
  it('takes its minimums from LoadGen early stopping: 64 for SingleStream p90, two misses at p99 for Server', () => {
    expect(singleStreamMinQueries).toBe(64);
    expect(minQueriesDefault['single-stream']).toBe(64);
    const server = serverEarlyStopping(serverMinQueries, 2, { percentile: 0.99, confidence: 0.99 });
    expect(server.passed).toBe(true);
    expect(binomialCdf(2, serverMinQueries - 1, 0.01)).toBeGreaterThan(0.01);
    expect(
      serverEarlyStopping(serverMinQueries, 3, { percentile: 0.99, confidence: 0.99 }).passed,
    ).toBe(false);
  });

  it('pilots only what it must measure', () => {
    const base = { minDurationMs: 1, maxQueries: 10, modelLatencyBoundMs: 5 };
    const none = { minQueries: null, targetQps: null, latencyBoundMs: null, searchSteps: null };
    expect(needsPilot({ ...base, scenario: 'single-stream', given: none })).toBe(false);
    expect(needsPilot({ ...base, scenario: 'offline', given: none })).toBe(true);
    expect(needsPilot({ ...base, scenario: 'offline', given: { ...none, targetQps: 9 } })).toBe(
      false,
    );
    expect(needsPilot({ ...base, scenario: 'server', given: { ...none, targetQps: 9 } })).toBe(
      true,
    );
    expect(
      needsPilot({
        ...base,
        scenario: 'server',
        given: { ...none, targetQps: 9, latencyBoundMs: 9 },
      }),
    ).toBe(false);
  });

  for (const { name, pilot } of devices) {
    it(`${name}: Offline streams a set that outlasts the minimum duration, within maxQueries`, () => {
      const plan = defaults('offline', pilot);
      const samples = plan.expectedQueries!;
      expect(samples).toBeLessThanOrEqual(benchDefaults.maxQueries);
      expect(samples).toBeGreaterThanOrEqual(64);
      // At the pilot's rate the set lasts at least twice the minimum duration (or is the 64 floor).
      expect(
        samples === 64 || (samples / pilot.offlineQps) * 1000 >= 2 * benchDefaults.minDurationMs,
      ).toBe(true);
    });

    it(`${name}: Server runs at half the Offline rate with a bound the device can meet`, () => {
      const plan = defaults('server', pilot);
      expect(plan.targetQps! / pilot.offlineQps).toBeCloseTo(0.5, 2);
      expect(plan.search).toBeNull();
      expect(plan.minQueries).toBe(serverMinQueries);
      expect(plan.latencyBoundMs!).toBeGreaterThanOrEqual(Math.min(15, 8 * pilot.singleLatencyMs));
      expect(plan.latencyBoundMs!).toBeGreaterThanOrEqual(4 * pilot.singleLatencyMs);
      expect(plan.latencyBoundMs!).toBeGreaterThanOrEqual(2 * pilot.singleLatencyMaxMs);
      expect(plan.latencyBoundFrom).toBe(
        Math.max(8 * pilot.singleLatencyMs, 2 * pilot.singleLatencyMaxMs) > 15
          ? 'measured'
          : 'model',
      );
      expect(plan.expectedQueries).toBeGreaterThanOrEqual(serverMinQueries);
      expect(plan.expectedMs!).toBeGreaterThanOrEqual(benchDefaults.minDurationMs * 0.99);
    });

    it(`${name}: SingleStream needs nothing measured`, () => {
      expect(defaults('single-stream', null)).toMatchObject({ minQueries: 64, targetQps: null });
    });
  }

  it('keeps what the operator gave and says why it planned the rest', () => {
    const plan = planBench({
      scenario: 'server',
      minDurationMs: 1000,
      maxQueries: 10_000,
      given: { minQueries: 500, targetQps: 40, latencyBoundMs: 20, searchSteps: null },
      modelLatencyBoundMs: 15,
      pilot: null,
    });
    expect(plan).toMatchObject({
      minQueries: 500,
      targetQps: 40,
      latencyBoundMs: 20,
      latencyBoundFrom: 'flag',
    });
    const searched = defaults('server', devices[1]!.pilot);
    // ResNet-50 on a CPU: 8 × the median (360 ms) is more than 2 × the worst (240 ms).
    expect(searched.latencyBoundMs).toBe(360);
    expect(searched.notes.join('\n')).toMatch(/8 × the median \(45\.00 ms\) or 2 × the worst/);
    expect(() => defaults('offline', null)).toThrow(/needs a pilot/);
  });
});

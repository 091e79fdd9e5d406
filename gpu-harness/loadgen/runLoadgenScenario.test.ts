import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSampleLibrary } from '../models/sampleInputs.ts';
import { createRuntime, type Runtime } from '../runtime/createRuntime.ts';
import { findServerQps } from './findServerQps.ts';
import { poissonSchedule } from './poissonSchedule.ts';
import { runLoadgenScenario } from './runLoadgenScenario.ts';
import { defaultPercentiles, type LoadgenScenario, type TestSettings } from './testSettings.ts';

let runtime: Runtime;
beforeAll(async () => {
  runtime = await createRuntime({ modelName: 'mlp-s', warmupIterations: 5 });
});
afterAll(() => runtime.close());

const settings = (scenario: LoadgenScenario, o: Partial<TestSettings> = {}): TestSettings => ({
  scenario,
  minDurationMs: 200,
  minQueries: 64,
  maxQueries: 100_000,
  seed: 1,
  targetQps: null,
  latencyBoundMs: null,
  targetPercentile: defaultPercentiles[scenario],
  confidence: 0.99,
  ...o,
});

const run = (s: TestSettings) =>
  runLoadgenScenario({
    sut: runtime,
    samples: makeSampleLibrary({ model: runtime.model, seed: 1, count: 8 }),
    settings: s,
  });

describe('scenarios on cpu (structure and validity, not speed)', () => {
  it('SingleStream: meets duration and count; headline p90 and an early-stopping estimate', async () => {
    const r = await run(settings('single-stream'));
    expect(r.validity).toMatchObject({
      valid: true,
      minDurationMet: true,
      minQueriesMet: true,
      earlyStoppingMet: true,
    });
    expect(r.queriesCompleted).toBeGreaterThanOrEqual(64);
    expect(r.headline).toEqual({ name: 'p90 latency', value: r.latency!.p90Ms, unit: 'ms' });
    expect(r.latency!.p50Ms).toBeLessThanOrEqual(r.latency!.p99Ms);
    expect(r.throughput.cuPerSecond).toBeCloseTo(
      r.throughput.queriesPerSecond * runtime.model.cost.cu,
      6,
    );
  });

  it('SingleStream below 64 queries is invalid (no early-stopping estimate)', async () => {
    const r = await run(
      settings('single-stream', { minDurationMs: 0, minQueries: 10, maxQueries: 10 }),
    );
    expect(r.validity.valid).toBe(false);
    expect(r.validity.reasons.join()).toMatch(/early stopping needs 64 queries, have 10/);
  });

  it('Server: a light load passes; an impossible bound fails the perf constraint', async () => {
    const ok = await run(
      // Light on purpose: other test files share the 2 cores, so latency must have room.
      settings('server', { targetQps: 200, latencyBoundMs: 1_000, minQueries: 500 }),
    );
    expect(ok.validity).toMatchObject({
      valid: true,
      perfConstraintsMet: true,
      earlyStoppingMet: true,
    });
    expect(ok.queriesIssued).toBe(poissonSchedule({ ...ok.settings, targetQps: 200 }).length);
    const bad = await run(
      settings('server', { targetQps: 1000, latencyBoundMs: 0.001, minQueries: 500 }),
    );
    expect(bad.validity).toMatchObject({
      valid: false,
      perfConstraintsMet: false,
      earlyStoppingMet: false,
    });
  });

  it('Offline: issues everything at once and reports samples/s', async () => {
    const r = await run(settings('offline', { minDurationMs: 0, minQueries: 300 }));
    expect(r.queriesCompleted).toBe(300);
    expect(r.validity.valid).toBe(true);
    expect(r.headline.name).toBe('samples per second');
    expect(r.headline.value).toBeGreaterThan(0);
  });

  it('Server QPS search bisects between a passing and a failing rate', async () => {
    const search = await findServerQps({
      lowQps: 100,
      highQps: 1_000_000,
      iterations: 2,
      runAtQps: (q) =>
        run(
          settings('server', {
            targetQps: q,
            latencyBoundMs: 1_000,
            minQueries: 460,
            minDurationMs: 0,
          }),
        ),
    });
    expect(search.probes.map((p) => p.targetQps)).toEqual([
      100,
      500_050,
      search.probes[2]!.targetQps,
    ]);
    expect(search.bestQps).not.toBeNull();
    expect(search.best!.validity.valid).toBe(true);
  });

  it('Poisson arrivals are a pure function of the seed', () => {
    const p = { targetQps: 100, seed: 7, minDurationMs: 1000, minQueries: 10, maxQueries: 10_000 };
    expect(poissonSchedule(p)).toEqual(poissonSchedule(p));
    expect(poissonSchedule(p)).not.toEqual(poissonSchedule({ ...p, seed: 8 }));
  });
});

import { describe, expect, it } from 'vitest';
import type { Sample } from '../models/sampleInputs.ts';
import type { InferenceResult } from '../runtime/inferenceResult.ts';
import { epochNowMs } from '../runtime/workerProtocol.ts';
import { summariseRun } from './loadgenResult.ts';
import { arrivalSchedule, constantSchedule } from './poissonSchedule.ts';
import { runServer } from './runServer.ts';
import type { QueryRecord, SystemUnderTest, TestSettings } from './testSettings.ts';

const sample: Sample = {
  index: 0,
  data: new Float32Array(1),
  dims: [1],
  inputs: [],
  inputDigest: '',
};
const result = (
  issuedAtEpochMs: number,
  extra: Partial<InferenceResult['timings']> = {},
): InferenceResult => {
  const now = epochNowMs();
  return {
    model: 'm',
    modelName: 'm',
    sampleIndex: 0,
    inputDigest: '',
    output: { dims: [1], values: [0] },
    outputDigest: '',
    tolerance: { scheme: 'exact' },
    units: { cu: 1, generatedTokens: null },
    provider: 'cpu',
    ortVersion: 'test',
    timings: {
      issuedAtEpochMs,
      startedAtEpochMs: now,
      finishedAtEpochMs: now,
      queueMs: 0,
      runMs: 0,
      latencyMs: now - issuedAtEpochMs,
      firstTokenMs: null,
      timePerOutputTokenMs: null,
      ...extra,
    },
  };
};
const server = (o: Partial<TestSettings> = {}): TestSettings => ({
  scenario: 'server',
  minDurationMs: 0,
  minQueries: 200,
  maxQueries: 10_000,
  seed: 1,
  targetQps: 200,
  latencyBoundMs: 1_000,
  targetPercentile: 0.99,
  confidence: 0.99,
  ...o,
});
/** Answers on the next turn of the event loop: costs the generator nothing. */
const prompt: SystemUnderTest = {
  infer: ({ issuedAtEpochMs = epochNowMs() }) =>
    new Promise((resolve) => setImmediate(() => resolve(result(issuedAtEpochMs)))),
};
/** Holds the generator's thread for 30 ms on every 20th query, as a slow client does. */
const hogging = (): SystemUnderTest => {
  let n = 0;
  return {
    infer: (q) => {
      if (++n % 20 === 0) {
        const until = performance.now() + 30;
        while (performance.now() < until) {}
      }
      return prompt.infer(q);
    },
  };
};

describe('the Server load generator checks itself', () => {
  it('a client that keeps its schedule: lag and overhead reported, the run stands', async () => {
    const r = await runServer({
      sut: prompt,
      samples: [sample],
      settings: server({ arrivals: 'constant' }),
    });
    const g = r.generator;
    expect(g.sendLag!.count).toBe(r.queriesCompleted);
    expect(g.clientOverhead!.count).toBe(r.queriesCompleted);
    expect(g.lagBoundMs).toBe(250);
    expect(g.scheduledQps).toBeCloseTo(200, 6);
    expect(g.behind).toBe(false);
    expect(r.validity.reasons.join()).not.toMatch(/load generator/);
  });

  it('a client that blocks its own event loop falls behind: INVALID, and the client is named', async () => {
    const r = await runServer({
      sut: hogging(),
      samples: [sample],
      settings: server({ latencyBoundMs: 1_000, lagBoundMs: 5 }),
    });
    expect(r.generator.sendLag!.p99Ms).toBeGreaterThan(5);
    expect(r.generator.behind).toBe(true);
    expect(r.validity.valid).toBe(false);
    expect(r.validity.reasons.join()).toMatch(
      /the load generator fell behind its schedule: send lag p99 [\d.]+ ms \(bound 5\.00 ms\).*the client, not the system, limited this run/,
    );
  });

  it('constant arrivals are evenly spaced; Poisson ones are not', () => {
    const p = { targetQps: 50, seed: 3, minDurationMs: 1_000, minQueries: 10, maxQueries: 1_000 };
    const constant = constantSchedule(p);
    expect(constant).toHaveLength(50);
    expect(constant[49]).toBeCloseTo(1_000, 6);
    expect(new Set(constant.map((t, i) => (t - (constant[i - 1] ?? 0)).toFixed(9))).size).toBe(1);
    const poisson = arrivalSchedule({ ...p, arrivals: 'poisson' });
    expect(
      new Set(poisson.map((t, i) => (t - (poisson[i - 1] ?? 0)).toFixed(9))).size,
    ).toBeGreaterThan(10);
  });

  it('goodput: the share of requests within every SLO bound given', () => {
    const record = (ttft: number, tpot: number | null): QueryRecord => ({
      latencyMs: 100,
      firstTokenMs: ttft,
      timePerOutputTokenMs: tpot,
      cu: 1,
      generatedTokens: 4,
      finishedAtEpochMs: 0,
      sendLagMs: null,
      clientMs: 0,
    });
    const records = [record(50, 10), record(150, 10), record(50, 30), record(80, null)];
    const settings = {
      ...server({ slo: { firstTokenMs: 100, timePerOutputTokenMs: 20 } }),
      scenario: 'offline' as const,
    };
    const r = summariseRun({
      settings,
      records,
      queriesIssued: 4,
      durationMs: 2_000,
      wallMs: 2_000,
      interrupted: false,
      stopReason: null,
      sends: null,
    });
    expect(r.goodput).toEqual({
      firstTokenMs: 100,
      timePerOutputTokenMs: 20,
      met: 2,
      share: 0.5,
      requestsPerSecond: 1,
    });
  });
});

import { describe, expect, it } from 'vitest';
import {
  binomialCdf,
  minPassingQueries,
  serverEarlyStopping,
  singleStreamEarlyStopping,
} from './earlyStopping.ts';

const p90 = { percentile: 0.9, confidence: 0.99 };
const p99 = { percentile: 0.99, confidence: 0.99 };
const ramp = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('early stopping (MLPerf LoadGen estimator)', () => {
  it('binomial CDF matches hand computation', () => {
    // P(X ≤ 1), X ~ Bin(64, 0.1) = 0.9^64 + 64·0.1·0.9^63
    expect(binomialCdf(1, 64, 0.1)).toBeCloseTo(0.9 ** 64 + 6.4 * 0.9 ** 63, 12);
    expect(binomialCdf(0, 459, 0.01)).toBeCloseTo(0.99 ** 459, 12);
    expect(binomialCdf(5, 5, 0.3)).toBe(1);
  });

  it('needs 64 queries for a SingleStream p90 estimate (0.9^63·… > 1%, 0.9^64·… ≤ 1%)', () => {
    expect(minPassingQueries(1, p90)).toBe(63);
    expect(singleStreamEarlyStopping(ramp(63), p90).passed).toBe(false);
    const at64 = singleStreamEarlyStopping(ramp(64), p90);
    expect(at64).toEqual({ passed: true, estimateMs: 63, discarded: 0, queriesNeeded: 64 });
  });

  it('discards as many high latencies as LoadGen reports in its published summaries', () => {
    // "Processed at least 64 queries (N). Would discard D highest latency queries."
    for (const [n, discarded] of [
      [2048, 172],
      [2116, 178],
      [2145, 181],
      [7469, 685],
    ] as const) {
      const r = singleStreamEarlyStopping(ramp(n), p90);
      expect(r.discarded).toBe(discarded);
      expect(r.estimateMs).toBe(n - 1 - discarded);
    }
  });

  it('Server at p99: 459 queries with none over the bound pass (0.99^459 ≤ 1% < 0.99^458)', () => {
    expect(0.99 ** 459).toBeLessThanOrEqual(0.01);
    expect(0.99 ** 458).toBeGreaterThan(0.01);
    expect(serverEarlyStopping(459, 0, p99)).toEqual({
      passed: true,
      overLatency: 0,
      queriesNeeded: 459,
    });
    expect(serverEarlyStopping(458, 0, p99).passed).toBe(false);
    const three = serverEarlyStopping(1000, 3, p99);
    expect(three.passed).toBe(false);
    expect(binomialCdf(3, three.queriesNeeded, 0.01)).toBeLessThanOrEqual(0.01);
    expect(binomialCdf(3, three.queriesNeeded - 1, 0.01)).toBeGreaterThan(0.01);
  });
});

import { describe, expect, it } from 'vitest';
import { logGamma } from '../rng/logGamma.ts';
import { erlangC } from './erlangC.ts';

// Independent reference: the textbook formula summed in log space.
function erlangCLogSpace(servers: number, offeredLoad: number): number {
  const logTerm = (k: number) => k * Math.log(offeredLoad) - logGamma(k + 1);
  const rho = offeredLoad / servers;
  const logs: number[] = [];
  for (let k = 0; k < servers; k++) logs.push(logTerm(k));
  const logWaitTerm = logTerm(servers) - Math.log(1 - rho);
  logs.push(logWaitTerm);
  const max = Math.max(...logs);
  const logSum = max + Math.log(logs.reduce((sum, x) => sum + Math.exp(x - max), 0));
  return Math.exp(logWaitTerm - logSum);
}

describe('erlangC', () => {
  it('reduces to M/M/1: C = ρ and Wq = ρ / (μ - λ)', () => {
    for (const rho of [0.1, 0.5, 0.9, 0.99]) {
      const result = erlangC({
        servers: 1,
        arrivalRatePerMs: rho * 0.002,
        serviceRatePerMs: 0.002,
      });
      expect(result.waitProbability).toBeCloseTo(rho, 12);
      expect(result.waitQueueMeanMs).toBeCloseTo(rho / (0.002 - rho * 0.002), 6);
    }
  });

  it('matches hand-computed M/M/2 and M/M/3 values', () => {
    // c=2, λ=1, μ=1: P0 = 1/3, C = 1/3, Wq = 1/3.
    const two = erlangC({ servers: 2, arrivalRatePerMs: 1, serviceRatePerMs: 1 });
    expect(two.waitProbability).toBeCloseTo(1 / 3, 12);
    expect(two.waitQueueMeanMs).toBeCloseTo(1 / 3, 12);
    // c=3, λ=2, μ=1: P0 = 1/9, C = 4/9, Wq = 4/9.
    const three = erlangC({ servers: 3, arrivalRatePerMs: 2, serviceRatePerMs: 1 });
    expect(three.waitProbability).toBeCloseTo(4 / 9, 12);
    expect(three.waitQueueMeanMs).toBeCloseTo(4 / 9, 12);
    expect(three.utilization).toBeCloseTo(2 / 3, 12);
  });

  it('is stable for large c and agrees with a log-space evaluation', () => {
    for (const [servers, rho] of [
      [8, 0.9],
      [100, 0.95],
      [1000, 0.9],
      [1000, 0.999],
      [100_000, 0.999],
    ] as const) {
      const result = erlangC({ servers, arrivalRatePerMs: servers * rho, serviceRatePerMs: 1 });
      const reference = erlangCLogSpace(servers, servers * rho);
      expect(Number.isFinite(result.waitQueueMeanMs)).toBe(true);
      expect(result.waitProbability / reference).toBeCloseTo(1, 9);
    }
  });

  it('rejects unstable or invalid systems', () => {
    expect(() => erlangC({ servers: 2, arrivalRatePerMs: 2, serviceRatePerMs: 1 })).toThrow(
      /utilization=1/,
    );
    expect(() => erlangC({ servers: 0, arrivalRatePerMs: 1, serviceRatePerMs: 1 })).toThrow(
      /servers=0/,
    );
  });
});

import { describe, expect, it } from 'vitest';
import { erlangC } from './erlangC.ts';
import { simulateMmc } from './simulateMmc.ts';

function relativeError(servers: number, rho: number, customers: number, seed: number) {
  const result = simulateMmc({ servers, rho, customers, seed });
  const analytic = erlangC({
    servers,
    arrivalRatePerMs: result.arrivalRatePerMs,
    serviceRatePerMs: result.serviceRatePerMs,
  });
  return {
    error: (result.waitQueueMeanMs - analytic.waitQueueMeanMs) / analytic.waitQueueMeanMs,
    stdErr: result.waitQueueStdErrMs / analytic.waitQueueMeanMs,
    result,
  };
}

describe('simulateMmc', () => {
  // Fixed seeds, so these are exact and repeatable. Customers are sized so that the
  // batch-means standard error is ~1-1.5%: Wq's error grows steeply with ρ and
  // with c at fixed ρ (see simulateMmc.ts).
  it.each([
    [1, 0.5, 200_000],
    [2, 0.6, 400_000],
    [4, 0.7, 1_000_000],
    [8, 0.9, 2_000_000],
  ])(
    'c=%i ρ=%f agrees with Erlang C within 4 percent (%i customers)',
    (servers, rho, customers) => {
      const { error, stdErr, result } = relativeError(servers, rho, customers, 11);
      expect(Math.abs(error)).toBeLessThan(0.04);
      expect(Math.abs(error)).toBeLessThan(3 * stdErr);
      expect(result.eventsProcessed).toBe(2 * customers);
      expect(result.customersMeasured).toBe(customers - Math.floor(customers * 0.05));
    },
  );

  it('is deterministic per seed', () => {
    const a = simulateMmc({ servers: 3, rho: 0.8, customers: 20_000, seed: 'x' });
    expect(simulateMmc({ servers: 3, rho: 0.8, customers: 20_000, seed: 'x' })).toEqual(a);
    expect(simulateMmc({ servers: 3, rho: 0.8, customers: 20_000, seed: 'y' })).not.toEqual(a);
  });

  it('reports progress and validates parameters', () => {
    const seen: number[] = [];
    simulateMmc({
      servers: 2,
      rho: 0.5,
      customers: 600_000,
      seed: 1,
      onProgress: (n) => seen.push(n),
    });
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.at(-1)).toBe(600_000);
    expect(() => simulateMmc({ servers: 2, rho: 1, customers: 10, seed: 1 })).toThrow(/rho=1/);
    expect(() => simulateMmc({ servers: 0, rho: 0.5, customers: 10, seed: 1 })).toThrow(
      /servers=0/,
    );
  });
});

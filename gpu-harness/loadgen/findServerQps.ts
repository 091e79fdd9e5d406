import type { LoadgenResult } from './loadgenResult.ts';

export type FindServerQpsParameters = {
  /** Runs the Server scenario at one QPS. */
  runAtQps: (targetQps: number) => Promise<LoadgenResult>;
  /** A QPS believed to pass (may be tiny) and one believed to fail (e.g. Offline throughput). */
  lowQps: number;
  highQps: number;
  /** Bisection steps; each one is a full Server run. */
  iterations: number;
  signal?: AbortSignal;
};

export type FindServerQpsReturnType = {
  /** Highest QPS that gave a valid run, or null if none did. */
  bestQps: number | null;
  best: LoadgenResult | null;
  probes: { targetQps: number; valid: boolean; p99Ms: number | null }[];
};

/** Bisection between lowQps and highQps for the highest Server QPS whose run is valid. */
export async function findServerQps(p: FindServerQpsParameters): Promise<FindServerQpsReturnType> {
  if (!(p.lowQps > 0 && p.highQps > p.lowQps)) {
    throw new Error(`findServerQps: need 0 < lowQps < highQps, got ${p.lowQps} and ${p.highQps}`);
  }
  if (!Number.isInteger(p.iterations) || p.iterations < 1 || p.iterations > 20) {
    throw new Error(`iterations: must be an integer in 1..20, got ${p.iterations}`);
  }
  let lo = p.lowQps;
  let hi = p.highQps;
  let best: LoadgenResult | null = null;
  const probes: FindServerQpsReturnType['probes'] = [];
  const probe = async (qps: number) => {
    const result = await p.runAtQps(qps);
    probes.push({
      targetQps: qps,
      valid: result.validity.valid,
      p99Ms: result.latency?.p99Ms ?? null,
    });
    if (result.validity.valid && (best === null || qps > (best.settings.targetQps ?? 0)))
      best = result;
    return result.validity.valid;
  };
  // The low end must pass, or there is nothing to bisect.
  if (!(await probe(lo))) return { bestQps: null, best: null, probes };
  for (let i = 0; i < p.iterations && !p.signal?.aborted; i++) {
    const mid = (lo + hi) / 2;
    if (await probe(mid)) lo = mid;
    else hi = mid;
  }
  const found = best as LoadgenResult | null;
  return { bestQps: found?.settings.targetQps ?? null, best: found, probes };
}

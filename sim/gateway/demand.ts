import { type Address, Lane } from '../../protocol/index.ts';
import { RngStream } from '../rng/rngStream.ts';
import type { Scenario } from '../scenario/scenarioSchema.ts';
import type { GatewayCore } from './gatewayCore.ts';
import { GatewayError } from './gatewayError.ts';
import type { Requesters } from './scenarioGenesis.ts';
import { submitRequest } from './submitRequest.ts';

export type DemandOptions = {
  scenario: Scenario;
  requesters: Requesters;
  /** Multiplies the scenario's rates (0 = no generated demand, API only). */
  scale: number;
  /** Serve every generated job on this model name instead of the scenario's mix. */
  modelName: string | null;
  maxTokens: number;
  seed: number;
};

export type Demand = {
  /** Submits every arrival due by `nowMs`, at most `burstMax` per call (a bound, counted when hit). */
  runUntil(nowMs: number): void;
  readonly counts: { submitted: number; denied: number; capped: number };
};

/**
 * The scenario's demand at wall-clock speed: Included jobs at activeShare × holders ×
 * jobsPerDayMedian a protocol day, Dedicated jobs at utilisation × reserved rate, both × scale,
 * as Poisson processes (one seeded stream), spread over the gateway's requesters.
 */
export function createDemand(
  core: GatewayCore,
  o: DemandOptions,
  startMs: number,
  burstMax = 1_000,
): Demand {
  const s = o.scenario;
  const rng = new RngStream({
    name: 'gateway-demand',
    streamSeed: `gateway/demand/${o.seed}/${startMs}`,
  });
  const includedPerMs =
    o.requesters.holders.length === 0
      ? 0
      : (s.holders.count * s.holders.activeShare * s.holders.jobsPerDayMedian * o.scale) /
        core.params.dayMs;
  const cuMean =
    s.models.reduce((a, m) => a + m.cuPerRequest * m.weight, 0) /
    s.models.reduce((a, m) => a + m.weight, 0);
  const dedicatedPerMs =
    o.requesters.sponsors.length === 0
      ? 0
      : (s.sponsors.count * s.sponsors.utilisation * s.sponsors.rateCuPerSecMin * o.scale) /
        cuMean /
        1000;
  const totalPerMs = includedPerMs + dedicatedPerMs;
  const counts = { submitted: 0, denied: 0, capped: 0 };
  let nextAtMs = totalPerMs > 0 ? startMs + rng.exponential(totalPerMs) : Number.POSITIVE_INFINITY;
  let seq = 0;
  const pick = <T>(xs: readonly T[]): T =>
    xs[Math.min(xs.length - 1, Math.floor(rng.float() * xs.length))]!;
  const submitOne = () => {
    const dedicated = rng.float() * totalPerMs >= includedPerMs;
    const requester: Address = dedicated ? pick(o.requesters.sponsors) : pick(o.requesters.holders);
    const model = pick(
      s.models.flatMap((m) => Array(Math.max(1, Math.round(m.weight * 10))).fill(m)),
    );
    const modelName = o.modelName ?? model.name;
    const params = {
      messages: [{ role: 'user', content: `request ${++seq} from ${requester}` }],
      max_tokens: o.maxTokens,
      seed: seq,
    };
    try {
      submitRequest({
        core,
        lane: dedicated ? Lane.dedicated : Lane.included,
        requester,
        modelName,
        params,
        units: BigInt(model.cuPerRequest),
      });
      counts.submitted++;
    } catch (error) {
      if (!(error instanceof GatewayError)) throw error;
      counts.denied++;
    }
  };
  return {
    counts,
    runUntil(nowMs) {
      let n = 0;
      while (nextAtMs <= nowMs) {
        if (n++ >= burstMax) {
          counts.capped++;
          nextAtMs = nowMs;
          break;
        }
        submitOne();
        nextAtMs += rng.exponential(totalPerMs);
      }
    },
  };
}

import { RngUsageError } from './rngErrors.ts';
import type { RngStream } from './rngStream.ts';

export const dayMs = 86_400_000;
const hourMs = 3_600_000;

export type DiurnalProfile = {
  /** Mean rate over a day (events per ms). */
  ratePerMsMean: number;
  /** Relative swing in [0, 1]: rate runs from mean·(1-amplitude) to mean·(1+amplitude). */
  amplitude: number;
  /** Hour of day in [0, 24) at which the rate peaks. */
  peakHour: number;
};

/** Sinusoidal day profile: rate(tMs) = mean · (1 + amplitude · cos(2π (tMs - peak) / day)). */
export function diurnalRate(profile: DiurnalProfile): (tMs: number) => number {
  validateProfile(profile);
  const { ratePerMsMean, amplitude } = profile;
  const peakMs = profile.peakHour * hourMs;
  const radiansPerMs = (2 * Math.PI) / dayMs;
  return (tMs) => ratePerMsMean * (1 + amplitude * Math.cos((tMs - peakMs) * radiansPerMs));
}

export type NextArrivalByThinningParameters = {
  stream: RngStream;
  /** Time of the previous arrival (or the start), ms; may be fractional. */
  afterMs: number;
  ratePerMs: (tMs: number) => number;
  /** An upper bound of ratePerMs over all t; thinning is exact only if it really bounds it. */
  ratePerMsMax: number;
  /** Candidate draws allowed before failing loudly (a rate that is ~0 for too long). */
  candidatesMax?: number;
};

/**
 * Next arrival of a non-homogeneous Poisson process by thinning (Lewis & Shedler 1979):
 * draw candidates at the constant rate ratePerMsMax and keep each with probability
 * rate(t)/ratePerMsMax. Returns continuous time in ms: keep it as the process state and
 * round up (Math.ceil) only when scheduling, so rounding does not accumulate.
 */
export function nextArrivalByThinningMs(parameters: NextArrivalByThinningParameters): number {
  const { stream, ratePerMs, ratePerMsMax } = parameters;
  const candidatesMax = parameters.candidatesMax ?? 1_000_000;
  if (!(ratePerMsMax > 0 && ratePerMsMax < Number.POSITIVE_INFINITY)) {
    throw new RngUsageError({
      field: 'ratePerMsMax',
      value: ratePerMsMax,
      reason: 'must be finite and > 0',
    });
  }
  let tMs = parameters.afterMs;
  for (let i = 0; i < candidatesMax; i++) {
    tMs += -Math.log(1 - stream.next()) / ratePerMsMax;
    const rate = ratePerMs(tMs);
    if (rate > ratePerMsMax * (1 + 1e-12)) {
      throw new RngUsageError({
        field: 'ratePerMsMax',
        value: ratePerMsMax,
        reason: `is below rate(${tMs})=${rate}`,
      });
    }
    if (stream.next() * ratePerMsMax < rate) return tMs;
  }
  throw new RngUsageError({
    field: 'candidatesMax',
    value: candidatesMax,
    reason: 'reached without an arrival',
  });
}

/** Next arrival after `afterMs` of a Poisson process whose rate follows the day profile. */
export function nextDiurnalArrivalMs(parameters: {
  stream: RngStream;
  afterMs: number;
  profile: DiurnalProfile;
}): number {
  const { profile } = parameters;
  return nextArrivalByThinningMs({
    stream: parameters.stream,
    afterMs: parameters.afterMs,
    ratePerMs: diurnalRate(profile),
    ratePerMsMax: profile.ratePerMsMean * (1 + profile.amplitude),
  });
}

function validateProfile(profile: DiurnalProfile): void {
  if (!(profile.ratePerMsMean > 0 && profile.ratePerMsMean < Number.POSITIVE_INFINITY)) {
    throw new RngUsageError({
      field: 'ratePerMsMean',
      value: profile.ratePerMsMean,
      reason: 'must be finite and > 0',
    });
  }
  if (!(profile.amplitude >= 0 && profile.amplitude <= 1)) {
    throw new RngUsageError({
      field: 'amplitude',
      value: profile.amplitude,
      reason: 'must be in [0, 1]',
    });
  }
  if (!(profile.peakHour >= 0 && profile.peakHour < 24)) {
    throw new RngUsageError({
      field: 'peakHour',
      value: profile.peakHour,
      reason: 'must be in [0, 24)',
    });
  }
}

import type { AllotmentSchedule } from './params.ts';
import { isqrt } from './units.ts';

/** Nominal daily credits as an exact fraction num/den (σ = 1), before the treasury bound. */
export interface NominalCredits {
  num: bigint;
  den: bigint;
}

export interface NominalCreditsParameters {
  schedule: AllotmentSchedule;
  stakeOneWei: bigint;
  thresholdOneWei: bigint;
  creditsPerThresholdCu: bigint;
}

/**
 * linear: A · stake / T (sybil-neutral: a split never adds up to more);
 * sqrt:   A · sqrt(stake / T) = A · sqrt(stake · T) / T (concave: splitting gains);
 * tiers:  the credits of the highest tier reached.
 * Below the threshold every schedule gives nothing. Every schedule of one day shares `den`.
 */
export function nominalCredits(p: NominalCreditsParameters): NominalCredits {
  const { schedule, stakeOneWei: s, thresholdOneWei: T, creditsPerThresholdCu: A } = p;
  const den = schedule.kind === 'tiers' ? 1n : T;
  if (s < T) return { num: 0n, den };
  switch (schedule.kind) {
    case 'linear':
      return { num: A * s, den };
    case 'sqrt':
      return { num: A * isqrt(s * T), den };
    case 'tiers': {
      let credits = 0n;
      for (const tier of schedule.tiers) if (s >= tier.minStakeOneWei) credits = tier.creditsCu;
      return { num: credits, den };
    }
  }
}

export interface TreasuryBoundParameters {
  treasuryMicroUsdc: bigint;
  budgetMaxMicroUsdc: bigint;
  runwayDays: number;
  priceMicroUsdcPerCu: bigint;
  /** Σ num over eligible holders, with the schedule's common den. */
  nominalNumTotal: bigint;
  den: bigint;
}

/**
 * B_d = min(B_max, floor(treasury / runwayDays)); σ_d = min(1, B_d / (nominal credits · price)).
 * σ is returned as an exact ratio so that Σ floor(num_i · σ / den) · price ≤ B_d always.
 */
export function treasuryBound(p: TreasuryBoundParameters): {
  budgetMicroUsdc: bigint;
  sigma: { num: bigint; den: bigint };
} {
  const byRunway = p.treasuryMicroUsdc / BigInt(p.runwayDays);
  const budgetMicroUsdc = byRunway < p.budgetMaxMicroUsdc ? byRunway : p.budgetMaxMicroUsdc;
  const costNum = p.priceMicroUsdcPerCu * p.nominalNumTotal; // nominal cost = costNum / den
  if (costNum === 0n || costNum <= budgetMicroUsdc * p.den)
    return { budgetMicroUsdc, sigma: { num: 1n, den: 1n } };
  return { budgetMicroUsdc, sigma: { num: budgetMicroUsdc * p.den, den: costNum } };
}

/** credits = floor(num · σ / den). */
export const allotmentCu = (n: NominalCredits, sigma: { num: bigint; den: bigint }): bigint =>
  (n.num * sigma.num) / (n.den * sigma.den);

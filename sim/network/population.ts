import type { Faker } from '@faker-js/faker';
// The English locale alone: the package's main entry loads every locale (~70 of them, ~170 ms
// of a run's start). Its instance gives the Faker class and the merged en + base definitions.
import { faker as english } from '@faker-js/faker/locale/en';
import type { Address } from '../../protocol/index.ts';
import { ONE, USDC } from '../../protocol/index.ts';
import type { RngStream } from '../rng/rngStream.ts';
import type { Scenario } from '../scenario/scenarioSchema.ts';
import { actorAddress } from './addresses.ts';

export interface HolderAgent {
  address: Address;
  handle: string;
  stakeOneWei: bigint;
  jobsPerDay: number;
  readonly active: boolean;
  /** Set once, by `Simulation.holderLeaves` (metrics count active holders by its tally). */
  readonly left: boolean;
  attemptsToday: number;
  deniedToday: number;
  /** Sybil accounts share a group id (the index of the first account); -1 otherwise. */
  sybilGroup: number;
}

export interface WorkerAgent {
  address: Address;
  operator: string;
  region: string;
  models: number[];
  slots: number;
  capacityCuPerSec: number;
  costMicroUsdcPerDay: bigint;
  /** Bumped at each crash: results of jobs started before it are lost. */
  generation: number;
  crashed: boolean;
  left: boolean;
  incomeTodayMicroUsdc: bigint;
  incomeTotalMicroUsdc: bigint;
  daysBelowCost: number;
  busySlots: number;
  /** Adversaries: a lazy worker fakes this share of results (0 = honest). */
  fakeShare: number;
  fakedJobs: number;
  savingMicroUsdc: bigint;
  /** Confirmed mismatches against this worker, and what they cost it (slash + withheld). */
  detections: number;
  penaltyMicroUsdc: bigint;
  flapping: boolean;
  /** Added from a measured capacity profile (`--workers-from`). */
  fromProfile: boolean;
  /** Online/offline switches today, as times (ms) where the state flips; for heartbeats. */
  flipsTodayMs: number[];
  onlineAtDayStart: boolean;
}

export interface SponsorAgent {
  address: Address;
  company: string;
  rateCuPerSec: number;
  /** Index into the scenario's models, or -1 for "every model". */
  model: number;
  reservationId: number;
  /** A griefing sponsor reserves and never submits. */
  griefing: boolean;
}

/** Faker, seeded from the run's population stream, for names people read in reports. */
export function seededFaker(stream: RngStream): Faker {
  const FakerClass = english.constructor as typeof Faker;
  // rawDefinitions is [en, base] merged, as `new Faker({ locale: [en, base] })` merges them.
  const faker = new FakerClass({ locale: english.rawDefinitions });
  faker.seed(stream.int(0, 2 ** 31 - 1));
  return faker;
}

/** Up to 15 digits of precision survive; below 1e-3 ONE rounds down (stakes are whole-ish). */
export const oneWei = (one: number): bigint => (BigInt(Math.floor(one * 1_000)) * ONE) / 1_000n;
export const microUsdc = (usdc: number): bigint => BigInt(Math.round(usdc * 1e6));
export { USDC };

export function makeHolder(i: number, s: Scenario, rng: RngStream, faker: Faker): HolderAgent {
  const h = s.holders;
  return {
    address: actorAddress('holder', i),
    handle: faker.internet.username(),
    stakeOneWei: oneWei(rng.pareto(h.stakeMinOne, h.stakeParetoAlpha)),
    jobsPerDay: rng.logNormal(Math.log(h.jobsPerDayMedian), h.jobsPerDaySigma),
    active: rng.bernoulli(h.activeShare),
    left: false,
    attemptsToday: 0,
    deniedToday: 0,
    sybilGroup: -1,
  };
}

export function makeWorker(i: number, s: Scenario, rng: RngStream, faker: Faker): WorkerAgent {
  const w = s.workers;
  const modelsCount = Math.min(w.modelsPerWorker, s.models.length);
  const models = rng
    .shuffle(s.models.map((_, k) => k))
    .slice(0, modelsCount)
    .sort((a, b) => a - b);
  const cost = w.costUsdcPerDayMedian * rng.logNormal(0, 0.3);
  return {
    address: actorAddress('worker', i),
    operator: faker.company.name(),
    region: faker.location.countryCode(),
    models,
    slots: w.slots,
    capacityCuPerSec: Math.max(
      1,
      Math.round(rng.logNormal(Math.log(w.capacityCuPerSecMedian), w.capacityCuPerSecSigma)),
    ),
    costMicroUsdcPerDay: microUsdc(cost),
    generation: 0,
    crashed: false,
    left: false,
    incomeTodayMicroUsdc: 0n,
    incomeTotalMicroUsdc: 0n,
    daysBelowCost: 0,
    busySlots: 0,
    fakeShare: 0,
    fakedJobs: 0,
    savingMicroUsdc: 0n,
    detections: 0,
    penaltyMicroUsdc: 0n,
    flapping: false,
    fromProfile: false,
    flipsTodayMs: [],
    onlineAtDayStart: true,
  };
}

export function makeSponsor(i: number, s: Scenario, rng: RngStream, faker: Faker): SponsorAgent {
  const p = s.sponsors;
  return {
    address: actorAddress('sponsor', i),
    company: faker.company.name(),
    rateCuPerSec: Math.round(
      p.rateCuPerSecMin + rng.float() * (p.rateCuPerSecMax - p.rateCuPerSecMin),
    ),
    model: s.models.length === 1 ? 0 : rng.int(-1, s.models.length - 1),
    reservationId: 0,
    griefing: false,
  };
}

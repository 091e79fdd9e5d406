import { describe, expect, it } from 'vitest';
import {
  checkParams,
  defaultParams,
  InvalidParamsError,
  type ParamsInput,
  resolveParams,
} from './params.ts';
import { ONE, USDC } from './units.ts';

// Written for surviving mutants (docs/auditing.md): the documented defaults, and every
// cross-field rule at its boundary (the value just accepted, the one just refused).
const DAY = 86_400_000;

const issues = (input: unknown) => {
  const r = checkParams(input);
  return r.ok ? [] : r.issues;
};
const fields = (input: unknown) => issues(input).map((i) => i.field);

describe('parameters', () => {
  it('defaults are the documented values', () => {
    expect(defaultParams()).toEqual({
      dayMs: DAY,
      settlementEpochMs: DAY / 4,
      stakeThresholdOneWei: 1_000n * ONE,
      creditsPerThresholdCu: 5_000n,
      allotmentSchedule: { kind: 'linear' },
      unstakeUnbondingMs: 7 * DAY,
      includedPriceMicroUsdcPerCu: 2n,
      dedicatedPriceMicroUsdcPerCu: 3n,
      includedBudgetMaxMicroUsdc: 20_000n * USDC,
      runwayDays: 90,
      dedicatedFee: { num: 1n, den: 10n },
      takeRate: { num: 5n, den: 100n },
      dedicatedBurstMs: 60_000,
      reservationMinMs: 3_600_000,
      reservationMaxMs: 90 * DAY,
      jobDeadlineDefaultMs: 300_000,
      jobDeadlineMaxMs: 1_800_000,
      jobGraceMs: 60_000,
      workerBondMinMicroUsdc: 500n * USDC,
      workerUnbondingMs: 7 * DAY,
      workerSlotsMax: 256,
      workerModelsMax: 32,
      routingScanMax: 8,
      jobsOpenMax: 5_000_000,
      governor: '0x00000000000000000000000000000000000000a0',
      timelockMs: 2 * DAY,
      kycRequired: true,
      attestors: ['0x00000000000000000000000000000000000000a1'],
      jailMs: 7 * DAY,
      availabilityMinScore: 128,
      availabilityWeighting: true,
      availabilityRewardMicroUsdcPerDay: 0n,
      poaOracleMinScore: 230,
      poaQuorumOfRegistered: { num: 30n, den: 100n },
      poaQuorumOfOnline: { num: 40n, den: 100n },
      auditSampleRate: { num: 5n, den: 100n },
      auditCommitteeSize: 3,
      auditQuorum: 2,
      slashFraction: { num: 50n, den: 100n },
      bountyFraction: { num: 10n, den: 100n },
      oracleFeeMicroUsdcPerVerdict: 500n,
    });
    expect(checkParams(undefined)).toEqual({ ok: true, params: defaultParams() });
    expect(resolveParams()).toEqual(defaultParams());
  });

  it('reads amounts as bigints, decimal strings or integers, and ratios within [0, 1]', () => {
    expect(
      resolveParams({ oracleFeeMicroUsdcPerVerdict: '7' as never }).oracleFeeMicroUsdcPerVerdict,
    ).toBe(7n);
    expect(
      resolveParams({ oracleFeeMicroUsdcPerVerdict: 8 as never }).oracleFeeMicroUsdcPerVerdict,
    ).toBe(8n);
    expect(resolveParams({ takeRate: { num: 1n, den: 1n } }).takeRate).toEqual({
      num: 1n,
      den: 1n,
    });
    expect(resolveParams({ takeRate: { num: 0n, den: 1n } }).takeRate).toEqual({
      num: 0n,
      den: 1n,
    });
    for (const bad of ['-1', '1.5', '1e3', ' 1', 1.5, -1])
      expect(fields({ oracleFeeMicroUsdcPerVerdict: bad })).toEqual([
        'oracleFeeMicroUsdcPerVerdict',
      ]);
    expect(issues({ takeRate: { num: 2n, den: 1n } })[0]!.message).toBe(
      'ratio must satisfy 0 ≤ num ≤ den, den > 0',
    );
    expect(fields({ takeRate: { num: 0n, den: 0n } })).toEqual(['takeRate']);
    expect(fields({ governor: '0xAB' })).toEqual(['governor']);
    expect(fields({ governor: `0x${'a'.repeat(40)}0` })).toEqual(['governor']);
    expect(fields({ governor: `x0x${'a'.repeat(40)}` })).toEqual(['governor']);
    expect(issues({ governor: 'bob' })[0]!.message).toBe('expected a lower-case 0x address');
    expect(fields({ dayMs: 0 })).toEqual(['dayMs']);
    expect(fields({ dayMs: 1.5 })).toEqual(expect.arrayContaining(['dayMs']));
  });

  it('tiers: at least one, with strictly ascending minimums', () => {
    const tiers = (t: Array<[bigint, bigint]>) =>
      ({
        allotmentSchedule: {
          kind: 'tiers',
          tiers: t.map(([minStakeOneWei, creditsCu]) => ({ minStakeOneWei, creditsCu })),
        },
      }) as ParamsInput;
    expect(
      checkParams(
        tiers([
          [1n, 5n],
          [2n, 9n],
        ]),
      ).ok,
    ).toBe(true);
    expect(fields(tiers([]))).toEqual(['allotmentSchedule.tiers']);
    expect(
      issues(
        tiers([
          [2n, 5n],
          [2n, 9n],
        ]),
      )[0]!.message,
    ).toBe('tiers must have strictly ascending minStakeOneWei');
    expect(
      fields(
        tiers([
          [3n, 5n],
          [2n, 9n],
        ]),
      ),
    ).toEqual(['allotmentSchedule.tiers']);
    expect(checkParams({ allotmentSchedule: { kind: 'sqrt' } }).ok).toBe(true);
    expect(fields({ allotmentSchedule: { kind: 'log' } })).toEqual(['allotmentSchedule.kind']);
  });

  it('cross-field rules, each at its boundary, with the field named', () => {
    const ok = (p: object) => expect(checkParams(p).ok, Object.keys(p).join()).toBe(true);
    const bad = (p: object, field: string, message: RegExp) => {
      const found = issues(p);
      expect(
        found.map((i) => i.field),
        Object.keys(p).join(),
      ).toEqual([field]);
      expect(found[0]!.message).toMatch(message);
    };
    bad(
      { settlementEpochMs: 7 * 3_600_000 },
      'settlementEpochMs',
      /must divide dayMs \(86400000\), got 25200000/,
    );
    ok({ settlementEpochMs: 8 * 3_600_000, jobDeadlineMaxMs: 1_800_000 });
    ok({ jobDeadlineMaxMs: DAY / 4 - 60_000 });
    bad(
      { jobDeadlineMaxMs: DAY / 4 - 59_999 },
      'jobDeadlineMaxMs',
      /must not exceed settlementEpochMs/,
    );
    ok({ jobDeadlineDefaultMs: 1_800_000 });
    bad(
      { jobDeadlineDefaultMs: 1_800_001 },
      'jobDeadlineDefaultMs',
      /must be ≤ jobDeadlineMaxMs \(1800000\)/,
    );
    bad({ stakeThresholdOneWei: 0n }, 'stakeThresholdOneWei', /must be > 0/);
    ok({ stakeThresholdOneWei: 1n });
    bad({ includedPriceMicroUsdcPerCu: 0n }, 'includedPriceMicroUsdcPerCu', /must be > 0/);
    bad({ dedicatedPriceMicroUsdcPerCu: 0n }, 'dedicatedPriceMicroUsdcPerCu', /must be > 0/);
    ok({ includedPriceMicroUsdcPerCu: 1n, dedicatedPriceMicroUsdcPerCu: 1n });
    ok({ reservationMinMs: 5_000, reservationMaxMs: 5_000 });
    bad(
      { reservationMinMs: 6_000, reservationMaxMs: 5_000 },
      'reservationMinMs',
      /must be ≤ reservationMaxMs/,
    );
    bad({ reservationMinMs: 5_500 }, 'reservationMinMs', /must be whole seconds/);
    ok({ auditCommitteeSize: 5, auditQuorum: 3 });
    bad(
      { auditCommitteeSize: 4, auditQuorum: 2 },
      'auditQuorum',
      /must be more than half of auditCommitteeSize \(4\), got 2/,
    );
    ok({ auditCommitteeSize: 1, auditQuorum: 1 });
    bad(
      { auditCommitteeSize: 3, auditQuorum: 4 },
      'auditQuorum',
      /must be ≤ auditCommitteeSize \(3\)/,
    );
  });

  it('resolveParams throws one error naming every bad field; a non-object is a root issue', () => {
    expect(() =>
      resolveParams({ stakeThresholdOneWei: 0n, includedPriceMicroUsdcPerCu: 0n }),
    ).toThrow(
      'params.stakeThresholdOneWei: must be > 0; params.includedPriceMicroUsdcPerCu: must be > 0',
    );
    try {
      resolveParams({ runwayDays: -1 });
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidParamsError);
      expect((e as Error).name).toBe('InvalidParamsError');
      expect((e as InvalidParamsError).issues.map((i) => i.field)).toEqual(['runwayDays']);
    }
    expect(fields(5)).toEqual(['(root)']);
  });
});

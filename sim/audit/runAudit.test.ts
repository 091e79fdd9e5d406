import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { StepFn } from '../../protocol/audit/randomRun.ts';
import { invariantNames } from '../../protocol/invariants/stateInvariants.ts';
import { type RejectionCode, rejectionCodes } from '../../protocol/rejections.ts';
import { step } from '../../protocol/step.ts';
import { laneCodes, lanesUnreached, rareStates, untested } from './coverage.ts';
import { caseSeedOf, runAudit } from './runAudit.ts';
import { applySwarm, enabledKinds, marketKinds, swarmArb } from './swarm.ts';

describe('runAudit over the model', () => {
  // A default `onesim audit --runs 200` (seed 1): what the issue-21 detectors are measured at.
  const r = runAudit({ seed: 1, runs: 200, failuresDir: null });

  it('passes on the current protocol and lists every check, rejection code and rare state', () => {
    expect(r.ok).toBe(true);
    expect(r.runs).toBe(200);
    expect(Object.keys(r.coverage.rejections)).toEqual([...rejectionCodes]);
    expect(Object.keys(r.coverage.rareStates)).toEqual(Object.keys(rareStates));
    for (const name of invariantNames) expect(r.coverage.checks[name]).toBeGreaterThan(0);
    // Zeros are reported, not hidden: some corners stay unreached (ClockWentBackwards…).
    expect(untested(r.coverage).length).toBeGreaterThan(0);
  });

  it('reaches every job-related rejection code in every lane where it applies (the pinned list)', () => {
    // The pinned list: each code and the lanes (pushed and leased jobs of both lanes) where it
    // applies. A change to it is deliberate; a cell the generator stops reaching fails here.
    expect(laneCodes).toEqual({
      BadSignature: ['included', 'dedicated', 'included leased', 'dedicated leased'],
      BadChainLink: ['included', 'dedicated', 'included leased', 'dedicated leased'],
      ReceiptMismatch: ['included', 'dedicated', 'included leased', 'dedicated leased'],
      WrongWorker: ['included', 'dedicated', 'included leased', 'dedicated leased'],
      JobNotRunning: ['included', 'dedicated'],
      UnknownJob: ['included', 'dedicated'],
      LeaseExpired: ['included leased', 'dedicated leased'],
      UnknownWorker: ['included leased', 'dedicated leased'],
      WorkerNotActive: ['included leased', 'dedicated leased'],
      InsufficientCredits: ['included'],
      QueueFull: ['included', 'dedicated'],
      UnknownReservation: ['dedicated'],
      NotReservationOwner: ['dedicated'],
      ReservationNotActive: ['dedicated'],
      ModelNotCovered: ['dedicated'],
      ReservationExhausted: ['dedicated'],
    });
    expect(lanesUnreached(r.coverage)).toEqual([]);
    // The contended states the generator is biased toward are reached too.
    for (const state of [
      'dedicated receipt settled',
      'reservation ended with refund',
      'lease ran out',
      'job failed with refund',
    ] as const)
      expect(r.coverage.rareStates[state], state).toBeGreaterThan(0);
    for (const check of [
      'receiptsValid',
      'jobsRefunded',
      'snapshotBonded',
      'reservationRefund',
    ] as const)
      expect(r.coverage.checks[check], check).toBeGreaterThan(0);
  });

  it('is deterministic: same seed, same runs ⇒ same coverage and findings', () => {
    const a = runAudit({ seed: 5, runs: 15, failuresDir: null });
    const b = runAudit({ seed: 5, runs: 15, failuresDir: null });
    expect(b).toEqual(a);
    expect(runAudit({ seed: 6, runs: 15, failuresDir: null }).coverage).not.toEqual(a.coverage);
  });

  it('stops at a time limit with an injected clock', () => {
    let now = 0;
    const r = runAudit({ seed: 1, timeMs: 5, clockMs: () => now++, failuresDir: null });
    expect(r.runs).toBeLessThan(6);
  });

  it('spreads run seeds', () => {
    const seeds = new Set(Array.from({ length: 1_000 }, (_, i) => caseSeedOf(1, i)));
    expect(seeds.size).toBe(1_000);
  });
});

describe('swarm testing', () => {
  it('disables some kinds, never all, and only draws enabled kinds', () => {
    fc.assert(
      fc.property(swarmArb, fc.array(fc.nat(0xffff)), (swarm, rolls) => {
        const kinds = enabledKinds(swarm);
        expect(kinds.length).toBeGreaterThan(0);
        const intents = applySwarm(
          swarm,
          rolls.map((roll) => ({ roll, a: 0, b: 0, c: 0, dtMs: 30 * 3_600_000 })),
        );
        for (const it of intents) expect(kinds).toContain(it.kind);
        if (swarm.shortGaps) for (const it of intents) expect(it.dtMs).toBeLessThan(21_600_000);
      }),
      { seed: 3, numRuns: 200 },
    );
    const samples = fc.sample(swarmArb, { seed: 4, numRuns: 50 });
    expect(samples.some((s) => enabledKinds(s).length < 32)).toBe(true);
  });

  it('a third of the runs are market runs: market kinds only, a reservation first, minute steps', () => {
    const samples = fc.sample(swarmArb, { seed: 5, numRuns: 300 });
    const market = samples.filter((s) => s.market);
    expect(market.length).toBeGreaterThan(60);
    expect(market.length).toBeLessThan(140);
    for (const swarm of market) {
      expect(marketKinds).toEqual(expect.arrayContaining(enabledKinds(swarm)));
      const intents = applySwarm(
        swarm,
        [1, 2, 3].map((roll) => ({ roll, a: 0, b: 0, c: 0, dtMs: 30 * 3_600_000 - 1 })),
      );
      expect(intents[0]!.kind).toBe('reserve');
      for (const it of intents) expect(it.dtMs).toBeLessThan(60_000);
    }
    // The others keep the full mix (kinds beyond the market's).
    expect(samples.filter((s) => !s.market).every((s) => enabledKinds(s).length > 16)).toBe(true);
  });
});

describe('a rejection must say why', () => {
  it('a rejection without a message (or with an unknown code) is a finding: rejectionExplained', () => {
    const mute: StepFn = (state, action, nowMs, env) => {
      const r = step(state, action, nowMs, env);
      return r.ok ? r : { ...r, message: '' };
    };
    const r = runAudit({ seed: 1, runs: 5, failuresDir: null, stepFn: mute, shrinkRuns: 0 });
    expect(r.findings.map((f) => f.failure.finding.check)).toEqual(['rejectionExplained']);
    expect(r.findings[0]!.failure.finding.message).toMatch(/with code "\w+" and message ""/);
    const unknown: StepFn = (state, action, nowMs, env) => {
      const r = step(state, action, nowMs, env);
      return r.ok ? r : { ...r, code: 'Nope' as RejectionCode };
    };
    const u = runAudit({ seed: 1, runs: 5, failuresDir: null, stepFn: unknown, shrinkRuns: 0 });
    expect(u.findings.map((f) => f.failure.finding.check)).toEqual(['rejectionExplained']);
  });
});

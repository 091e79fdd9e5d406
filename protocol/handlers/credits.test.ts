import { describe, expect, it } from 'vitest';
import { holderAddr, includedJob, MODEL_A, smallNetwork, workerAddr } from '../testing/network.ts';
import { ONE, USDC } from '../units.ts';

const DAY = 86_400_000;

describe('daily credits', () => {
  it('allots floor(A · stake / T · σ) at the day snapshot: 2,500 ONE → 12,500 CU, 1,000 ONE → 5,000 CU', () => {
    const d = smallNetwork();
    expect(d.state.holders.get(holderAddr(0))!.allotmentCu).toBe(12_500n);
    expect(d.state.holders.get(holderAddr(1))!.allotmentCu).toBe(5_000n);
    // Earmark = 17,500 CU × 2 µUSDC; B_d = 100,000 USDC / 90 = 1,111.111111 USDC.
    const b = d.state.dayBudgets.get(0)!;
    expect(b.earmarkedMicroUsdc).toBe(35_000n);
    expect(b.budgetMicroUsdc).toBe(1_111_111_111n);
    expect(d.state.treasuryMicroUsdc).toBe(100_000n * USDC - 35_000n);
  });

  it('stake added during a day counts from the next day; unstaked stake grants nothing', () => {
    const d = smallNetwork();
    const h = holderAddr(1);
    d.run({ type: 'deposit', account: h, asset: 'one', amount: 1_000n * ONE });
    d.run({ type: 'stake', holder: h, amountOneWei: 1_000n * ONE });
    expect(d.state.holders.get(h)!.allotmentCu).toBe(5_000n);
    d.at(DAY).run({ type: 'startDay', day: 1 });
    expect(d.state.holders.get(h)!.allotmentCu).toBe(10_000n);
    d.run({ type: 'unstake', holder: h, amountOneWei: 1_500n * ONE });
    d.at(2 * DAY).run({ type: 'startDay', day: 2 });
    expect(d.state.holders.get(h)!.allotmentCu).toBe(0n); // 500 ONE left < T
    expect(d.attempt({ type: 'claimUnbonded', holder: h })).toMatchObject({
      ok: false,
      code: 'NothingToClaim',
    });
    d.at(DAY + 7 * DAY).run({ type: 'claimUnbonded', holder: h });
    expect(d.state.accounts.get(h)!.one).toBe(1_500n * ONE);
  });

  it('reserves credits on submission, uses them on completion, refunds on expiry; no roll-over', () => {
    const d = smallNetwork();
    const h = holderAddr(1);
    d.run(includedJob(h, 3_000n));
    expect(d.attempt(includedJob(h, 2_001n))).toMatchObject({
      ok: false,
      code: 'InsufficientCredits',
    });
    d.run({ type: 'dispatch' });
    d.at(1_000).complete(1);
    const holder = d.state.holders.get(h)!;
    expect([holder.usedCu, holder.reservedCu]).toEqual([3_000n, 0n]);
    d.run(includedJob(h, 2_000n)); // job 2 queued behind nothing: worker free
    d.run({ type: 'dispatch' });
    d.at(1_000 + 300_001).run({ type: 'expireJobs' });
    expect([holder.usedCu, holder.reservedCu]).toEqual([3_000n, 0n]);
    expect(d.state.workers.get(workerAddr(0))!.failed).toBe(1);
    d.at(DAY).run({ type: 'startDay', day: 1 });
    expect([holder.allotmentCu, holder.usedCu]).toEqual([5_000n, 0n]);
  });

  it('rejects submissions before the day has started', () => {
    const d = smallNetwork();
    expect(d.at(DAY + 1).attempt(includedJob(holderAddr(0), 1n))).toMatchObject({
      ok: false,
      code: 'DayNotStarted',
    });
    expect(d.attempt({ type: 'startDay', day: 2 })).toMatchObject({ ok: false, code: 'WrongDay' });
    expect(d.at(DAY - 1).attempt({ type: 'startDay', day: 1 })).toMatchObject({
      ok: false,
      code: 'TooEarly',
    });
    d.at(DAY).run({ type: 'startDay', day: 1 });
    expect(d.at(DAY - 1).attempt({ type: 'dispatch' })).toMatchObject({
      ok: false,
      code: 'ClockWentBackwards',
    });
  });

  it('scales every allotment by σ when the treasury is short, and the earmark stays within B_d', () => {
    // 900 USDC / 90 = 10 USDC a day = 5,000,000 CU at 2 µ; nominal 17,500 CU is covered.
    // With 0.9 USDC: B_d = 10,000 µ = 5,000 CU for 17,500 nominal → σ = 2/7.
    const d = smallNetwork({ treasuryUsdc: 0n, holderStakesOne: [2_500n, 1_000n] });
    expect(d.state.holders.get(holderAddr(0))!.allotmentCu).toBe(0n);
    const e = smallNetwork({ treasuryUsdc: 1n });
    // treasury 1 USDC → B_d = floor(1,000,000 / 90) = 11,111 µ; cost 35,000 µ → σ = 11,111 / 35,000.
    expect(e.state.holders.get(holderAddr(0))!.allotmentCu).toBe((12_500n * 11_111n) / 35_000n);
    expect(e.state.holders.get(holderAddr(1))!.allotmentCu).toBe((5_000n * 11_111n) / 35_000n);
    const b = e.state.dayBudgets.get(0)!;
    expect(b.earmarkedMicroUsdc).toBeLessThanOrEqual(b.budgetMicroUsdc);
    expect(b.earmarkedMicroUsdc).toBe((3_968n + 1_587n) * 2n);
  });

  it('routes only to workers serving the model', () => {
    const d = smallNetwork();
    d.run(includedJob(holderAddr(0), 10n, MODEL_A));
    d.run({ type: 'dispatch' });
    expect(d.state.jobs.get(1)!.worker).toBe(workerAddr(0));
  });
});

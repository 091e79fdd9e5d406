import { step } from '../step.ts';
import type { StepFn } from './randomRun.ts';

/**
 * Planted bugs: copies of the protocol with one thing wrong, for testing that the audit finds,
 * shrinks, saves and exports a failure. Selected by name (ONESIM_AUDIT_MUTANT in the CLI and in
 * generated regression tests); never used by a normal audit.
 */
export const plantedBugs: Record<string, StepFn> = {
  /** Settlement forgets that it paid, so the same receipts are paid again next epoch. */
  doubleSettle: (state, action, nowMs, env) => {
    const prevEpoch = action.type === 'settle' ? action.epoch - 1 : 0;
    const pending = action.type === 'settle' ? state.pendingByEpoch.get(prevEpoch) : undefined;
    const jobs = pending?.map((id) => structuredClone(state.jobs.get(id)!)) ?? [];
    const r = step(state, action, nowMs, env);
    if (r.ok && action.type === 'settle' && jobs.length > 0) {
      for (const job of jobs) state.jobs.set(job.id, job);
      state.pendingByEpoch.set(action.epoch, [
        ...(state.pendingByEpoch.get(action.epoch) ?? []),
        ...jobs.map((j) => j.id),
      ]);
    }
    return r;
  },
  /** A withdrawal pays out but forgets to debit the account. */
  freeWithdraw: (state, action, nowMs, env) => {
    const account = action.type === 'withdraw' ? state.accounts.get(action.account) : undefined;
    const before = account ? { usdc: account.usdc, one: account.one } : null;
    const r = step(state, action, nowMs, env);
    if (r.ok && action.type === 'withdraw' && before) {
      const after = state.accounts.get(action.account)!;
      after.usdc = before.usdc;
      after.one = before.one;
    }
    return r;
  },
};

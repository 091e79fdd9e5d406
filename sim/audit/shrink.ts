import fc from 'fast-check';
import type { StepFn } from '../../protocol/audit/randomRun.ts';
import { shrinkBudget } from '../../protocol/audit/shrinkBudget.ts';
import { type AuditCase, auditCaseArb, type Finding, runAuditCase } from './auditCase.ts';

/** The case a seed draws (the same value fc.check draws first from that seed). */
export function sampleCase(caseSeed: number, maxLength: number): AuditCase {
  return fc.sample(auditCaseArb(maxLength), { seed: caseSeed, numRuns: 1 })[0]!;
}

export interface ShrinkCaseParameters {
  caseSeed: number;
  maxLength: number;
  finding: Finding;
  stepFn?: StepFn;
  /** Runs tried while shrinking; a count, not a time, so the result is deterministic. */
  budgetRuns?: number;
  /**
   * Time allowed for shrinking (needs clockMs): past it, shrinking gives up and keeps the best
   * case so far, so a slow failure cannot hold the audit for hours. The result then depends on
   * the machine's speed; `gaveUp` says so.
   */
  budgetMs?: number;
  clockMs?: () => number;
}

export interface ShrinkCaseReturnType {
  case: AuditCase;
  finding: Finding;
  /** Candidates run while shrinking. */
  tried: number;
  /** True when the time budget ran out before shrinking finished. */
  gaveUp: boolean;
  /** fast-check's replay path of the case kept (with seed `caseSeed`); null: the original. */
  path: string | null;
}

/**
 * Shrinks the case drawn from `caseSeed` with fast-check, keeping only candidates that fail the
 * same check (so shrinking does not wander off to a different bug). Returns the smallest case
 * found and its finding; the original when fast-check cannot reproduce it.
 */
export function shrinkCase(p: ShrinkCaseParameters): ShrinkCaseReturnType {
  const budget = p.budgetRuns ?? 400;
  let tried = 0;
  let gaveUp = false;
  let best: { case: AuditCase; finding: Finding } | null = null;
  const timed =
    p.budgetMs !== undefined && p.clockMs
      ? [
          shrinkBudget<[AuditCase]>({
            budgetMs: p.budgetMs,
            clockMs: p.clockMs,
            report: false,
            onGiveUp: () => {
              gaveUp = true;
            },
          }),
        ]
      : [];
  const result = fc.check(
    fc.property(auditCaseArb(p.maxLength), (c) => {
      if (tried >= budget) return true;
      tried += 1;
      const f = runAuditCase(c, { stepFn: p.stepFn }).finding;
      if (f?.check !== p.finding.check) return true;
      best = { case: c, finding: f };
      return false;
    }),
    { seed: p.caseSeed, numRuns: 1, plugins: timed },
  );
  const found = best as { case: AuditCase; finding: Finding } | null;
  if (!result.failed || !found)
    return {
      case: sampleCase(p.caseSeed, p.maxLength),
      finding: p.finding,
      tried,
      gaveUp,
      path: null,
    };
  return { ...found, tried, gaveUp, path: result.counterexamplePath };
}

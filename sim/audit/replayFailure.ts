import type { StepFn } from '../../protocol/audit/randomRun.ts';
import { type Finding, runAuditCase } from './auditCase.ts';
import type { SavedFailure } from './failureFile.ts';

/** Runs a saved failure again: its finding if it still fails (any check), null once fixed. */
export function replayFailure(f: SavedFailure, o: { stepFn?: StepFn } = {}): Finding | null {
  return runAuditCase(f.case, { stepFn: o.stepFn }).finding;
}

import type { StepFn } from '../../protocol/audit/randomRun.ts';
import { type Finding, runAuditCase } from './auditCase.ts';
import { type Coverage, emptyCoverage, mergeCoverage } from './coverage.ts';
import { type ExportedFailure, exportFailure } from './exportFailure.ts';
import { failureId, loadFailures, type SavedFailure, saveFailure } from './failureFile.ts';
import { replayFailure } from './replayFailure.ts';
import { sampleCase, shrinkCase } from './shrink.ts';

export interface RunAuditParameters {
  seed: number;
  /** Stop after this many runs (default 100 when no time limit is given). */
  runs?: number;
  /** Stop once this much time has passed (needs clockMs). Findings then depend on speed. */
  timeMs?: number;
  maxLength?: number;
  /** The step under test (default: the protocol's); planted bugs come in here. */
  stepFn?: StepFn;
  /** Where failures are saved and replayed from; null: nowhere. */
  failuresDir?: string | null;
  commit?: string;
  /** Injected: sim/ reads no ambient clock. Default: a clock that never moves. */
  clockMs?: () => number;
  onProgress?: (runs: number) => void;
  shouldStop?: () => boolean;
  /** One shrunk failure per check; stop after this many. */
  maxFindings?: number;
  /** Candidates tried while shrinking a finding (default 400); 0 keeps findings as found. */
  shrinkRuns?: number;
  /**
   * Time allowed for shrinking each finding, by clockMs (default 60 s): past it, shrinking gives
   * up and keeps the best case found so far (a slow failure cannot hold the audit for hours).
   */
  shrinkMs?: number;
  /** Called before a finding is shrunk (a long step: the CLI says so). */
  onShrink?: (check: string, budgetMs: number) => void;
}

export interface AuditFinding {
  failure: SavedFailure;
  folder: string | null;
  exported: ExportedFailure | null;
  shrinkRuns: number;
  /** Shrinking ran out of time: the case kept is the best found so far. */
  shrinkGaveUp: boolean;
  /** fast-check's replay path of the case kept, from the run seed (null: not shrunk). */
  shrinkPath: string | null;
}

export interface ReplayedFailure {
  path: string;
  id: string;
  check: string;
  /** Still failing: the finding now; null once fixed. */
  now: Finding | null;
}

export interface AuditReport {
  seed: number;
  runs: number;
  coverage: Coverage;
  replayed: ReplayedFailure[];
  findings: AuditFinding[];
  ok: boolean;
}

/** Each run's own seed, derived from the audit seed (32-bit, spread so neighbours differ). */
export const caseSeedOf = (seed: number, run: number): number =>
  (Math.imul((seed ^ 0x9e3779b9) >>> 0, 0x85ebca6b) + Math.imul(run + 1, 0x27d4eb2f)) >>> 0;

/**
 * The audit: replay saved failures first, then draw runs (random parameters, adversaries, a
 * swarm of intent kinds, intents), check every invariant after every step, and shrink, save
 * and export the first failure of each check. Same seed and runs ⇒ same report.
 */
export function runAudit(p: RunAuditParameters): AuditReport {
  const clock = p.clockMs ?? (() => 0);
  const maxLength = p.maxLength ?? 160;
  const runsMax = p.runs ?? (p.timeMs === undefined ? 100 : Number.POSITIVE_INFINITY);
  const started = clock();
  const replayed = replaySaved(p);
  const coverage = emptyCoverage();
  const findings: AuditFinding[] = [];
  let runs = 0;
  while (runs < runsMax && !p.shouldStop?.()) {
    if (p.timeMs !== undefined && clock() - started >= p.timeMs) break;
    if (findings.length >= (p.maxFindings ?? 5)) break;
    const caseSeed = caseSeedOf(p.seed, runs);
    const r = runAuditCase(sampleCase(caseSeed, maxLength), { stepFn: p.stepFn });
    mergeCoverage(coverage, r.coverage);
    runs += 1;
    p.onProgress?.(runs);
    if (r.finding && !findings.some((f) => f.failure.finding.check === r.finding!.check))
      findings.push(recordFinding(p, caseSeed, maxLength, r.finding));
  }
  const ok = findings.length === 0 && replayed.every((f) => f.now === null);
  return { seed: p.seed, runs, coverage, replayed, findings, ok };
}

function replaySaved(p: RunAuditParameters): ReplayedFailure[] {
  if (!p.failuresDir) return [];
  return loadFailures(p.failuresDir).map(({ path, failure }) => ({
    path,
    id: failure.id,
    check: failure.finding.check,
    now: replayFailure(failure, { stepFn: p.stepFn }),
  }));
}

function recordFinding(
  p: RunAuditParameters,
  caseSeed: number,
  maxLength: number,
  finding: Finding,
): AuditFinding {
  const original = sampleCase(caseSeed, maxLength);
  const shrinkMs = p.shrinkMs ?? 60_000;
  if (p.shrinkRuns !== 0) p.onShrink?.(finding.check, shrinkMs);
  const shrunk =
    p.shrinkRuns === 0
      ? { case: original, finding, tried: 0, gaveUp: false, path: null }
      : shrinkCase({
          caseSeed,
          maxLength,
          finding,
          stepFn: p.stepFn,
          budgetRuns: p.shrinkRuns,
          budgetMs: shrinkMs,
          clockMs: p.clockMs,
        });
  const failure: SavedFailure = {
    format: 'onesim-audit-failure/1',
    id: failureId(shrunk.finding, shrunk.case),
    seed: p.seed,
    caseSeed,
    commit: p.commit ?? 'unknown',
    finding: shrunk.finding,
    originalIntents: original.intents.length,
    shrink: { tried: shrunk.tried, gaveUp: shrunk.gaveUp, path: shrunk.path },
    case: shrunk.case,
  };
  const found = { shrinkRuns: shrunk.tried, shrinkGaveUp: shrunk.gaveUp, shrinkPath: shrunk.path };
  if (!p.failuresDir) return { failure, folder: null, exported: null, ...found };
  const folder = saveFailure(p.failuresDir, failure);
  const exported = exportFailure(folder, failure, { stepFn: p.stepFn });
  return { failure, folder, exported, ...found };
}

import { expect, it } from 'vitest';
import { runAudit } from './runAudit.ts';

// The audit as the only test (issue 21): `node scripts/mutation.mjs audit-handlers` runs this
// file alone (vitest.mutation.config.ts with ONESIM_MUTATION_SUITE=audit) against Stryker's
// mutants of protocol/handlers/, so a mutant counts as killed only if a default
// `onesim audit --runs 200 --seed 1` finds it (a violated invariant, a crash, a replay that
// differs, a rejection that changed the state). Not part of `npm test` (not a *.test.ts file):
// the audit itself runs in npm test through sim/audit/runAudit.test.ts.
it('onesim audit --runs 200 --seed 1 finds nothing', () => {
  const r = runAudit({ seed: 1, runs: 200, failuresDir: null, maxFindings: 1, shrinkRuns: 0 });
  expect(r.findings.map((f) => `${f.failure.finding.check}: ${f.failure.finding.message}`)).toEqual(
    [],
  );
  expect(r.runs).toBe(200);
});

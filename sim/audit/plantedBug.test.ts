import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { replayTrace } from '../run/replayTrace.ts';
import { loadFailures } from './failureFile.ts';
import { plantedBugs } from './mutants.ts';
import { replayFailure } from './replayFailure.ts';
import { runAudit } from './runAudit.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
// Inside the repo (under the ignored out/) so the generated test resolves vitest and our modules.
const dir = join(root, 'out', `audit-planted-${process.pid}`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a planted bug (withdrawals that forget to debit) goes through the whole audit', () => {
  const failures = join(dir, 'failures');
  const stepFn = plantedBugs.freeWithdraw;
  // The default budget of 400 shrink candidates takes this case from 58 intents to 2 (120 left
  // it at 7).
  const shrinkRuns = 400;
  const first = runAudit({
    seed: 1,
    runs: 20,
    failuresDir: failures,
    stepFn,
    commit: 'test',
    shrinkRuns,
  });

  it('is found, shrunk and saved', () => {
    expect(first.ok).toBe(false);
    const [f] = first.findings;
    expect(f!.failure.finding.check).toBe('conservation');
    expect(f!.failure.case.intents.length).toBeLessThanOrEqual(3);
    expect(f!.failure.originalIntents).toBeGreaterThan(f!.failure.case.intents.length);
    expect(f!.failure.case.intents.some((i) => i.kind === 'withdraw')).toBe(true);
    const saved = loadFailures(failures);
    expect(saved.map((s) => s.failure.id)).toEqual([f!.failure.id]);
  });

  it('is deterministic: the same seed finds and shrinks to the same failure', () => {
    const again = runAudit({
      seed: 1,
      runs: 20,
      failuresDir: null,
      stepFn,
      commit: 'test',
      shrinkRuns,
    });
    expect(again.findings.map((f) => f.failure)).toEqual(first.findings.map((f) => f.failure));
  });

  it('is replayed first by the next audit: still failing with the bug, fixed without it', () => {
    const buggy = runAudit({ seed: 2, runs: 0, failuresDir: failures, stepFn });
    expect(buggy.replayed).toHaveLength(1);
    expect(buggy.replayed[0]!.now?.check).toBe('conservation');
    expect(buggy.ok).toBe(false);
    const fixed = runAudit({ seed: 2, runs: 0, failuresDir: failures });
    expect(fixed.replayed[0]!.now).toBeNull();
    expect(fixed.ok).toBe(true);
    expect(replayFailure(loadFailures(failures)[0]!.failure)).toBeNull();
  });

  it('exports a trace whose footer is the buggy hash (the fixed protocol reaches another)', async () => {
    const exported = first.findings[0]!.exported!;
    const r = await replayTrace(exported.trace);
    expect(r.header.scenario).toBe(`audit:${first.findings[0]!.failure.id}`);
    expect(r.actions).toBe(exported.actionsCount);
    expect(r.expectedStateHash).toBe(exported.stateHash);
    expect(r.matches).toBe(false);
    const actions = JSON.parse(readFileSync(exported.actions, 'utf8'));
    expect(actions.actions).toHaveLength(exported.actionsCount);
  });

  it('exports a vitest file that fails with the bug and passes without it', () => {
    const test = first.findings[0]!.exported!.test;
    expect(existsSync(test)).toBe(true);
    const config = join(dir, 'vitest.config.mjs');
    writeFileSync(config, "export default { test: { include: ['**/*.test.ts'] } };\n");
    const vitest = (env: Record<string, string>) =>
      spawnSync(
        process.execPath,
        [join(root, 'node_modules/vitest/vitest.mjs'), 'run', '--root', dir, '--config', config],
        {
          encoding: 'utf8',
          env: { ...process.env, ...env },
        },
      );
    const withBug = vitest({ ONESIM_AUDIT_MUTANT: 'freeWithdraw' });
    expect(withBug.status, withBug.stdout + withBug.stderr).toBe(1);
    const withoutBug = vitest({ ONESIM_AUDIT_MUTANT: '' });
    expect(withoutBug.status, withoutBug.stdout + withoutBug.stderr).toBe(0);
  });
});

describe('the double-settlement bug of the property suite', () => {
  it('is found by the audit as a settlement violation (or a settlement that is not as the rules say)', () => {
    const r = runAudit({
      seed: 1,
      runs: 40,
      failuresDir: null,
      stepFn: plantedBugs.doubleSettle,
      maxFindings: 1,
      shrinkRuns: 60,
    });
    expect(r.ok).toBe(false);
    expect(['settlement', 'nonNegative', 'conservation', 'actionEffects']).toContain(
      r.findings[0]!.failure.finding.check,
    );
    expect(r.findings[0]!.failure.case.intents.length).toBeLessThanOrEqual(
      r.findings[0]!.failure.originalIntents,
    );
  });
});

// Issue 21: realistic one-line bugs the detectors once missed (protocol/audit/plantedBugs.ts).
// Each must be caught by a default audit — `onesim audit --runs 200` at the seeds 1 and
// 2 (the signature bug by the default 100 runs) — and by the check written for it. No shrinking
// here: finding is the point (shrinking is tested above).
describe("issue 21's planted bugs are caught by a default audit, seeds 1 and 2", () => {
  const cases: Array<[string, string[], number]> = [
    ['dedicatedSignatureIgnored', ['receiptsValid'], 100],
    ['unbondingInSnapshot', ['snapshotBonded'], 200],
    ['includedCreditsKept', ['jobsRefunded'], 200],
    ['refundForfeitSwapped', ['reservationRefund'], 200],
    // The scheduler's reference model (actionEffects) sees the Dedicated job left out of the
    // dispatch before invariant 6 sees an Included job go ahead of it.
    ['dedicatedAtRateLimitWaits', ['dedicatedPriority', 'actionEffects'], 200],
    ['leaseIncludedFirst', ['dedicatedPriority', 'actionEffects'], 200],
    // Paid units × the wrong price (settlement), or escrow paid short first (nonNegative).
    ['dedicatedAtIncludedPrice', ['settlement', 'nonNegative'], 200],
    ['quorumOffByOne', ['slashing'], 200],
    ['claimTwice', ['nonNegative', 'conservation'], 200],
    // Issue 20: a dispatch that ignores replicas (a deployed model's job to a worker without one).
    ['dispatchIgnoresReplicas', ['deployments'], 200],
    // Over-rejection: an honest action refused, which changes nothing (honestAccepted).
    ['dedicatedReceiptRefused', ['honestAccepted'], 200],
    ['unstakeUnbondingCounted', ['honestAccepted'], 200],
    ['claimOnePerEpoch', ['honestAccepted'], 200],
    // Under-rejection that moves no money: an action the rules refuse, accepted (invalidRefused).
    ['attestationSignatureIgnored', ['invalidRefused'], 200],
    ['oracleSetByAnyone', ['invalidRefused'], 200],
    // Wrong effects that move no money: the event and the books say another time (actionEffects).
    ['unbondingAtNow', ['actionEffects'], 200],
    ['exitBondUnlocked', ['actionEffects'], 200],
    ['leaseNeverEnds', ['actionEffects'], 200],
    // Who gets a job and what a bucket holds: the scheduler's reference model (actionEffects).
    ['routingByAddress', ['actionEffects'], 200],
    ['bucketNotDebited', ['actionEffects'], 200],
  ];
  it.each(cases)('%s: %j', (bug, checks, runs) => {
    for (const seed of [1, 2]) {
      const r = runAudit({
        seed,
        runs,
        failuresDir: null,
        stepFn: plantedBugs[bug],
        maxFindings: 1,
        shrinkRuns: 0,
      });
      expect(
        r.findings.map((f) => f.failure.finding.check),
        `seed ${seed}`,
      ).toHaveLength(1);
      expect(checks, `seed ${seed}: ${r.findings[0]!.failure.finding.message}`).toContain(
        r.findings[0]!.failure.finding.check,
      );
    }
  });
});

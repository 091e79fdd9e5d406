import type { Command } from 'commander';
import { lanesUnreached, untested } from '../../sim/audit/coverage.ts';
import { defaultFailuresDir } from '../../sim/audit/failureFile.ts';
import { type LiveAuditReport, runLiveAudit } from '../../sim/audit/liveAudit.ts';
import { stepUnderTest } from '../../sim/audit/mutants.ts';
import { type AuditReport, runAudit } from '../../sim/audit/runAudit.ts';
import { coverageTable } from '../../sim/audit/table.ts';
import { exitCodes, UsageError } from '../errors.ts';
import { parseNumber } from '../flags.ts';
import { gitCommit } from '../gitCommit.ts';
import { createProgress, onInterrupt } from '../progress.ts';

interface AuditOptions {
  runs?: string;
  time?: string;
  seed?: string;
  maxLength: string;
  failures: string;
  shrinkTime: string;
  live?: boolean;
  liveRuns: string;
  json?: boolean;
}

/** "90s", "10m", "1h" or plain seconds → milliseconds. */
export function parseDuration(flag: string, text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m || Number(m[1]) <= 0)
    throw new UsageError(
      `${flag}=${JSON.stringify(text)} must be a duration like 90s, 10m or 1h`,
      flag,
    );
  const unit = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }[
    (m[2] ?? 's') as 'ms' | 's' | 'm' | 'h'
  ];
  return Number(m[1]) * unit;
}

export function registerAudit(program: Command): void {
  program
    .command('audit')
    .description(
      'Property-test the protocol model: random parameters, adversaries and swarms of actions, every invariant after every step; failures are shrunk, saved and exported',
    )
    .option('--runs <n>', 'number of random runs (default 100 unless --time)')
    .option('--time <duration>', 'run until this much time has passed, e.g. 90s, 10m, 1h')
    .option('--seed <s>', 'audit seed (default: a fresh one, printed)')
    .option('--max-length <n>', 'most intents per run', '160')
    .option(
      '--failures <dir>',
      'where failures are saved and replayed from first',
      defaultFailuresDir,
    )
    .option(
      '--shrink-time <duration>',
      'time to shrink each failure; past it the best counterexample so far is kept',
      '60s',
    )
    .option('--live', 'also run the differential suite against the contracts on a local Anvil')
    .option('--live-runs <n>', 'random on-chain runs with --live', '3')
    .option('--json', 'print one JSON object as the last line of stdout')
    .action(async (o: AuditOptions) => {
      if (o.runs !== undefined && o.time !== undefined)
        throw new UsageError('--runs and --time are exclusive: give one', '--runs');
      const runs =
        o.runs === undefined ? undefined : parseNumber('--runs', o.runs, { integer: true, min: 1 });
      const timeMs = o.time === undefined ? undefined : parseDuration('--time', o.time);
      const shrinkMs = parseDuration('--shrink-time', o.shrinkTime);
      const seed =
        o.seed === undefined
          ? Date.now() % 2_147_483_647
          : parseNumber('--seed', o.seed, { integer: true, min: 0 });
      const maxLength = parseNumber('--max-length', o.maxLength, {
        integer: true,
        min: 1,
        max: 10_000,
      });
      const liveRuns = parseNumber('--live-runs', o.liveRuns, {
        integer: true,
        min: 1,
        max: 1_000,
      });
      const stepFn = stepUnderTest(process.env.ONESIM_AUDIT_MUTANT);
      const started = Date.now();
      const interrupt = onInterrupt();
      const total = runs ?? (timeMs !== undefined ? Math.ceil(timeMs / 1000) : 100);
      // Shrinking prints a line, so the bar stops and a new one takes over afterwards.
      let progress: ReturnType<typeof createProgress> | null = createProgress('audit', total);
      const report = runAudit({
        seed,
        runs,
        timeMs,
        maxLength,
        stepFn,
        failuresDir: o.failures,
        commit: gitCommit(),
        clockMs: () => Date.now(),
        shrinkMs,
        onShrink: (check, budgetMs) => {
          progress?.stop();
          progress = null;
          console.error(
            `shrinking the ${check} failure (gives up after ${(budgetMs / 1000).toFixed(0)} s and keeps the best so far)…`,
          );
        },
        onProgress: (done) => {
          progress ??= createProgress('audit', total);
          progress.update(
            runs !== undefined || timeMs === undefined
              ? done
              : Math.floor((Date.now() - started) / 1000),
          );
        },
        shouldStop: () => interrupt.requested,
      });
      progress?.stop();
      const live = o.live ? await runLiveAudit({ seed, runs: liveRuns }) : null;
      interrupt.dispose();
      const elapsedMs = Date.now() - started;
      if (o.json) console.log(JSON.stringify(auditJson(report, live, elapsedMs)));
      else printAudit(report, live, elapsedMs);
      process.exitCode = report.ok && (live?.ok ?? true) ? exitCodes.ok : exitCodes.checkFailed;
    });
}

function auditJson(r: AuditReport, live: LiveAuditReport | null, elapsedMs: number) {
  return {
    seed: r.seed,
    runs: r.runs,
    ok: r.ok && (live?.ok ?? true),
    elapsedMs,
    coverage: r.coverage,
    untested: untested(r.coverage),
    lanesUnreached: lanesUnreached(r.coverage),
    replayed: r.replayed.map((f) => ({
      id: f.id,
      path: f.path,
      check: f.check,
      fixed: f.now === null,
      now: f.now,
    })),
    findings: r.findings.map((f) => ({
      id: f.failure.id,
      check: f.failure.finding.check,
      message: f.failure.finding.message,
      caseSeed: f.failure.caseSeed,
      intents: f.failure.case.intents.length,
      originalIntents: f.failure.originalIntents,
      shrinkRuns: f.shrinkRuns,
      shrinkGaveUp: f.shrinkGaveUp,
      shrinkPath: f.shrinkPath,
      folder: f.folder,
      trace: f.exported?.trace ?? null,
      actions: f.exported?.actions ?? null,
      test: f.exported?.test ?? null,
    })),
    live,
  };
}

function printAudit(r: AuditReport, live: LiveAuditReport | null, elapsedMs: number): void {
  console.log(
    `audit seed ${r.seed}: ${r.runs.toLocaleString('en-US')} runs in ${(elapsedMs / 1000).toFixed(1)} s`,
  );
  for (const f of r.replayed)
    console.log(
      `  saved failure ${f.id}: ${f.now ? `STILL FAILS (${f.now.check})` : 'fixed (delete its folder to retire it)'}`,
    );
  for (const line of coverageTable(r.coverage)) console.log(line);
  console.log('');
  for (const f of r.findings) {
    console.log(`FAILED ${f.failure.finding.check}: ${f.failure.finding.message}`);
    const kept = `${f.failure.originalIntents} → ${f.failure.case.intents.length} intents`;
    console.log(
      f.shrinkGaveUp
        ? `  shrinking gave up after its time (--shrink-time): best so far ${kept}; saved in ${f.folder ?? '(not saved)'}`
        : `  shrunk ${kept}; saved in ${f.folder ?? '(not saved)'}`,
    );
    console.log(
      `  run seed ${f.failure.caseSeed}${f.shrinkPath ? `, replay path ${f.shrinkPath}` : ''} (fast-check: auditCaseArb, { seed, path })`,
    );
    if (f.exported) {
      console.log(
        `  trace:  onesim replay ${f.exported.trace}   (footer = the buggy run's hash; fixed code differs)`,
      );
      console.log(`  apply:  onesim apply --verifier sim ${f.exported.actions}`);
      console.log(`  test:   ${f.exported.test} (fails until the bug is fixed)`);
    }
  }
  if (live)
    console.log(
      `live: ${live.runs} runs on Anvil, ${live.divergences.length} divergences${live.divergences.map((d) => `\n  run seed ${d.caseSeed}: ${d.divergence.actionType} ${d.divergence.field}: model ${d.divergence.model} ≠ chain ${d.divergence.chain}`).join('')}`,
    );
  console.log(
    r.ok && (live?.ok ?? true)
      ? 'all checks hold'
      : `check failed; reproduce: onesim audit --seed ${r.seed} --runs ${r.runs}`,
  );
}

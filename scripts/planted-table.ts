// The planted-bug table of docs/auditing.md: for every planted bug (protocol/audit/plantedBugs.ts)
// and audit seeds 1-10, a default audit of 200 runs until its first finding, without shrinking.
// Prints one Markdown row per bug: seeds caught, the run of the first finding per seed, checks.
// Run: npx tsx scripts/planted-table.ts   (about 15 minutes on one core)
import { plantedBugs } from '../protocol/audit/plantedBugs.ts';
import { runAudit } from '../sim/audit/runAudit.ts';

for (const [name, stepFn] of Object.entries(plantedBugs)) {
  const runs: string[] = [];
  const checks = new Set<string>();
  for (let seed = 1; seed <= 10; seed++) {
    const r = runAudit({
      seed,
      runs: 200,
      failuresDir: null,
      stepFn,
      maxFindings: 1,
      shrinkRuns: 0,
    });
    const f = r.findings[0];
    runs.push(f ? String(r.runs) : '–');
    if (f) checks.add(f.failure.finding.check);
  }
  const caught = runs.filter((x) => x !== '–').length;
  console.log(
    `| \`${name}\` | ${caught}/10 | ${runs.join(' ')} | ${[...checks].sort().join(', ')} |`,
  );
}

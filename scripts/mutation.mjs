#!/usr/bin/env node
// Mutation testing of protocol/, one Stryker run per folder ("chunk"), each with its own
// incremental file in mutation/ (committed), so results accumulate across runs and sessions and
// an interrupted run loses one chunk at most. Then a summary over all chunks.
//
//   node scripts/mutation.mjs                    # every chunk, then the summary (npm run mutation)
//   node scripts/mutation.mjs handlers receipts  # these chunks only, then the summary
//   node scripts/mutation.mjs --summary          # the summary of the stored results only
//   node scripts/mutation.mjs handlers -- --concurrency 2 --force   # extra Stryker flags
//   node scripts/mutation.mjs --audit -- --concurrency 1             # the audit alone (below)
//   node scripts/mutation.mjs audit-lease                             # one file of it
//
// `--audit` (audit-<handler> chunks) is a different measurement, run only when asked: Stryker's mutants of
// protocol/handlers/ judged by a default `onesim audit --runs 200 --seed 1` alone
// (sim/audit/auditOnly.mutation.ts, ONESIM_MUTATION_SUITE=audit). Its score is printed beside the
// unit tests' score on the same files and is not part of the unit tests' total.
//
// The summary goes to stdout and out/mutation/summary.json; the merged report (every chunk's
// mutants, mutation-testing-report-schema) to out/mutation/protocol.json.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';

const exclude = ['!protocol/**/*.test.ts', '!protocol/**/*.bench.ts'];
// (Stryker's --mutate is a comma-separated list, so no {a,b} globs.)
const handlers = (...names) => names.map((n) => `protocol/handlers/${n}.ts`);
export const chunks = {
  root: ['protocol/*.ts'],
  // handlers/ in three parts, so an interrupted run loses less.
  'handlers-1': handlers('audits', 'balances', 'completion', 'context', 'day'),
  'handlers-2': handlers('dispatch', 'governance', 'jobs', 'kyc', 'oracles'),
  'handlers-3': handlers('registry', 'reservations', 'routing', 'settlement', 'staking'),
  invariants: ['protocol/invariants/**/*.ts'],
  merkle: ['protocol/merkle/**/*.ts'],
  receipts: ['protocol/receipts/**/*.ts'],
  verification: ['protocol/verification/**/*.ts'],
};
// Judged by the audit alone: every handler file (lease.ts included), one Stryker run per file
// (Stryker saves its incremental file only when a run completes, and a survivor costs a whole
// audit), never in the default run.
const handlerFiles = [
  'completion',
  'jobs',
  'lease',
  'dispatch',
  'reservations',
  'settlement',
  'day',
  'staking',
  'balances',
  'audits',
  'governance',
  'kyc',
  'oracles',
  'registry',
  'routing',
  'deployments',
  'ratio1Rewards',
  'ratio1Bans',
];
export const auditChunks = Object.fromEntries(
  handlerFiles.map((name) => [`audit-${name}`, handlers(name)]),
);
const chunkEnv = Object.fromEntries(
  Object.keys(auditChunks).map((c) => [c, { ONESIM_MUTATION_SUITE: 'audit' }]),
);
const incrementalFile = (chunk) => `mutation/${chunk}.json`;

const argv = process.argv.slice(2);
const dash = argv.indexOf('--');
const own = dash < 0 ? argv : argv.slice(0, dash);
const strykerArgs = dash < 0 ? [] : argv.slice(dash + 1);
const summaryOnly = own.includes('--summary');
const named = own.includes('--audit')
  ? Object.keys(auditChunks)
  : own.filter((a) => !a.startsWith('--'));
const allChunks = { ...chunks, ...auditChunks };
for (const name of named) {
  if (!(name in allChunks)) {
    console.error(`unknown chunk ${name}; chunks: ${Object.keys(allChunks).join(', ')}`);
    process.exit(2);
  }
}

let failed = false;
if (!summaryOnly) {
  for (const chunk of named.length > 0 ? named : Object.keys(chunks)) {
    const started = Date.now();
    console.log(`\n=== mutation: ${chunk} (${allChunks[chunk].join(', ')}) ===`);
    const r = spawnSync(
      'npx',
      [
        'stryker',
        'run',
        '--mutate',
        [...allChunks[chunk], ...exclude].join(','),
        '--incremental',
        '--incrementalFile',
        incrementalFile(chunk),
        ...strykerArgs,
      ],
      { stdio: 'inherit', env: { ...process.env, ...(chunkEnv[chunk] ?? {}) } },
    );
    console.log(
      `=== ${chunk}: exit ${r.status}, ${((Date.now() - started) / 60_000).toFixed(1)} min ===`,
    );
    if (r.status !== 0) failed = true;
  }
}

// Stryker's score: detected (killed, timeout) / (detected + survived + no coverage); ignored,
// compile and runtime errors do not count.
const count = () => ({ Killed: 0, Timeout: 0, Survived: 0, NoCoverage: 0, Ignored: 0, other: 0 });
const add = (c, status) => {
  c[status in c ? status : 'other']++;
};
const score = (c) => {
  const detected = c.Killed + c.Timeout;
  const valid = detected + c.Survived + c.NoCoverage;
  return valid === 0 ? null : (100 * detected) / valid;
};
const merged = { schemaVersion: '1', thresholds: { high: 80, low: 60 }, files: {}, testFiles: {} };
const perFile = {};
const perChunk = {};
const total = count();
for (const chunk of Object.keys(chunks)) {
  const path = incrementalFile(chunk);
  if (!existsSync(path)) continue;
  const report = JSON.parse(readFileSync(path, 'utf8'));
  Object.assign(merged.files, report.files);
  Object.assign(merged.testFiles, report.testFiles ?? {});
  perChunk[chunk] = count();
  for (const [file, { mutants }] of Object.entries(report.files)) {
    perFile[file] = count();
    for (const m of mutants) {
      add(perFile[file], m.status);
      add(perChunk[chunk], m.status);
      add(total, m.status);
    }
  }
}
const pct = (c) => (score(c) === null ? '   n/a' : `${score(c).toFixed(1).padStart(5)}%`);
const row = (name, c) =>
  `${name.padEnd(44)} ${pct(c)}  ${[c.Killed, c.Timeout, c.Survived, c.NoCoverage, c.Ignored]
    .map((n) => String(n).padStart(6))
    .join('')}`;
const header = `${'file'.padEnd(44)}  score  killed  tout  surv nocov  ignr`;
console.log(`\n${header}`);
for (const [file, c] of Object.entries(perFile).sort(([a], [b]) => a.localeCompare(b)))
  console.log(row(file, c));
console.log(`\n${header.replace('file', 'folder')}`);
for (const [chunk, c] of Object.entries(perChunk)) console.log(row(chunk, c));
console.log(row('total', total));
const missing = Object.keys(chunks).filter((c) => !(c in perChunk));
if (missing.length > 0) console.log(`(no results yet for: ${missing.join(', ')})`);

// The audit alone on protocol/handlers/, beside the unit tests on the same files.
const auditByFile = {};
const auditTotal = count();
const unitSameFiles = count();
const auditMissing = [];
for (const chunk of Object.keys(auditChunks)) {
  const path = incrementalFile(chunk);
  if (!existsSync(path)) {
    auditMissing.push(chunk);
    continue;
  }
  const report = JSON.parse(readFileSync(path, 'utf8'));
  for (const [file, { mutants }] of Object.entries(report.files)) {
    auditByFile[file] = count();
    for (const m of mutants) {
      add(auditByFile[file], m.status);
      add(auditTotal, m.status);
    }
    // The unit tests' results for the same file (absent for a file their chunks do not cover).
    for (const m of merged.files[file]?.mutants ?? []) add(unitSameFiles, m.status);
  }
}
const audit =
  Object.keys(auditByFile).length === 0
    ? null
    : {
        total: { ...auditTotal, score: score(auditTotal) },
        unitTestsSameFiles: { ...unitSameFiles, score: score(unitSameFiles) },
        perFile: auditByFile,
        missing: auditMissing,
      };
if (audit) {
  console.log(`\n${header.replace('file', 'judged by the audit alone (onesim audit --runs 200)')}`);
  for (const [file, c] of Object.entries(auditByFile).sort(([a], [b]) => a.localeCompare(b)))
    console.log(row(file, c));
  console.log(row('audit alone, total', auditTotal));
  console.log(row('unit tests, same files (where run)', unitSameFiles));
  if (auditMissing.length > 0)
    console.log(`(no audit results yet for: ${auditMissing.join(', ')})`);
}
mkdirSync('out/mutation', { recursive: true });
writeFileSync('out/mutation/protocol.json', JSON.stringify(merged));
writeFileSync(
  'out/mutation/summary.json',
  JSON.stringify(
    { total: { ...total, score: score(total) }, perChunk, perFile, missing, audit },
    null,
    2,
  ),
);
process.exit(failed ? 1 : 0);

import type { Command } from 'commander';
import { type SealedAuditPolicy, sealedAuditPolicies } from '../../protocol/params.ts';
import { measureDeterrence } from '../../sim/deterrence/deterrence.ts';
import {
  measureSealedDeterrence,
  type SealedSweepParameters,
} from '../../sim/deterrence/sealedDeterrence.ts';
import { exitCodes, UsageError } from '../errors.ts';
import { parseNumber } from '../flags.ts';
import { gitCommit } from '../gitCommit.ts';
import { createProgress } from '../progress.ts';

interface Options {
  rates: string;
  seeds: string;
  days: string;
  colluding: string;
  saving: string;
  sealedShare?: string;
  sealedPolicy: string;
  optInShare: string;
  teeFailure: string;
  json?: boolean;
}

function parseList(
  flag: string,
  text: string,
  rule: { min: number; max: number; integer?: boolean },
): number[] {
  const items = text.split(',').filter((x) => x.trim() !== '');
  if (items.length === 0)
    throw new UsageError(`${flag}=${JSON.stringify(text)} must list at least one value`, flag);
  return items.map((x) => parseNumber(flag, x, rule));
}

/** `onesim bench deterrence`: the Proof-of-Sampling boundary, simulated beside the formula. */
export function registerBenchDeterrence(program: Command): void {
  const bench =
    program.commands.find((c) => c.name() === 'bench') ??
    program.command('bench').description('Benchmarks');
  bench
    .command('deterrence')
    .description(
      'Sweep the audit sampling rate p with a lazy worker; find where cheating stops paying and compare with C / ((1 − r)(R + S))',
    )
    .option('--rates <list>', 'sampling rates to simulate', '0.005,0.01,0.02,0.04,0.08')
    .option('--seeds <n>', 'seeds per rate', '8')
    .option('--days <n>', 'simulated days per run', '7')
    .option('--colluding <n>', 'colluding oracles out of 5 (they cover for the cheater)', '0')
    .option('--saving <usdc>', 'C: what faking one job saves, in USDC', '0.02')
    .option(
      '--sealed-share <list>',
      'shares of sealed jobs to sweep (e.g. 0,0.25,0.5): the boundary per share and audit policy beside C / ((1 − r) · a · (R + S))',
    )
    .option('--sealed-policy <list>', 'audit policies for sealed jobs', 'opt-in,unaudited,tee')
    .option('--opt-in-share <x>', "o: sealed jobs re-encrypted to the committee ('opt-in')", '0.5')
    .option(
      '--tee-failure <x>',
      "f: chance an enclave attestation of a wrong result passes ('tee')",
      '0.1',
    )
    .option('--json', 'print one JSON object as the last line of stdout')
    .action(async (o: Options) => {
      const rates = parseList('--rates', o.rates, { min: 1e-6, max: 1 });
      const seedCount = parseNumber('--seeds', o.seeds, { integer: true, min: 1, max: 1_000 });
      const days = parseNumber('--days', o.days, { integer: true, min: 1, max: 365 });
      const colludingOracles = parseNumber('--colluding', o.colluding, {
        integer: true,
        min: 0,
        max: 5,
      });
      const saving = parseNumber('--saving', o.saving, { min: 0, max: 1_000 });
      const command = `npx onesim bench deterrence --rates ${rates.join(',')} --seeds ${seedCount} --days ${days} --colluding ${colludingOracles} --saving ${saving}`;
      const base = {
        rates,
        seeds: Array.from({ length: seedCount }, (_, i) => i + 1),
        days,
        fakeShare: 1,
        savingUsdcPerFakedJob: saving,
        colludingOracles,
        oracles: 5,
        committee: 3,
        quorum: 2,
        holders: 300,
      };
      if (o.sealedShare !== undefined) {
        const cells = sealedCells(o);
        await runSealedSweep(base, cells, `${command} ${sealedFlags(cells)}`, o.json === true);
        return;
      }
      const progress = createProgress('deterrence', rates.length);
      let done = 0;
      const r = await measureDeterrence(base, () => progress.update(++done));
      progress.stop();
      const ok = r.relativeDifference !== null && r.relativeDifference <= 0.1;
      if (o.json)
        console.log(
          JSON.stringify({ ...r, commit: gitCommit(), command, agreesWithin10Percent: ok }),
        );
      else {
        console.log('   p      faked  detections  penalty USDC  profit/faked job');
        for (const pt of r.points)
          console.log(
            `${pt.p.toFixed(4).padStart(7)} ${String(pt.fakedJobs).padStart(9)} ${String(pt.detections).padStart(11)} ${pt.penaltyUsdc.toFixed(2).padStart(13)} ${pt.profitUsdcPerFakedJob.toFixed(5).padStart(17)}`,
          );
        console.log(
          `boundary: simulated p* = ${r.measuredBoundary?.toFixed(5) ?? 'none'} (zero crossing ${r.crossing?.toFixed(5) ?? 'none'}), formula C/((1−r)(R+S)) = ${r.analyticBoundary.toFixed(5)} with r = ${r.colludingShare.toFixed(3)}, R+S = ${r.penaltyUsdcPerDetection.toFixed(3)} USDC; difference ${r.relativeDifference === null ? 'n/a' : `${(r.relativeDifference * 100).toFixed(1)} %`}`,
        );
        console.log(`command: ${command}`);
      }
      process.exitCode = ok ? exitCodes.ok : exitCodes.checkFailed;
    });
}

const policyNames: readonly SealedAuditPolicy[] = sealedAuditPolicies;

function sealedCells(o: Options): SealedSweepParameters {
  const shares = parseList('--sealed-share', o.sealedShare ?? '', { min: 0, max: 1 });
  const policies = o.sealedPolicy.split(',').filter((x) => x.trim() !== '');
  const bad = policies.find((x) => !policyNames.includes(x as SealedAuditPolicy));
  if (policies.length === 0 || bad !== undefined)
    throw new UsageError(
      `--sealed-policy=${JSON.stringify(o.sealedPolicy)} must list some of ${policyNames.join(', ')}`,
      '--sealed-policy',
    );
  return {
    shares,
    policies: policies as SealedAuditPolicy[],
    auditOptInShare: parseNumber('--opt-in-share', o.optInShare, { min: 0, max: 1 }),
    teeFailureRate: parseNumber('--tee-failure', o.teeFailure, { min: 0, max: 1 }),
  };
}

const sealedFlags = (c: SealedSweepParameters) =>
  `--sealed-share ${c.shares.join(',')} --sealed-policy ${c.policies.join(',')} --opt-in-share ${c.auditOptInShare} --tee-failure ${c.teeFailureRate}`;

const fmt = (x: number | null) =>
  x === null ? 'none' : Number.isFinite(x) ? x.toFixed(5) : 'never';

async function runSealedSweep(
  base: Parameters<typeof measureSealedDeterrence>[0],
  cells: SealedSweepParameters,
  command: string,
  json: boolean,
): Promise<void> {
  const total = cells.shares.reduce((n, s) => n + (s === 0 ? 1 : cells.policies.length), 0);
  const progress = createProgress('sealed deterrence', total);
  let done = 0;
  const rows = await measureSealedDeterrence(base, cells, () => progress.update(++done));
  progress.stop();
  const ok = rows.every((r) => r.agrees);
  if (json) {
    console.log(
      JSON.stringify({
        rows: rows.map((r) => ({
          share: r.share,
          policy: r.policy,
          agrees: r.agrees,
          ...r.result,
        })),
        commit: gitCommit(),
        command,
        agreesWithin10Percent: ok,
      }),
    );
  } else {
    console.log(
      'sealed share  policy      a = auditable  simulated p*  formula p*  R+S USDC  difference',
    );
    for (const r of rows)
      console.log(
        `${r.share.toFixed(2).padStart(12)}  ${r.policy.padEnd(10)} ${r.result.auditableShare.toFixed(3).padStart(14)} ${fmt(r.result.measuredBoundary).padStart(13)} ${fmt(r.result.analyticBoundary).padStart(11)} ${r.result.penaltyUsdcPerDetection.toFixed(3).padStart(9)}  ${r.result.relativeDifference === null ? (r.agrees ? 'both never' : 'n/a') : `${(r.result.relativeDifference * 100).toFixed(1)} %`}`,
      );
    console.log(
      `formula: p* = C / ((1 − r) · a · (R + S)), a = 1 − s(1 − o) (opt-in, o = ${cells.auditOptInShare}), 1 − s (unaudited), 1 − s·f (tee, f = ${cells.teeFailureRate}); C = ${base.savingUsdcPerFakedJob} USDC, r = ${rows[0]?.result.colludingShare.toFixed(3) ?? '0'}`,
    );
    console.log(`command: ${command}`);
  }
  process.exitCode = ok ? exitCodes.ok : exitCodes.checkFailed;
}

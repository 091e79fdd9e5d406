import type { Command } from 'commander';
import { measureDeterrence } from '../../sim/deterrence/deterrence.ts';
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
      const progress = createProgress('deterrence', rates.length);
      let done = 0;
      const r = await measureDeterrence(
        {
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
        },
        () => progress.update(++done),
      );
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

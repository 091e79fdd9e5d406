import type { Command } from 'commander';
import { replayTrace } from '../../sim/run/replayTrace.ts';
import { TraceFormatError } from '../../sim/trace/traceFile.ts';
import { exitCodes, UsageError } from '../errors.ts';

export function registerReplay(program: Command): void {
  program
    .command('replay')
    .description(
      'Re-apply a run’s trace from genesis and check it reproduces the recorded state hash',
    )
    .argument('<trace>', 'a trace.jsonl.gz written by `onesim run`')
    .option('--json', 'print one JSON object as the last line of stdout')
    .action(async (path: string, o: { json?: boolean }) => {
      let r: Awaited<ReturnType<typeof replayTrace>>;
      try {
        r = await replayTrace(path);
      } catch (e) {
        if (e instanceof TraceFormatError || (e as NodeJS.ErrnoException).code === 'ENOENT')
          throw new UsageError((e as Error).message, 'trace');
        throw e;
      }
      if (o.json)
        console.log(
          JSON.stringify({
            trace: path,
            scenario: r.header.scenario,
            seed: r.header.seed,
            commit: r.header.commit,
            actions: r.actions,
            stateHash: r.stateHash,
            expectedStateHash: r.expectedStateHash,
            matches: r.matches,
            firstRejection: r.firstRejection,
          }),
        );
      else {
        console.log(`replayed ${r.actions.toLocaleString('en-US')} actions from ${path}`);
        console.log(`  state hash  ${r.stateHash}`);
        console.log(
          `  recorded    ${r.expectedStateHash ?? '(no footer: the run did not finish writing)'}`,
        );
        if (r.firstRejection)
          console.log(
            `  first rejected action #${r.firstRejection.index}: ${r.firstRejection.code}: ${r.firstRejection.message}`,
          );
        console.log(r.matches ? '  reproduces the run exactly' : '  DOES NOT reproduce the run');
      }
      process.exitCode = r.matches ? exitCodes.ok : exitCodes.checkFailed;
    });
}

import type { Command } from 'commander';
import { type ReplayTraceReturnType, replayTrace } from '../../sim/run/replayTrace.ts';
import { exitCodes, UsageError } from '../errors.ts';

/** Where the replay first stops reproducing the run, as far as the trace's checkpoints tell. */
function checkpointLines(r: ReplayTraceReturnType): string[] {
  if (r.checkpoints === 0)
    return ['checkpoints  none recorded in this trace: only the final state hash is compared'];
  const d = r.firstDifferentCheckpoint;
  if (!d) return [`checkpoints  ${r.checkpoints}, every one reproduced`];
  const from =
    d.lastMatchingActionIndex < 0
      ? 'no checkpoint before it matched'
      : `the previous checkpoint (after action #${d.lastMatchingActionIndex}) matched`;
  return [
    `FIRST DIFFERENT CHECKPOINT #${d.checkpoint} of ${r.checkpoints}: after action #${d.actionIndex} (day ${d.day}, ${d.atMs} ms): recorded ${d.recorded}, replay ${d.replayed}`,
    `  ${from}: the first action that changes the outcome is among #${d.lastMatchingActionIndex + 1}..#${d.actionIndex}`,
  ];
}

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
        if ((e as NodeJS.ErrnoException).code === 'ENOENT')
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
            checkpoints: r.checkpoints,
            firstDifferentCheckpoint: r.firstDifferentCheckpoint,
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
        for (const line of checkpointLines(r)) console.log(`  ${line}`);
        console.log(r.matches ? '  reproduces the run exactly' : '  DOES NOT reproduce the run');
      }
      process.exitCode = r.matches ? exitCodes.ok : exitCodes.checkFailed;
    });
}

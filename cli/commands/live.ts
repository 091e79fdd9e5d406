import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { Command } from 'commander';
import { toJsonText } from '../../protocol/actionSchema.ts';
import type { KeySource } from '../../sim/live/accounts.ts';
import { assertRpcAllowed } from '../../sim/live/rpc.ts';
import { type RunLiveResult, runLive } from '../../sim/live/runLive.ts';
import { exitCodes, UsageError } from '../errors.ts';
import { parseNumber } from '../flags.ts';
import { gitCommit } from '../gitCommit.ts';
import { createProgress, onInterrupt } from '../progress.ts';
import { type LiveInput, liveInput, liveScaleDefault } from './liveInput.ts';

type LiveOptions = {
  days?: string;
  seed: string;
  scale?: string;
  model?: string;
  jobs?: string;
  rpc?: string;
  allowRemote?: boolean;
  checkEvery: string;
  keyFile?: string;
  out: string;
  json?: boolean;
};

/** `onesim live`: the same actions on the TS model and on the contracts (Anvil), compared. */
export function registerLive(program: Command): void {
  program
    .command('live')
    .description(
      'Run protocol actions on the TS model and on the Solidity contracts side by side (a local ' +
        'Anvil unless --rpc), comparing every accept/reject and the projected state; exit 1 at ' +
        'the first divergence, with a replay file under --out',
    )
    .argument(
      '<scenario>',
      '"random" (seeded random actions), "harness" (real inferences and EIP-712 receipts), a ' +
        'named scenario (see `onesim scenarios`) or scenario file (.ts), simulated on whole ' +
        'seconds for its actions, or an action file (.json) to replay',
    )
    .option('--days <d>', 'simulated days (default: 3 for random, the scenario’s for a named one)')
    .option('--seed <s>', 'seed of the random scenario or the simulation (integer)', '1')
    .option(
      '--scale <f>',
      `network size factor of a named scenario, as in sweep: holders, workers, sponsors, treasury × f, 0 < f <= 1 (default ${liveScaleDefault})`,
    )
    .option('--model <name>', 'harness scenario: the zoo model that runs every job (default mlp-s)')
    .option('--jobs <n>', 'harness scenario: jobs, each a real inference (default 16)')
    .option(
      '--rpc <url>',
      'an Anvil-compatible node (evm_mine with timestamps) instead of a local Anvil',
    )
    .option('--allow-remote', 'allow a non-loopback --rpc (transactions are signed and sent there)')
    .option(
      '--check-every <n>',
      'compare the whole projection every n actions (0: at the end only)',
      '100',
    )
    .option(
      '--key-file <path>',
      'JSON array of private keys (0x…) instead of Anvil’s development accounts',
    )
    .option('--out <dir>', 'folder for the replay file of a divergence', 'out')
    .option('--json', 'print one JSON object as the last line of stdout')
    .action((scenario: string, options: LiveOptions) => runLiveCommand(scenario, options));
}

function readKeyFile(path: string): KeySource {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new UsageError(
      `--key-file ${path}: cannot read JSON: ${(e as Error).message}`,
      '--key-file',
    );
  }
  const keys = Array.isArray(data) ? data : (data as { privateKeys?: unknown })?.privateKeys;
  if (!Array.isArray(keys) || keys.length < 5)
    throw new UsageError(
      `--key-file ${path}: expected a JSON array of at least 5 private keys`,
      '--key-file',
    );
  const bad = keys.findIndex((k) => typeof k !== 'string' || !/^0x[0-9a-fA-F]{64}$/.test(k));
  // The key itself is never printed, only its position.
  if (bad >= 0)
    throw new UsageError(
      `--key-file ${path}: entry ${bad} is not a 0x-prefixed 32-byte hex key`,
      '--key-file',
    );
  return { kind: 'keys', privateKeys: keys as `0x${string}`[] };
}

async function runLiveCommand(scenario: string, o: LiveOptions): Promise<void> {
  const seed = parseNumber('--seed', o.seed, { integer: true, min: 0, max: 2 ** 31 - 1 });
  const checkEvery = parseNumber('--check-every', o.checkEvery, {
    integer: true,
    min: 0,
    max: 1e9,
  });
  if (o.rpc !== undefined) {
    assertRpcAllowed(o.rpc, o.allowRemote);
  }
  const keys = o.keyFile ? readKeyFile(o.keyFile) : undefined;
  const commit = gitCommit();
  const interrupt = onInterrupt();
  try {
    const input = await liveInput(scenario, { ...o, seed, commit, interrupt });
    const command = `onesim live ${scenario}${input.flags} --check-every ${checkEvery}`;
    for (const note of input.notes ?? []) process.stdout.write(`live: note: ${note}\n`);
    if (interrupt.requested) {
      process.stdout.write('live: interrupted while simulating; nothing was sent\n');
      if (o.json)
        process.stdout.write(
          `${toJsonText({ ok: true, interrupted: true, actions: 0, command })}\n`,
        );
      return;
    }
    const result = await runInput(input, {
      rpc: o.rpc,
      allowRemote: o.allowRemote,
      out: o.out,
      keys,
      checkEvery,
      seed,
      interrupt,
    });
    const report = liveReport(result, input, { scenario, seed, commit, command });
    printResult(report, result, o.json === true);
    // Infrastructure that failed under the run is not a finding about the protocol: exit 2.
    process.exitCode = result.error
      ? exitCodes.badInput
      : report.ok
        ? exitCodes.ok
        : exitCodes.checkFailed;
  } finally {
    interrupt.dispose();
  }
}

async function runInput(
  input: LiveInput,
  o: Pick<LiveOptions, 'rpc' | 'allowRemote' | 'out'> & {
    keys?: KeySource;
    checkEvery: number;
    seed: number;
    interrupt: ReturnType<typeof onInterrupt>;
  },
): Promise<RunLiveResult> {
  const dayMs = input.params.dayMs;
  // A stream known up front counts actions; the random one counts days.
  const progress = createProgress('live', input.total ?? input.days ?? 1);
  try {
    return await runLive({
      params: input.params,
      actions: input.actions,
      signatures: input.signatures,
      pinnedKeys: input.pinnedKeys,
      rpcUrl: o.rpc,
      allowRemote: o.allowRemote,
      keys: o.keys,
      checkEvery: o.checkEvery,
      seed: o.seed,
      replayDir: o.out,
      clockMs: () => performance.now(),
      onProgress: (n, atMs) => progress.update(input.total ? n : Math.floor(atMs / dayMs)),
      shouldStop: () => o.interrupt.requested,
    });
  } finally {
    progress.stop();
    await input.close?.();
  }
}

/** What a run printed as JSON: the run's figures, how to reproduce it and what it checked. */
function liveReport(
  r: RunLiveResult,
  input: LiveInput,
  o: { scenario: string; seed: number; commit: string; command: string },
) {
  // The live model replays the simulation's stream: it must end in the simulation's state.
  const complete = r.ok && !r.interrupted && input.simStatus !== 'interrupted';
  const modelMatchesSimulation =
    input.simStateHash === null || !complete ? null : input.simStateHash === r.modelStateHash;
  return {
    ok: r.ok && modelMatchesSimulation !== false,
    interrupted: r.interrupted,
    scenario: o.scenario,
    seed: o.seed,
    days: input.days,
    scale: input.scale,
    commit: o.commit,
    actions: r.actions,
    onChain: r.stats.onChain,
    offChain: r.stats.offChain,
    transactions: r.stats.transactions,
    blocks: r.stats.blocks,
    checks: r.stats.checks,
    elapsedMs: Math.round(r.elapsedMs),
    actionsPerSec: Math.round(r.actionsPerSec),
    lastAtMs: r.lastAtMs,
    divergence: r.divergence,
    error: r.error,
    replayPath: r.replayPath,
    modelStateHash: r.modelStateHash,
    simulation:
      input.simStateHash === null
        ? null
        : { status: input.simStatus, stateHash: input.simStateHash, modelMatchesSimulation },
    chainAcceptedByType: r.stats.chainAcceptedByType,
    chainRejectedByCode: r.stats.chainRejectedByCode,
    gasPerType: r.gasPerType,
    params: input.params,
    notes: input.notes ?? [],
    command: o.command,
  };
}

function printResult(report: ReturnType<typeof liveReport>, r: RunLiveResult, json: boolean): void {
  const out = (line: string) => process.stdout.write(`${line}\n`);
  out(
    `live: ${r.actions} actions (${r.stats.onChain} on chain, ${r.stats.offChain} off chain) in ${r.stats.blocks} blocks, ${r.stats.transactions} transactions`,
  );
  out(`live: ${Math.round(r.actionsPerSec)} actions/s with ${r.stats.checks} projection checks`);
  for (const g of r.gasPerType) out(`  gas ${g.type}: ${g.gasMean} (${g.count} tx)`);
  if (r.interrupted) out('live: interrupted (a signal); the actions sent so far were checked');
  if (r.error) {
    // One line on stderr says what failed; stdout keeps what ran before it.
    process.stderr.write(`onesim: live: ${r.error.message}\n`);
    out(`live: STOPPED after ${r.actions} actions by an infrastructure failure (${r.error.kind})`);
  }
  if (report.simulation?.status === 'invariant-violated')
    out(
      'live: the simulation stopped at an invariant violation (see onesim run); its actions up to there were sent',
    );
  if (r.divergence) {
    const d = r.divergence;
    out(
      `DIVERGENCE at action ${d.index} (${d.actionType} at ${d.atMs} ms): ${d.field}: model ${d.model}, chain ${d.chain}`,
    );
    out(`replay: ${r.replayPath} (onesim live ${r.replayPath})`);
  } else if (report.simulation?.modelMatchesSimulation === false)
    out(
      `MISMATCH: the live model ends in ${r.modelStateHash}, the simulation of the same actions in ${report.simulation.stateHash}`,
    );
  else if (!r.error) out('live: model and contracts agree');
  out(`reproduce: ${report.command}`);
  if (json) out(toJsonText(report));
}

import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { Command } from 'commander';
import type { KeySource } from '../../sim/live/accounts.ts';
import { LiveInputError, LiveUnsupportedError } from '../../sim/live/liveDriver.ts';
import { randomLiveActions, randomLiveParams } from '../../sim/live/randomActions.ts';
import { isLoopbackUrl } from '../../sim/live/rpc.ts';
import { type RunLiveResult, runLive } from '../../sim/live/runLive.ts';
import { exitCodes, UsageError } from '../errors.ts';
import { parseNumber } from '../flags.ts';
import { readActionFile } from './apply.ts';

type LiveOptions = {
  days: string;
  seed: string;
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
    .argument('<scenario>', '"random" (seeded random actions), or an action file (.json) to replay')
    .option('--days <d>', 'simulated days (random scenario)', '3')
    .option('--seed <s>', 'seed of the random scenario (integer)', '1')
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
  const days = parseNumber('--days', o.days, { integer: true, min: 1, max: 3_650 });
  const seed = parseNumber('--seed', o.seed, { integer: true, min: 0, max: 2 ** 31 - 1 });
  const checkEvery = parseNumber('--check-every', o.checkEvery, {
    integer: true,
    min: 0,
    max: 1e9,
  });
  if (o.rpc !== undefined && !isLoopbackUrl(o.rpc) && !o.allowRemote)
    throw new UsageError(
      `--rpc ${o.rpc} is not a loopback address; pass --allow-remote to send transactions there`,
      '--allow-remote',
    );
  const keys = o.keyFile ? readKeyFile(o.keyFile) : undefined;
  const input = scenarioInput(scenario, { seed, days });
  let result: RunLiveResult;
  try {
    result = await runLive({
      ...input,
      rpcUrl: o.rpc,
      allowRemote: o.allowRemote,
      keys,
      checkEvery,
      seed,
      replayDir: o.out,
      clockMs: () => performance.now(),
      onProgress: (n, atMs) =>
        process.stderr.write(`live: ${n} actions, day ${(atMs / input.params.dayMs).toFixed(2)}\r`),
    });
  } catch (e) {
    if (e instanceof LiveInputError || e instanceof LiveUnsupportedError)
      throw new UsageError(e.message, e.field);
    throw e;
  }
  const command = `onesim live ${scenario}${scenario === 'random' ? ` --days ${days} --seed ${seed}` : ''} --check-every ${checkEvery}`;
  printResult(result, command, o.json === true);
  process.exitCode = result.ok ? exitCodes.ok : exitCodes.checkFailed;
}

function scenarioInput(scenario: string, o: { seed: number; days: number }) {
  if (scenario === 'random') {
    const params = randomLiveParams(o.seed);
    return {
      params,
      actions: (state: Parameters<typeof randomLiveActions>[0]['state']) =>
        randomLiveActions({ seed: o.seed, days: o.days, state }),
    };
  }
  if (scenario.endsWith('.json')) {
    const file = readActionFile(scenario);
    return { params: file.params, actions: file.actions as Array<{ atMs: number; action: never }> };
  }
  throw new UsageError(
    `scenario ${JSON.stringify(scenario)}: expected "random" or an action file (.json)`,
    'scenario',
  );
}

function printResult(r: RunLiveResult, command: string, json: boolean): void {
  const out = (line: string) => process.stdout.write(`${line}\n`);
  out(
    `live: ${r.actions} actions (${r.stats.onChain} on chain, ${r.stats.offChain} off chain) in ${r.stats.blocks} blocks, ${r.stats.transactions} transactions`,
  );
  out(`live: ${Math.round(r.actionsPerSec)} actions/s with ${r.stats.checks} projection checks`);
  for (const g of r.gasPerType) out(`  gas ${g.type}: ${g.gasMean} (${g.count} tx)`);
  if (r.divergence) {
    const d = r.divergence;
    out(
      `DIVERGENCE at action ${d.index} (${d.actionType} at ${d.atMs} ms): ${d.field}: model ${d.model}, chain ${d.chain}`,
    );
    out(`replay: ${r.replayPath} (onesim live ${r.replayPath})`);
  } else out('live: model and contracts agree');
  out(`reproduce: ${command}`);
  if (json)
    out(
      JSON.stringify({
        ok: r.ok,
        actions: r.actions,
        onChain: r.stats.onChain,
        transactions: r.stats.transactions,
        blocks: r.stats.blocks,
        checks: r.stats.checks,
        actionsPerSec: Math.round(r.actionsPerSec),
        lastAtMs: r.lastAtMs,
        divergence: r.divergence,
        replayPath: r.replayPath,
        gasPerType: r.gasPerType,
        command,
      }),
    );
}

import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import type { ParamsInput } from '../../protocol/index.ts';
import { loadScenario } from '../../scenarios/loadScenario.ts';
import { createGateway, gatewayDefaults } from '../../sim/gateway/createGateway.ts';
import { GatewayError } from '../../sim/gateway/gatewayError.ts';
import { servedModels } from '../../sim/gateway/modelIds.ts';
import { type Registration, readWorkersFile } from '../../sim/gateway/registration.ts';
import { UsageError } from '../errors.ts';
import { parseNumber } from '../flags.ts';
import { untilSignal } from './serveModel.ts';

type Flags = Record<string, string | boolean | undefined>;

const intFlag = (
  flags: Flags,
  key: string,
  flag: string,
  min: number,
  max: number,
): number | undefined =>
  typeof flags[key] === 'string'
    ? parseNumber(flag, flags[key] as string, { integer: true, min, max })
    : undefined;

/** --epoch-ms, --day-ms, --job-deadline-ms, --job-grace-ms → parameter overrides (validated with the rest). */
function paramsOverrides(flags: Flags): ParamsInput {
  const o: ParamsInput = {};
  const day = intFlag(flags, 'dayMs', '--day-ms', 1, 2 ** 40);
  const epoch = intFlag(flags, 'epochMs', '--epoch-ms', 1, 2 ** 40);
  const deadline = intFlag(flags, 'jobDeadlineMs', '--job-deadline-ms', 1, 2 ** 40);
  const grace = intFlag(flags, 'jobGraceMs', '--job-grace-ms', 1, 2 ** 40);
  if (day !== undefined) o.dayMs = day;
  if (epoch !== undefined) o.settlementEpochMs = epoch;
  if (deadline !== undefined) {
    o.jobDeadlineMaxMs = deadline;
    o.jobDeadlineDefaultMs = deadline;
  }
  if (grace !== undefined) o.jobGraceMs = grace;
  return o;
}

/** --workers FILE (listed keys only), --open-registration (anyone whose receipt verifies), or neither (closed). */
function registrationOf(flags: Flags, served: ReadonlySet<string>): Registration {
  if (typeof flags.workers === 'string' && flags.openRegistration)
    throw new UsageError(
      '--workers and --open-registration: choose one (a list of keys, or anyone)',
      'workers',
    );
  if (flags.openRegistration) return { mode: 'open' };
  if (typeof flags.workers !== 'string') return { mode: 'closed' };
  return { mode: 'list', workers: readWorkersFile(flags.workers, served) };
}

const registrationLine: Record<Registration['mode'], string> = {
  open: 'open registration: any key whose first result verifies is bonded and attested by the simulated attestor',
  list: 'registration by list: only the keys in --workers may post results',
  closed:
    'registration closed: every result will be refused (403); pass --workers FILE or --open-registration',
};

async function action(flags: Flags): Promise<void> {
  const scenario = await loadScenario(String(flags.scenario));
  const port = parseNumber('--port', String(flags.port), { integer: true, min: 0, max: 65_535 });
  const logPath =
    typeof flags.log === 'string'
      ? flags.log
      : join('out', 'gateway', scenario.name, 'actions.jsonl');
  const modelName = typeof flags.model === 'string' ? flags.model : null;
  let served: Set<string>;
  try {
    served = new Set(
      servedModels(modelName ? [modelName] : scenario.models.map((m) => m.name)).keys(),
    );
  } catch (error) {
    throw new UsageError(`--model: ${(error as Error).message}`, 'model');
  }
  const registration = registrationOf(flags, served);
  mkdirSync(dirname(logPath), { recursive: true });
  let gateway: ReturnType<typeof createGateway>;
  try {
    gateway = createGateway({
      scenario,
      logPath,
      clock: Date.now,
      paramsOverrides: paramsOverrides(flags),
      demandScale:
        typeof flags.demandScale === 'string'
          ? parseNumber('--demand-scale', flags.demandScale, { min: 0, max: 1e6 })
          : gatewayDefaults.demandScale,
      modelName,
      maxTokens:
        intFlag(flags, 'maxTokens', '--max-tokens', 1, 1_000_000) ?? gatewayDefaults.maxTokens,
      seed: intFlag(flags, 'seed', '--seed', 0, 2 ** 32 - 1) ?? gatewayDefaults.seed,
      holdersMax:
        intFlag(flags, 'holdersMax', '--holders-max', 0, 100_000) ?? gatewayDefaults.holdersMax,
      workerSlots:
        intFlag(flags, 'workerSlots', '--worker-slots', 1, 256) ?? gatewayDefaults.workerSlots,
      tickMs: intFlag(flags, 'tickMs', '--tick-ms', 1, 60_000) ?? gatewayDefaults.tickMs,
      leaseMs: intFlag(flags, 'leaseMs', '--lease-ms', 1, 2 ** 40) ?? gatewayDefaults.leaseMs,
      registration,
      onRegistered: (w) =>
        process.stdout.write(
          `registered worker ${w.address} (key ${w.key.slice(0, 24)}…) by open registration, attested by the simulated attestor, models ${w.models.join(', ')}\n`,
        ),
    });
  } catch (error) {
    if (error instanceof GatewayError)
      throw new UsageError(`--workers: ${error.message}`, 'workers');
    throw error;
  }
  const url = await gateway.listen(port, String(flags.host));
  const resumed =
    gateway.resumedEntries > 0
      ? `resumed from ${gateway.resumedEntries} logged actions`
      : 'fresh genesis';
  process.stdout.write(
    `gateway for ${scenario.name} at ${url} (${resumed}; log ${logPath}); models ${[...gateway.core.modelIds.keys()].join(', ')}; ${registrationLine[registration.mode]}\n`,
  );
  const signal = await untilSignal();
  const status = gateway.status();
  await gateway.close();
  const t = status.jobs;
  process.stdout.write(
    `stopped on ${signal}: ${t.submitted} jobs submitted, ${t.completed} completed, ${t.settled} settled, ${status.rejections.total} results/requests refused, ${status.workers.length} workers; log fsync'd at ${logPath}\n`,
  );
  if (flags.json) process.stdout.write(`${JSON.stringify(status)}\n`);
}

/** `onesim gateway`: the protocol core as a live service speaking the ONE worker protocol. */
export function registerGateway(program: Command): void {
  program
    .command('gateway')
    .description(
      'Run the protocol as a live service: jobs from the scenario or POST /jobs, ONE workers poll /jobs/next and post signed results',
    )
    .requiredOption(
      '--scenario <name|path>',
      'scenario whose treasury, holders, sponsors and demand the gateway starts from',
    )
    .option('--port <n>', 'TCP port (0 = any free port)', '8080')
    .option('--host <addr>', 'address to listen on', '127.0.0.1')
    .option(
      '--log <path>',
      'durable action log; an existing one is replayed (default out/gateway/<scenario>/actions.jsonl)',
    )
    .option(
      '--demand-scale <f>',
      'multiplies the scenario’s job rates (0 = only POST /jobs; default 1)',
    )
    .option(
      '--model <name>',
      'serve this one model (generated jobs ask for it) instead of the scenario’s models',
    )
    .option(
      '--max-tokens <n>',
      `max_tokens of generated jobs (default ${gatewayDefaults.maxTokens})`,
    )
    .option('--seed <n>', 'seed of the generated demand (default 1)')
    .option('--day-ms <n>', 'params.dayMs override (a fresh log only)')
    .option('--epoch-ms <n>', 'params.settlementEpochMs override (must divide the day)')
    .option('--job-deadline-ms <n>', 'params.jobDeadlineMaxMs and jobDeadlineDefaultMs override')
    .option('--job-grace-ms <n>', 'params.jobGraceMs override')
    .option(
      '--holders-max <n>',
      `holder accounts created from the scenario (default ${gatewayDefaults.holdersMax})`,
    )
    .option(
      '--worker-slots <n>',
      `slots each worker registers with (default ${gatewayDefaults.workerSlots})`,
    )
    .option('--tick-ms <n>', `calendar and demand timer (default ${gatewayDefaults.tickMs})`)
    .option(
      '--workers <file>',
      'JSON {"workers": [{"key": base64 SPKI ed25519, "models": [...], "attestation"?: {...}}]}: only these keys may work',
    )
    .option(
      '--open-registration',
      'any key whose first result verifies is bonded and attested by the simulated attestor (logged)',
    )
    .option(
      '--lease-ms <n>',
      `how long a handed-out job waits for its result before it goes back to the queue (default ${gatewayDefaults.leaseMs}, capped by the job's deadline)`,
    )
    .option('--json', 'on exit, print the final status as one JSON object on the last stdout line')
    .action(action);
}

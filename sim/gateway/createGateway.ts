import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Params, type ParamsInput, resolveParams } from '../../protocol/index.ts';
import type { Scenario } from '../scenario/scenarioSchema.ts';
import { type ActionLog, LogReadError, openLog, readLog } from './actionLog.ts';
import { createDemand, type Demand } from './demand.ts';
import type { GatewayWorker } from './gatewayCore.ts';
import { createCore, type GatewayCore } from './gatewayCore.ts';
import { GatewayError } from './gatewayError.ts';
import { createGatewayHttp } from './gatewayHttp.ts';
import { gatewayStatus } from './gatewayStatus.ts';
import { servedModels } from './modelIds.ts';
import { type Registration, registerWorker } from './registration.ts';
import { runSchedule, type ScheduleCounts } from './runSchedule.ts';
import { type Requesters, requestersOf, scenarioGenesis } from './scenarioGenesis.ts';
import { createSealedJobs } from './sealedJobs.ts';

export type GatewayOptions = {
  scenario: Scenario;
  /** Overrides on top of the scenario's params (e.g. a short dayMs for tests); validated. */
  paramsOverrides: ParamsInput;
  /** The durable action log; an existing log is replayed and its calendar and params kept. */
  logPath: string;
  /** Wall clock, ms since the Unix epoch (the CLI passes the system clock). */
  clock: () => number;
  demandScale: number;
  /** Generated jobs all ask for this model (null = the scenario's model names). */
  modelName: string | null;
  maxTokens: number;
  seed: number;
  holdersMax: number;
  sponsorsMax: number;
  workerSlots: number;
  tickMs: number;
  bodyBytesMax: number;
  /** Who may work: listed keys, anyone whose receipt verifies, or nobody (see registration.ts). */
  registration: Registration;
  /** How long a handed-out job waits for its result before it goes back to the queue (capped by its deadline). */
  leaseMs: number;
  /** Told of each worker open registration admits. */
  onRegistered?: (w: GatewayWorker) => void;
};

export const gatewayDefaults = {
  demandScale: 1,
  modelName: null,
  maxTokens: 8,
  seed: 1,
  holdersMax: 64,
  sponsorsMax: 8,
  workerSlots: 2,
  tickMs: 50,
  bodyBytesMax: 1 << 20,
  leaseMs: 60_000,
} as const;

export type GatewayStatus = ReturnType<typeof gatewayStatus> & {
  schedule: ScheduleCounts;
  demand: Demand['counts'];
  resumedEntries: number;
  registration: Registration['mode'];
  leaseMs: number;
  logPath: string;
  tickError: string | null;
};

export type Gateway = {
  readonly core: GatewayCore;
  readonly server: Server;
  readonly requesters: Requesters;
  /** Entries replayed from an existing log (0 for a fresh gateway). */
  readonly resumedEntries: number;
  listen(port: number, host?: string): Promise<string>;
  status(): GatewayStatus;
  /** Runs the calendar and the demand now (the timer does it every tickMs). */
  tick(): void;
  /** Stops timers and HTTP, commits (fsyncs) the log and closes it. */
  close(): Promise<void>;
};

type Opened = { core: GatewayCore; log: ActionLog; requesters: Requesters; resumed: number };

type LogConfig = { params: Params; requesters: Requesters; models: string[] };

/** Replays an existing log; a refused entry is a LogReadError naming its line, and the log stays as it is. */
function resume(o: GatewayOptions, previous: NonNullable<ReturnType<typeof readLog>>): Opened {
  const c = previous.header.config as LogConfig;
  const core = createCore({
    params: resolveParams(c.params as ParamsInput),
    clock: o.clock,
    genesisEpochMs: previous.header.genesisEpochMs,
    modelIds: servedModels(c.models),
  });
  for (const e of previous.entries) {
    try {
      core.replay(e.atMs, e.action, e.meta);
    } catch (error) {
      throw new LogReadError(o.logPath, e.line, (error as Error).message);
    }
  }
  previous.cutTornTail();
  core.log = openLog(o.logPath, null);
  return { core, log: core.log, requesters: c.requesters, resumed: previous.entries.length };
}

function openOrResume(o: GatewayOptions): Opened {
  const previous = readLog(o.logPath);
  if (previous) return resume(o, previous);
  const params = resolveParams({ ...(o.scenario.params as ParamsInput), ...o.paramsOverrides });
  const models = o.modelName ? [o.modelName] : o.scenario.models.map((m) => m.name);
  const genesisEpochMs = Math.floor(o.clock());
  const core = createCore({
    params,
    clock: o.clock,
    genesisEpochMs,
    modelIds: servedModels(models),
  });
  const requesters = requestersOf(o.scenario, o.holdersMax, o.sponsorsMax);
  const config: LogConfig & { scenario: string } = {
    scenario: o.scenario.name,
    params,
    requesters,
    models,
  };
  core.log = openLog(o.logPath, {
    kind: 'header',
    schema: 'onesim/gateway-log/v1',
    genesisEpochMs,
    config,
  });
  scenarioGenesis({ core, scenario: o.scenario, requesters });
  return { core, log: core.log, requesters, resumed: 0 };
}

/** Registers the listed workers the log does not know yet (a fresh gateway: all of them). */
function registerListed(core: GatewayCore, o: GatewayOptions): void {
  if (o.registration.mode !== 'list') return;
  o.registration.workers.forEach((w, i) => {
    for (const m of w.models)
      if (!core.modelIds.has(m))
        throw new GatewayError(
          400,
          'UnknownModel',
          `workers.${i}.models: ${m} is not served by this gateway (${[...core.modelIds.keys()].join(', ')})`,
          `workers.${i}.models`,
        );
    registerWorker(core, w, o.workerSlots, 'listed', `workers.${i}`);
  });
}

/**
 * Starts the protocol as a live service: replays `logPath` when it exists (a restart), else
 * runs the scenario's genesis; then the calendar and the scenario's demand run on timers and
 * the HTTP API takes jobs and results. Call `listen` to open the port.
 */
export function createGateway(
  options: Partial<GatewayOptions> & Pick<GatewayOptions, 'scenario' | 'logPath' | 'clock'>,
): Gateway {
  const o: GatewayOptions = {
    ...gatewayDefaults,
    paramsOverrides: {},
    registration: { mode: 'closed' },
    ...options,
  };
  const { core, log, requesters, resumed } = openOrResume(o);
  registerListed(core, o);
  const counts: ScheduleCounts = { daysStarted: 0, epochsSettled: 0, claims: 0, expired: 0 };
  const demand: Demand = createDemand(
    core,
    {
      scenario: o.scenario,
      requesters,
      scale: o.demandScale,
      modelName: o.modelName,
      maxTokens: o.maxTokens,
      seed: o.seed,
    },
    core.nowMs(),
  );
  const cuByName = new Map(o.scenario.models.map((m) => [m.name, BigInt(m.cuPerRequest)]));
  const status = () =>
    gatewayStatus(core, {
      schedule: counts,
      demand: demand.counts,
      resumedEntries: resumed,
      registration: o.registration.mode,
      leaseMs: o.leaseMs,
      logPath: log.path,
      tickError,
    });
  const server = createGatewayHttp({
    core,
    bodyBytesMax: o.bodyBytesMax,
    workerSlots: o.workerSlots,
    registration: o.registration,
    leaseMs: o.leaseMs,
    sealed: createSealedJobs(),
    ...(o.onRegistered ? { onRegistered: o.onRegistered } : {}),
    defaultUnits: (name, params) =>
      cuByName.get(name) ??
      BigInt(
        typeof params.max_tokens === 'number' && params.max_tokens > 0
          ? Math.ceil(params.max_tokens)
          : 16,
      ),
    status,
  });
  let tickError: string | null = null;
  const tick = () => {
    try {
      runSchedule(core, counts);
      demand.runUntil(core.nowMs());
    } catch (error) {
      // A refused calendar action is a bug in the gateway; keep serving and show it in /status.
      tickError = error instanceof Error ? error.message : String(error);
    }
    log.commit().catch((error: unknown) => {
      tickError = `action log: ${error instanceof Error ? error.message : String(error)}`;
    });
  };
  tick();
  const timer = setInterval(tick, o.tickMs);
  return {
    core,
    server,
    requesters,
    resumedEntries: resumed,
    status,
    tick,
    listen: (port, host = '127.0.0.1') =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () =>
          resolve(`http://${host}:${(server.address() as AddressInfo).port}`),
        );
      }),
    async close() {
      clearInterval(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await log.close();
    },
  };
}

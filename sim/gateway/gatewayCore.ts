import {
  type Action,
  type Address,
  createActor,
  createState,
  type Hex,
  type OneWorkerReceipt,
  type Params,
  type ProtocolEvent,
  type State,
  type StepResult,
  simVerifier,
} from '../../protocol/index.ts';
import type { ActionLog, ActionMeta } from './actionLog.ts';

/** OpenAI chat-completion parameters, as the worker receives them. */
export type ChatParams = Record<string, unknown>;

/** A job handed out on a poll: the id the worker posts its result to, until when, and to whom if the poll said. */
export type GatewayLease = {
  /** `<jobId>.<n>`: the n-th lease of the job (the real client posts to `/jobs/<id>/result`). */
  id: string;
  untilMs: number;
  /** The key an identified poll (`x-one-worker`) named; only it may answer. null: anonymous. */
  boundKey: string | null;
};

/** The gateway's view of a job next to the protocol's: what the worker runs and its current lease. */
export type GatewayJob = {
  id: number;
  modelName: string;
  params: ChatParams;
  /** sha256 hex of the params' sorted-key JSON: the ONE receipt's requestHash. */
  requestHash: string;
  lease: GatewayLease | null;
  /** Leases issued so far (the next lease id is `<id>.<leases + 1>`). */
  leases: number;
  /** A sealed job: the key of the one worker that can open it (sim/gateway/sealedJobs.ts). */
  sealedFor?: string;
};

/** A worker known by its ed25519 key, and its ONE-format receipt chain. */
export type GatewayWorker = {
  address: Address;
  key: string;
  /** Model names it may serve (the registration's). */
  models: string[];
  receipts: number;
  /** linkHash of the last accepted ONE receipt ("" at genesis). */
  head: string;
  /** Receipts that started the chain again from "" (a worker that lost its chain state). */
  chainRestarts: number;
  rejections: Record<string, number>;
};

export type GatewayCounts = { leasesIssued: number; leasesLapsed: number };

export type GatewayCore = {
  readonly state: State;
  readonly params: Params;
  readonly jobs: Map<number, GatewayJob>;
  readonly workers: Map<Address, GatewayWorker>;
  /** The models this gateway serves: name → protocol model id (bytes32). Fixed at genesis. */
  readonly modelIds: ReadonlyMap<string, Hex>;
  readonly rejections: { total: number; byCode: Record<string, number> };
  readonly counts: GatewayCounts;
  /** Protocol time now: wall-clock ms since genesis, never behind the state's clock. */
  nowMs(): number;
  /** Applies one action now (or at `atMs`, not before now); when accepted it is logged (with `meta`) and the gateway's view follows. */
  act(action: Action, meta?: ActionMeta, atMs?: number): StepResult;
  /** Replays a logged action at its recorded time (restart); it must be accepted. */
  replay(atMs: number, action: Action, meta?: ActionMeta): void;
  log: ActionLog | null;
};

export type CreateCoreParameters = {
  params: Params;
  /** Wall clock (ms, Unix epoch): injected so tests and the simulator can drive it. */
  clock: () => number;
  genesisEpochMs: number;
  modelIds: ReadonlyMap<string, Hex>;
};

export function createCore(p: CreateCoreParameters): GatewayCore {
  const state = createState(p.params);
  const names = new Map([...p.modelIds].map(([name, id]) => [id, name]));
  // What the action being applied carries besides itself, and what it found.
  let current: { meta?: ActionMeta; before: ReturnType<typeof footprint> } = {
    before: footprint(state),
  };
  const actor = createActor({
    state,
    env: { verifier: simVerifier },
    onAccepted: (atMs, action, events) => {
      const { meta, before } = current;
      if (worthLogging(action, events, before, footprint(state)))
        core.log?.append({ kind: 'action', atMs, action, ...(meta ? { meta } : {}) });
      observe(core, names, events, meta);
    },
  });
  const core: GatewayCore = {
    state,
    params: p.params,
    jobs: new Map(),
    workers: new Map(),
    modelIds: p.modelIds,
    rejections: { total: 0, byCode: {} },
    counts: { leasesIssued: 0, leasesLapsed: 0 },
    log: null,
    nowMs: () => Math.max(state.nowMs, Math.floor(p.clock() - p.genesisEpochMs)),
    act(action, meta, at) {
      current = { ...(meta ? { meta } : {}), before: footprint(state) };
      return actor.act(action, at ?? core.nowMs());
    },
    replay(atMs, action, meta) {
      // Before the log is opened (resume), so nothing is logged twice.
      const r = core.act(action, meta, atMs);
      if (!r.ok) throw new Error(`${action.type} at ${atMs} ms rejected: ${r.code}: ${r.message}`);
    },
  };
  return core;
}

/** What a silent expiry can still touch: the deadline heap. */
const footprint = (state: State) => ({ deadlines: state.deadlines.atMs.length });

/**
 * Timer actions and polls that did nothing are not logged (an idle gateway would write a line
 * per poll): an expiry that popped no deadline or a lease that found no job changes nothing but
 * the clock. Anything else is logged, so a replay rebuilds the same state and the same leases.
 */
function worthLogging(
  action: Action,
  events: readonly ProtocolEvent[],
  before: ReturnType<typeof footprint>,
  after: ReturnType<typeof footprint>,
): boolean {
  if (events.length > 0) return true;
  if (action.type === 'leaseJob') return false;
  if (action.type === 'expireJobs') return before.deadlines !== after.deadlines;
  return true;
}

/** Keeps the gateway's maps in step with what the protocol just did. */
function observe(
  core: GatewayCore,
  names: Map<Hex, string>,
  events: readonly ProtocolEvent[],
  meta?: ActionMeta,
): void {
  for (const e of events) {
    if (e.type === 'WorkerRegistered' && typeof meta?.workerKey === 'string') {
      const pw = core.state.workers.get(e.worker)!;
      core.workers.set(e.worker, {
        address: e.worker,
        key: meta.workerKey,
        models: pw.models.map((id) => names.get(id as Hex) ?? id),
        receipts: 0,
        head: '',
        chainRestarts: 0,
        rejections: {},
      });
    } else if (e.type === 'JobSubmitted') {
      core.jobs.set(e.jobId, {
        id: e.jobId,
        modelName: String(meta?.modelName ?? e.model),
        params: (meta?.params ?? {}) as ChatParams,
        requestHash: String(meta?.requestHash ?? ''),
        lease: null,
        leases: 0,
        ...(typeof meta?.sealedFor === 'string' ? { sealedFor: meta.sealedFor } : {}),
      });
    } else if (e.type === 'JobLeased') {
      const job = core.jobs.get(e.jobId)!;
      job.leases += 1;
      core.counts.leasesIssued += 1;
      job.lease = {
        id: `${job.id}.${job.leases}`,
        untilMs: e.leaseUntilMs,
        boundKey: typeof meta?.boundKey === 'string' ? meta.boundKey : null,
      };
    } else if (e.type === 'JobLeaseEnded') {
      const job = core.jobs.get(e.jobId);
      if (job) job.lease = null;
      core.counts.leasesLapsed += 1;
    } else if (e.type === 'JobCompleted') {
      const job = core.jobs.get(e.jobId);
      if (job) job.lease = null;
      const w = core.workers.get(e.worker);
      const one = meta?.one as { receipt: OneWorkerReceipt; link: string } | undefined;
      if (w && one) {
        w.receipts += 1;
        if (one.receipt.prev === '' && w.head !== '') w.chainRestarts += 1;
        w.head = one.link;
      }
    } else if (e.type === 'JobExpired' || e.type === 'JobFailed' || e.type === 'ReceiptSettled') {
      core.jobs.delete(e.jobId);
    }
  }
}

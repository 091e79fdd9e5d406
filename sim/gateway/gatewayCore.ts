import {
  type Action,
  type Address,
  createState,
  type Hex,
  type OneWorkerReceipt,
  type Params,
  type ProtocolEvent,
  type State,
  type StepResult,
  simVerifier,
  step,
} from '../../protocol/index.ts';
import type { ActionLog, ActionMeta } from './actionLog.ts';

/** OpenAI chat-completion parameters, as the worker receives them. */
export type ChatParams = Record<string, unknown>;

/** The gateway's view of a job next to the protocol's: what the worker runs and who holds it. */
export type GatewayJob = {
  id: number;
  modelName: string;
  params: ChatParams;
  /** sha256 hex of the params' sorted-key JSON: the ONE receipt's requestHash. */
  requestHash: string;
  worker: Address | null;
  handedOut: boolean;
};

/** A worker known by its ed25519 key, and its ONE-format receipt chain. */
export type GatewayWorker = {
  address: Address;
  key: string;
  /** Dispatched to this worker, not yet handed out on a poll (job ids, oldest first). */
  assigned: number[];
  receipts: number;
  /** linkHash of the last accepted ONE receipt ("" at genesis). */
  head: string;
  lastReceipt: OneWorkerReceipt | null;
  rejections: Record<string, number>;
};

export type GatewayCore = {
  readonly state: State;
  readonly params: Params;
  readonly jobs: Map<number, GatewayJob>;
  readonly workers: Map<Address, GatewayWorker>;
  /** Model name ↔ protocol model id (bytes32). */
  readonly modelIds: Map<string, Hex>;
  readonly rejections: { total: number; byCode: Record<string, number> };
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
  modelIds: Map<string, Hex>;
};

export function createCore(p: CreateCoreParameters): GatewayCore {
  const state = createState(p.params);
  const core: GatewayCore = {
    state,
    params: p.params,
    jobs: new Map(),
    workers: new Map(),
    modelIds: p.modelIds,
    rejections: { total: 0, byCode: {} },
    log: null,
    nowMs: () => Math.max(state.nowMs, Math.floor(p.clock() - p.genesisEpochMs)),
    act(action, meta, at) {
      const atMs = at ?? core.nowMs();
      const before = footprint(state);
      const r = step(state, action, atMs, { verifier: simVerifier });
      if (!r.ok) return r;
      if (worthLogging(action, r.events, before, footprint(state)))
        core.log?.append({ kind: 'action', atMs, action, ...(meta ? { meta } : {}) });
      observe(core, action, r.events, meta);
      return r;
    },
    replay(atMs, action, meta) {
      const r = step(state, action, atMs, { verifier: simVerifier });
      if (!r.ok)
        throw new Error(
          `gateway log: ${action.type} at ${atMs} ms rejected on replay: ${r.code}: ${r.message}`,
        );
      observe(core, action, r.events, meta);
    },
  };
  return core;
}

/** What a silent dispatch or expiry can still touch: queues (stale ids, token buckets) and the deadline heap. */
const footprint = (state: State) => ({
  queues: state.includedQueues.size + state.dedicatedWaiting.length,
  deadlines: state.deadlines.atMs.length,
});

/**
 * Timer actions that did nothing are not logged (an idle gateway would write one line per
 * poll): a dispatch with every queue empty, or an expiry that popped no deadline, changes
 * nothing but the clock. Anything else is logged, so a replay rebuilds the same state.
 */
function worthLogging(
  action: Action,
  events: ProtocolEvent[],
  before: ReturnType<typeof footprint>,
  after: ReturnType<typeof footprint>,
): boolean {
  if (events.length > 0) return true;
  if (action.type === 'dispatch') return before.queues > 0;
  if (action.type === 'expireJobs') return before.deadlines !== after.deadlines;
  return true;
}

/** Keeps the gateway's maps in step with what the protocol just did. */
function observe(
  core: GatewayCore,
  action: Action,
  events: ProtocolEvent[],
  meta?: ActionMeta,
): void {
  if (action.type === 'registerWorker' && typeof meta?.workerKey === 'string') {
    core.workers.set(action.worker, {
      address: action.worker,
      key: meta.workerKey,
      assigned: [],
      receipts: 0,
      head: '',
      lastReceipt: null,
      rejections: {},
    });
  }
  for (const e of events) {
    if (e.type === 'JobSubmitted') {
      const params = (meta?.params ?? {}) as ChatParams;
      core.jobs.set(e.jobId, {
        id: e.jobId,
        modelName: String(meta?.modelName ?? e.model),
        params,
        requestHash: String(meta?.requestHash ?? ''),
        worker: null,
        handedOut: false,
      });
    } else if (e.type === 'JobDispatched') {
      const job = core.jobs.get(e.jobId);
      if (job) job.worker = e.worker;
      core.workers.get(e.worker)?.assigned.push(e.jobId);
    } else if (e.type === 'JobCompleted') {
      const w = core.workers.get(e.worker);
      const one = meta?.one as { receipt: OneWorkerReceipt; link: string } | undefined;
      if (w && one) {
        w.receipts += 1;
        w.head = one.link;
        w.lastReceipt = one.receipt;
      }
    } else if (e.type === 'JobExpired' || e.type === 'JobFailed') {
      forgetJob(core, e.jobId, e.worker);
    } else if (e.type === 'ReceiptSettled') {
      core.jobs.delete(e.jobId);
    }
  }
}

function forgetJob(core: GatewayCore, jobId: number, worker: Address | null): void {
  core.jobs.delete(jobId);
  const w = worker ? core.workers.get(worker) : undefined;
  if (w) w.assigned = w.assigned.filter((id) => id !== jobId);
}

import {
  type Action,
  type Actor,
  type Address,
  checkStateInvariants,
  createActor,
  createInvariantChecker,
  createSimSigner,
  createState,
  type Hex,
  type InvariantViolation,
  type Params,
  type ProtocolEvent,
  type ReceiptSigner,
  resolveParams,
  type State,
  type StepEnv,
  simVerifier,
  stateHash,
} from '../../protocol/index.ts';
import { EventEngine } from '../engine/createEngine.ts';
import { MetricsCollector, type MetricsRow } from '../metrics/metricsCollector.ts';
import { AliasTable } from '../rng/aliasTable.ts';
import { createRng, type Rng } from '../rng/createRng.ts';
import type { RngStream } from '../rng/rngStream.ts';
import type { Scenario } from '../scenario/scenarioSchema.ts';
import { modelId, requestHashOf } from './addresses.ts';
import { DeploymentSim } from './deployments.ts';
import { absorbEvents } from './jobFlow.ts';
import type { HolderAgent, SponsorAgent, WorkerAgent } from './population.ts';

/** Receives every accepted action, in order, with what it did: the trace. */
export interface ActionSink {
  write(atMs: number, action: Action, events?: readonly ProtocolEvent[]): void;
}

export interface SimulationOptions {
  scenario: Scenario;
  seed: number | string;
  days: number;
  trace?: ActionSink | null;
  /** Record the state hash at every day start (for --check-determinism). */
  dayHashes?: boolean;
  onMetrics?: (row: MetricsRow) => void;
  /**
   * Actions happen at the engine's time rounded up to a multiple of this (ms, default 1). Live
   * runs use 1,000: block timestamps are seconds. Agents keep the exact clock, so arrival and
   * service processes are not stretched; only what the protocol sees is rounded.
   */
  actionTimeQuantumMs?: number;
}

export interface StoppedOnViolation {
  atMs: number;
  actionIndex: number;
  action: string;
  violations: InvariantViolation[];
}

export interface SimModel {
  name: string;
  id: Hex;
  cuPerRequest: bigint;
  cu: number;
}

/**
 * The simulated network: one protocol state, driven only through `step` by seeded agents on
 * the discrete-event engine. Handlers live in demand.ts, jobFlow.ts, calendar.ts, faults.ts.
 */
export class Simulation {
  readonly scenario: Scenario;
  readonly params: Params;
  readonly state: State;
  readonly engine: EventEngine;
  readonly rng: Rng;
  readonly streams: Record<
    | 'population'
    | 'faker'
    | 'demand'
    | 'sponsors'
    | 'faults'
    | 'delays'
    | 'heartbeats'
    | 'oracles'
    | 'adversaries'
    | 'sealing',
    RngStream
  >;
  readonly env: StepEnv = { verifier: simVerifier };
  readonly metrics = new MetricsCollector();
  readonly models: SimModel[];
  readonly modelAlias: AliasTable;
  readonly holders: HolderAgent[] = [];
  readonly workers: WorkerAgent[] = [];
  readonly workerIndex = new Map<string, number>();
  readonly sponsors: SponsorAgent[] = [];
  readonly signers: ReceiptSigner[] = [];
  readonly oracles: Address[] = [];
  readonly pendingVerdicts = new Map<number, { oracle: Address; jobId: number }>();
  nextVerdictId = 1;
  /** Sealed jobs under audit whose trusted-execution attestation passes a wrong result (sealedJobs.teeFailureRate). */
  readonly teeBroken = new Set<number>();
  /** Sealed jobs the protocol accepted, and audits opened on sealed jobs. */
  readonly sealedCounts = { submitted: 0, audited: 0 };
  readonly flashStakers: Address[] = [];
  flashCapitalOneWei = 0n;
  flashCreditsCu = 0;
  holderAlias: AliasTable = new AliasTable([]);
  /** Job id → worker generation at dispatch (a crash since then loses the result). */
  readonly running = new Map<number, number>();
  readonly endMs: number;
  readonly dayHashes: Hex[] = [];
  /** Applies every action (protocol/actor.ts): counts, trace, the simulator's view, step checks. */
  readonly actor: Actor;
  stoppedOnViolation: StoppedOnViolation | null = null;
  invariantChecks = 0;
  queuedIncluded = 0;
  queuedDedicated = 0;
  requestCounter = 0;
  creditsUsedTodayCu = 0;
  dispatchPending = false;
  interrupted = false;
  kinds = {
    boundary: 0,
    arrival: 0,
    sponsorArrival: 0,
    dispatch: 0,
    finish: 0,
    expire: 0,
    metrics: 0,
    crash: 0,
    restart: 0,
    renew: 0,
    closeReservation: 0,
    check: 0,
    verdict: 0,
    release: 0,
    flap: 0,
    flashIn: 0,
    flashOut: 0,
    replicaReady: 0,
    rescale: 0,
  };
  /** Deployments' transfers, caches and scaling; null when the scenario deploys nothing. */
  readonly deployments: DeploymentSim | null;

  constructor(readonly options: SimulationOptions) {
    this.scenario = options.scenario;
    this.params = resolveParams(options.scenario.params);
    this.state = createState(this.params);
    this.actor = createActor({
      state: this.state,
      env: this.env,
      onAccepted: (atMs, action, events) => {
        this.options.trace?.write(atMs, action, events);
        absorbEvents(this, events);
        if (this.scenario.run.invariantCheckIntervalMs === 0) this.checkInvariants(action.type);
      },
      // Step invariants read only the events and what the step touched: cheap enough after
      // every settlement and dispatch. The whole state is checked on the scenario's clock.
      checks: (action) =>
        action.type === 'settle' || action.type === 'dispatch' ? 'step' : 'none',
      onViolation: (action, v) => this.stopOnViolation(action, v),
      // Settled receipt ids are not kept across a whole run (millions of them at scale).
      checker: createInvariantChecker({ trackSettled: false }),
    });
    this.engine = new EventEngine({
      eventsMax: this.scenario.run.eventsMax,
      queueMax: this.scenario.run.queueMax,
    });
    this.rng = createRng({ seed: options.seed });
    this.streams = {
      population: this.rng.stream('population'),
      faker: this.rng.stream('faker'),
      demand: this.rng.stream('demand'),
      sponsors: this.rng.stream('sponsors'),
      faults: this.rng.stream('faults'),
      delays: this.rng.stream('delays'),
      heartbeats: this.rng.stream('heartbeats'),
      oracles: this.rng.stream('oracles'),
      adversaries: this.rng.stream('adversaries'),
      // Drawn only when the scenario seals jobs: runs without sealed jobs draw nothing from it.
      sealing: this.rng.stream('sealing'),
    };
    this.models = this.scenario.models.map((m) => ({
      name: m.name,
      id: modelId(m.name),
      cuPerRequest: BigInt(m.cuPerRequest),
      cu: m.cuPerRequest,
    }));
    this.modelAlias = new AliasTable(this.scenario.models.map((m) => m.weight));
    this.deployments = this.scenario.deployments
      ? new DeploymentSim(this.scenario.deployments, this.rng.stream('deployments'))
      : null;
    this.endMs = options.days * this.params.dayMs;
  }

  /** The protocol's time of an action taken now: the engine's, rounded up to the action quantum. */
  get actionNowMs(): number {
    const q = this.options.actionTimeQuantumMs ?? 1;
    return q === 1 ? this.engine.nowMs : Math.ceil(this.engine.nowMs / q) * q;
  }

  /** Holders that have left, by `holderLeaves` (with `holders.length`, it dates the active count). */
  holdersLeft = 0;

  /** A holder stops using the network for good. */
  holderLeaves(h: HolderAgent): void {
    if (h.left) return;
    (h as { left: boolean }).left = true;
    this.holdersLeft += 1;
  }

  /** Applies one action through the transition function; the only way agents touch the state. */
  act(action: Action): ProtocolEvent[] | null {
    const r = this.actor.act(action, this.actionNowMs);
    return r.ok ? r.events : null;
  }

  /** Accepted actions so far. */
  get actionsApplied(): number {
    return this.actor.accepted;
  }

  /** Refused actions by rejection code. */
  get rejections(): ReadonlyMap<string, number> {
    return this.actor.rejections;
  }

  checkInvariants(after: string): void {
    this.invariantChecks += 1;
    const v = checkStateInvariants(this.state);
    if (v.length > 0) this.stopOnViolation({ type: after } as Action, v);
  }

  private stopOnViolation(action: Action, violations: InvariantViolation[]): void {
    if (this.stoppedOnViolation) return;
    this.stoppedOnViolation = {
      atMs: this.engine.nowMs,
      actionIndex: this.actionsApplied,
      action: action.type,
      violations,
    };
    this.engine.stop();
  }

  signerFor(workerIdx: number): ReceiptSigner {
    let s = this.signers[workerIdx];
    if (!s) {
      s = createSimSigner(this.workers[workerIdx]!.address);
      this.signers[workerIdx] = s;
    }
    return s;
  }

  nextRequestHash(): Hex {
    this.requestCounter += 1;
    return requestHashOf(this.requestCounter);
  }

  recordDayHash(): void {
    if (this.options.dayHashes) this.dayHashes.push(stateHash(this.state));
  }

  /** Schedules one dispatch at the current time, however many jobs arrive or free up now. */
  requestDispatch(): void {
    if (this.dispatchPending) return;
    this.dispatchPending = true;
    this.engine.schedule(this.engine.nowMs, this.kinds.dispatch, 0);
  }
}

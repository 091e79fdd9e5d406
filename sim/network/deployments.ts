import type { Address, ProtocolEvent } from '../../protocol/index.ts';
import type { RngStream } from '../rng/rngStream.ts';
import type { Scenario } from '../scenario/scenarioSchema.ts';
import { actorAddress } from './addresses.ts';
import type { Simulation } from './simulation.ts';

type DeploymentsSettings = NonNullable<Scenario['deployments']>;

/** Who deploys the scenario's models (an owner like any other address). */
export const deploymentOwner: Address = actorAddress('funder', 1);

const GB = 1_000_000_000;

/**
 * The cost of placing a replica, in ms: nothing when the worker's cache still holds the model,
 * else size / rate, where the rate is the origin's plus each ready peer's share (R1FS-style),
 * capped by the worker's own bandwidth.
 */
export function transferMs(o: {
  sizeBytes: number;
  bandwidthMbps: number;
  originMbps: number;
  peerMbps: number;
  readyPeers: number;
  cached: boolean;
}): number {
  if (o.cached) return 0;
  const mbps = Math.min(o.bandwidthMbps, o.originMbps + o.readyPeers * o.peerMbps);
  return Math.ceil((o.sizeBytes * 8 * 1000) / (mbps * 1_000_000));
}

interface Transfer {
  model: string;
  worker: Address;
  peer: boolean;
  cached: boolean;
  startMs: number;
}

/**
 * The simulator's side of deployments: each worker's bandwidth and cache, the transfers under
 * way (a placed replica reports ready when its transfer ends), replica scaling with demand, and
 * how long models spent under-replicated.
 */
export class DeploymentSim {
  readonly bandwidthMbps: number[] = [];
  private readonly transfers = new Map<number, Transfer>();
  /** `${model}|${worker}` → the transfer that will make it ready (a drop cancels it). */
  private readonly pending = new Map<string, number>();
  /** `${model}|${worker}` → until when the worker's cache still holds the model. */
  private readonly cacheUntilMs = new Map<string, number>();
  private readonly ready = new Set<string>();
  private nextTransfer = 1;
  /** Jobs submitted per model since the last rescale. */
  private readonly submitted = new Map<string, number>();
  // Counters for the run record.
  placements = 0;
  cacheHits = 0;
  peerFetches = 0;
  transfersDone = 0;
  transferMsTotal = 0;
  drops = { offline: 0, exited: 0, scaled: 0, removed: 0 };
  rescales = 0;
  // Model-time under-replicated: whole run and current metrics interval.
  underMs = 0;
  observedMs = 0;
  intervalUnderMs = 0;
  intervalObservedMs = 0;
  private underNow = 0;
  private models = 0;
  private lastMs = 0;

  constructor(
    readonly settings: DeploymentsSettings,
    private readonly stream: RngStream,
  ) {}

  drawBandwidth(): number {
    const s = this.settings;
    return s.bandwidthMbpsMedian * this.stream.logNormal(0, s.bandwidthSigma);
  }

  /** Moves the under-replication clock to `nowMs`, then recounts the models short of target. */
  recount(sim: Simulation): void {
    this.advance(sim.engine.nowMs);
    let under = 0;
    let models = 0;
    for (const d of sim.state.deployments?.values() ?? []) {
      models++;
      let ready = 0;
      for (const r of d.holders.values()) if (r) ready++;
      if (ready < d.replicas) under++;
    }
    this.underNow = under;
    this.models = models;
  }

  advance(nowMs: number): void {
    const dt = nowMs - this.lastMs;
    if (dt <= 0) return;
    this.underMs += dt * this.underNow;
    this.observedMs += dt * this.models;
    this.intervalUnderMs += dt * this.underNow;
    this.intervalObservedMs += dt * this.models;
    this.lastMs = nowMs;
  }

  /** Share of model-time under-replicated since the last sample (0 without deployments). */
  sampleUnderShare(nowMs: number): number {
    this.advance(nowMs);
    const share =
      this.intervalObservedMs === 0 ? 0 : this.intervalUnderMs / this.intervalObservedMs;
    this.intervalUnderMs = 0;
    this.intervalObservedMs = 0;
    return share;
  }

  countSubmitted(model: string): void {
    this.submitted.set(model, (this.submitted.get(model) ?? 0) + 1);
  }

  onEvent(sim: Simulation, e: ProtocolEvent): void {
    switch (e.type) {
      case 'ReplicaPlaced': {
        const key = `${e.model}|${e.worker}`;
        const d = sim.state.deployments!.get(e.model)!;
        let readyPeers = 0;
        for (const r of d.holders.values()) if (r) readyPeers++;
        const cached = (this.cacheUntilMs.get(key) ?? -1) >= sim.engine.nowMs;
        const wi = sim.workerIndex.get(e.worker)!;
        const ms = transferMs({
          sizeBytes: e.sizeBytes,
          bandwidthMbps: this.bandwidthMbps[wi]!,
          originMbps: this.settings.originMbps,
          peerMbps: this.settings.peerMbps,
          readyPeers,
          cached,
        });
        const id = this.nextTransfer++;
        this.transfers.set(id, {
          model: e.model,
          worker: e.worker,
          peer: readyPeers > 0,
          cached,
          startMs: sim.engine.nowMs,
        });
        this.pending.set(key, id);
        this.placements++;
        // Reported by the worker once the bytes are there (at once from its cache).
        sim.engine.schedule(sim.engine.nowMs + ms, sim.kinds.replicaReady, id);
        break;
      }
      case 'ReplicaReady':
        this.ready.add(`${e.model}|${e.worker}`);
        this.pending.delete(`${e.model}|${e.worker}`);
        this.recount(sim);
        break;
      case 'ReplicaDropped': {
        const key = `${e.model}|${e.worker}`;
        this.pending.delete(key);
        if (this.ready.delete(key) && this.settings.cacheHours > 0)
          this.cacheUntilMs.set(key, sim.engine.nowMs + this.settings.cacheHours * 3_600_000);
        this.drops[e.reason]++;
        this.recount(sim);
        break;
      }
      case 'DeploymentCreated':
      case 'DeploymentScaled':
      case 'DeploymentRemoved':
        this.recount(sim);
        break;
    }
  }

  /** A transfer ended: the worker reports its replica ready, unless it was dropped meanwhile. */
  onTransferDone(sim: Simulation, id: number): void {
    const t = this.transfers.get(id);
    this.transfers.delete(id);
    if (!t) return;
    const key = `${t.model}|${t.worker}`;
    if (this.pending.get(key) !== id) return;
    this.pending.delete(key);
    if (!sim.act({ type: 'replicaReady', worker: t.worker, model: t.model })) return;
    this.transfersDone++;
    this.transferMsTotal += sim.engine.nowMs - t.startMs;
    if (t.cached) this.cacheHits++;
    else if (t.peer) this.peerFetches++;
    sim.requestDispatch();
  }

  /** Replicas follow demand: target = ceil(jobs an hour / jobsPerReplicaPerHour), within [k, replicasMax]. */
  onRescale(sim: Simulation): void {
    const s = this.settings;
    if (s.jobsPerReplicaPerHour === null) return;
    const everyMs = s.scaleEveryMinutes * 60_000;
    for (const d of [...(sim.state.deployments?.values() ?? [])]) {
      const perHour = ((this.submitted.get(d.model) ?? 0) * 3_600_000) / everyMs;
      const want = Math.min(
        Math.max(s.replicas, Math.ceil(perHour / s.jobsPerReplicaPerHour)),
        Math.max(s.replicas, s.replicasMax),
      );
      if (want !== d.replicas)
        if (
          sim.act({
            type: 'scaleDeployment',
            owner: deploymentOwner,
            model: d.model,
            replicas: want,
          })
        )
          this.rescales++;
    }
    this.submitted.clear();
    const next = sim.engine.nowMs + everyMs;
    if (next <= sim.endMs) sim.engine.schedule(next, sim.kinds.rescale, 0);
  }
}

/** The worker's registration fields for deployments (memory), when the scenario deploys. */
export function deploymentWorkerFields(sim: Simulation): { memoryBytes?: number } {
  const s = sim.scenario.deployments;
  return s ? { memoryBytes: Math.round(s.workerMemoryGb * GB) } : {};
}

/**
 * Genesis: every scenario model deployed with k replicas, already in place when the run starts
 * (their first transfer is not part of the question); bandwidths drawn per worker.
 */
export function deployAtGenesis(sim: Simulation): void {
  const dep = sim.deployments;
  if (!dep) return;
  for (let i = 0; i < sim.workers.length; i++) dep.bandwidthMbps[i] = dep.drawBandwidth();
  const s = dep.settings;
  for (const m of sim.models) {
    sim.act({
      type: 'deployModel',
      owner: deploymentOwner,
      model: m.id,
      sizeBytes: Math.round(s.modelSizeGb * GB),
      replicas: s.replicas,
    });
  }
  // The scheduled transfers of these first placements end now: preloaded.
  for (const d of sim.state.deployments?.values() ?? [])
    for (const w of [...d.holders.keys()])
      sim.act({ type: 'replicaReady', worker: w, model: d.model });
  dep.placements = 0;
  if (s.jobsPerReplicaPerHour !== null)
    sim.engine.schedule(s.scaleEveryMinutes * 60_000, sim.kinds.rescale, 0);
}

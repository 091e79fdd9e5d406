import type { Action } from '../actions.ts';
import { reject } from '../rejections.ts';
import { accountOf, newWorker, usdcOf } from '../state.ts';
import type { Handler } from './context.ts';
import { isLabel, onWorkerJoined, onWorkerLost, workerTagsMax } from './deployments.ts';
import { checkAttestation } from './kyc.ts';
import { isModelId } from './reservations.ts';
import { refreshWorkerIndex, removeFromIndex } from './routing.ts';

type A<T extends Action['type']> = Extract<Action, { type: T }>;

/**
 * Minimal registry: a worker posts a USDC bond, names its models (content ids) and slots.
 * The verification layer adds KYC attestations, availability and jail on top.
 */
export const registerWorker: Handler<A<'registerWorker'>> = (ctx, a) => {
  const { state } = ctx;
  const p = state.params;
  const existing = state.workers.get(a.worker);
  if (existing && existing.status !== 'exited')
    return reject(
      'WorkerAlreadyRegistered',
      `${a.worker} is already registered (${existing.status})`,
    );
  if (!Array.isArray(a.models) || a.models.length === 0 || a.models.length > p.workerModelsMax)
    return reject(
      'InvalidWorkerConfig',
      `models must list 1..${p.workerModelsMax} ids, got ${a.models?.length}`,
    );
  const bad = a.models.find((m) => !isModelId(m));
  if (bad !== undefined)
    return reject('InvalidWorkerConfig', `models: not a bytes32 hex id: ${bad}`);
  if (new Set(a.models).size !== a.models.length)
    return reject('InvalidWorkerConfig', 'models must not repeat');
  if (!Number.isSafeInteger(a.slots) || a.slots < 1 || a.slots > p.workerSlotsMax)
    return reject('InvalidWorkerConfig', `slots must be in 1..${p.workerSlotsMax}, got ${a.slots}`);
  if (typeof a.capacityCuPerSec !== 'bigint' || a.capacityCuPerSec <= 0n)
    return reject('InvalidWorkerConfig', `capacityCuPerSec must be > 0, got ${a.capacityCuPerSec}`);
  if (typeof a.bondMicroUsdc !== 'bigint' || a.bondMicroUsdc < p.workerBondMinMicroUsdc)
    return reject(
      'BondTooSmall',
      `bond must be ≥ ${p.workerBondMinMicroUsdc}, got ${a.bondMicroUsdc}`,
    );
  if (a.memoryBytes !== undefined && !(Number.isSafeInteger(a.memoryBytes) && a.memoryBytes > 0))
    return reject(
      'InvalidWorkerConfig',
      `memoryBytes must be an integer > 0, got ${a.memoryBytes}`,
    );
  if (a.region !== undefined && !isLabel(a.region))
    return reject('InvalidWorkerConfig', `region: not 1..32 of [a-z0-9-]: ${a.region}`);
  if (
    a.tags !== undefined &&
    (!Array.isArray(a.tags) ||
      a.tags.length > workerTagsMax ||
      !a.tags.every(isLabel) ||
      new Set(a.tags).size !== a.tags.length)
  )
    return reject(
      'InvalidWorkerConfig',
      `tags must list up to ${workerTagsMax} distinct labels of [a-z0-9-], got ${String(a.tags)}`,
    );
  const have = usdcOf(state, a.worker);
  if (have < a.bondMicroUsdc)
    return reject('InsufficientBalance', `${a.worker} holds ${have}, bond is ${a.bondMicroUsdc}`);
  const kyc = checkAttestation(ctx, a.worker, a.attestation);
  if (kyc) return kyc;
  accountOf(state, a.worker).usdc -= a.bondMicroUsdc;
  const w = newWorker(a.worker, {
    models: [...a.models],
    slots: a.slots,
    capacityCuPerSec: a.capacityCuPerSec,
    bondMicroUsdc: a.bondMicroUsdc,
  });
  if (existing) {
    // A returning worker keeps its record: reliability and the receipt chain are history.
    w.served = existing.served;
    w.failed = existing.failed;
    w.chainHead = existing.chainHead;
    w.earnedMicroUsdc = existing.earnedMicroUsdc;
    w.slashedMicroUsdc = existing.slashedMicroUsdc;
    w.jailedUntilMs = existing.jailedUntilMs;
    w.jailed = existing.jailed;
  }
  if (a.attestation) {
    w.identityHash = a.attestation.identityHash;
    w.attestationExpiresAtMs = a.attestation.expiresAtMs;
  }
  // Deployment fields only when declared, so workers without them hash as before.
  if (a.memoryBytes !== undefined) w.memoryBytes = a.memoryBytes;
  if (a.region !== undefined) w.region = a.region;
  if (a.tags !== undefined) w.tags = [...a.tags];
  state.workers.set(a.worker, w);
  refreshWorkerIndex(state, w);
  ctx.events.push({ type: 'WorkerRegistered', worker: a.worker, bondMicroUsdc: a.bondMicroUsdc });
  onWorkerJoined(ctx);
  return null;
};

export const setWorkerOnline: Handler<A<'setWorkerOnline'>> = (ctx, a) => {
  const w = ctx.state.workers.get(a.worker);
  if (w?.status !== 'active')
    return reject('WorkerNotActive', `${a.worker} is not an active worker`);
  w.online = a.online === true;
  refreshWorkerIndex(ctx.state, w);
  ctx.events.push({ type: 'WorkerOnline', worker: a.worker, online: w.online });
  // Deployments re-place: an offline holder's replicas move on; one back online may take some.
  if (w.online) onWorkerJoined(ctx);
  else onWorkerLost(ctx, w, 'offline');
  return null;
};

/** Leaving: no new jobs; the bond stays slashable for `workerUnbondingMs`. */
export const exitWorker: Handler<A<'exitWorker'>> = (ctx, a) => {
  const w = ctx.state.workers.get(a.worker);
  if (w?.status !== 'active')
    return reject('WorkerNotActive', `${a.worker} is not an active worker`);
  w.status = 'exiting';
  w.bondReleaseAtMs = ctx.nowMs + ctx.state.params.workerUnbondingMs;
  removeFromIndex(ctx.state, w);
  ctx.events.push({ type: 'WorkerExiting', worker: a.worker, bondReleaseAtMs: w.bondReleaseAtMs });
  onWorkerLost(ctx, w, 'exited');
  return null;
};

export const withdrawBond: Handler<A<'withdrawBond'>> = (ctx, a) => {
  const w = ctx.state.workers.get(a.worker);
  if (!w) return reject('UnknownWorker', `no worker ${a.worker}`);
  if (w.status !== 'exiting')
    return reject('WorkerNotActive', `${a.worker} must exit first (status ${w.status})`);
  if (ctx.nowMs < w.bondReleaseAtMs || w.activeJobs > 0)
    return reject(
      'BondLocked',
      `bond of ${a.worker} unlocks at ${w.bondReleaseAtMs} ms with no running job`,
    );
  const amount = w.bondMicroUsdc;
  accountOf(ctx.state, a.worker).usdc += amount;
  w.bondMicroUsdc = 0n;
  w.status = 'exited';
  ctx.events.push({ type: 'BondWithdrawn', worker: a.worker, amountMicroUsdc: amount });
  return null;
};

export const renewAttestation: Handler<A<'renewAttestation'>> = (ctx, a) => {
  const w = ctx.state.workers.get(a.worker);
  if (!w || w.status === 'exited')
    return reject('UnknownWorker', `no registered worker ${a.worker}`);
  const bad = checkAttestation(ctx, a.worker, a.attestation);
  if (bad) return bad;
  w.identityHash = a.attestation.identityHash;
  w.attestationExpiresAtMs = a.attestation.expiresAtMs;
  refreshWorkerIndex(ctx.state, w);
  ctx.events.push({
    type: 'AttestationRenewed',
    worker: a.worker,
    expiresAtMs: w.attestationExpiresAtMs,
  });
  return null;
};

export const topUpBond: Handler<A<'topUpBond'>> = (ctx, a) => {
  const w = ctx.state.workers.get(a.worker);
  if (!w || w.status === 'exited')
    return reject('UnknownWorker', `no registered worker ${a.worker}`);
  if (typeof a.amountMicroUsdc !== 'bigint' || a.amountMicroUsdc <= 0n)
    return reject('InvalidAmount', `amountMicroUsdc must be > 0, got ${a.amountMicroUsdc}`);
  const have = usdcOf(ctx.state, a.worker);
  if (have < a.amountMicroUsdc)
    return reject('InsufficientBalance', `${a.worker} holds ${have}, asked ${a.amountMicroUsdc}`);
  accountOf(ctx.state, a.worker).usdc -= a.amountMicroUsdc;
  w.bondMicroUsdc += a.amountMicroUsdc;
  refreshWorkerIndex(ctx.state, w);
  ctx.events.push({ type: 'BondToppedUp', worker: a.worker, amountMicroUsdc: a.amountMicroUsdc });
  return null;
};

/** A jailed worker is released after `jailMs` if its bond is back at the minimum. */
export const releaseJail: Handler<A<'releaseJail'>> = (ctx, a) => {
  const w = ctx.state.workers.get(a.worker);
  if (!w) return reject('UnknownWorker', `no worker ${a.worker}`);
  if (!w.jailed) return reject('NotJailed', `${a.worker} is not jailed`);
  if (ctx.nowMs < w.jailedUntilMs)
    return reject('WorkerJailed', `${a.worker} is jailed until ${w.jailedUntilMs} ms`);
  if (w.bondMicroUsdc < ctx.state.params.workerBondMinMicroUsdc)
    return reject(
      'BondTooSmall',
      `bond ${w.bondMicroUsdc} must be topped up to ${ctx.state.params.workerBondMinMicroUsdc}`,
    );
  w.jailed = false;
  refreshWorkerIndex(ctx.state, w);
  ctx.events.push({ type: 'JailReleased', worker: a.worker });
  return null;
};

import type { Action } from './actions.ts';
import type { ProtocolEvent } from './events.ts';
import { auditVerdict } from './handlers/audits.ts';
import { deposit, fundTreasury, withdraw } from './handlers/balances.ts';
import { completeJob, expireJobs, failJob } from './handlers/completion.ts';
import type { Handler, StepContext } from './handlers/context.ts';
import { startDay } from './handlers/day.ts';
import {
  deployModel,
  removeDeployment,
  replicaReady,
  scaleDeployment,
} from './handlers/deployments.ts';
import { dispatch } from './handlers/dispatch.ts';
import { cancelProposal, executeProposal, proposeParams } from './handlers/governance.ts';
import { submitJob } from './handlers/jobs.ts';
import { leaseJob } from './handlers/lease.ts';
import {
  closeAvailabilityDay,
  postAvailability,
  registerOracle,
  removeOracle,
} from './handlers/oracles.ts';
import { banLicence, unbanLicence } from './handlers/ratio1Bans.ts';
import {
  exitWorker,
  registerWorker,
  releaseJail,
  renewAttestation,
  setWorkerOnline,
  topUpBond,
  withdrawBond,
} from './handlers/registry.ts';
import { endReservation, reserve } from './handlers/reservations.ts';
import { claim, settle } from './handlers/settlement.ts';
import { claimUnbonded, stake, unstake } from './handlers/staking.ts';
import { outOfRange } from './onChainTypes.ts';
import type { ReceiptVerifier } from './receipts/receipt.ts';
import { type Rejection, reject } from './rejections.ts';
import { cloneState } from './state.ts';
import type { State } from './types.ts';

export interface StepEnv {
  /** Checks receipt signatures: real secp256k1 in tests and live mode, a cheap one in the simulator. */
  verifier: ReceiptVerifier;
}

export type StepResult = { ok: true; events: ProtocolEvent[] } | Rejection;

const handlers: { [K in Action['type']]: Handler<Extract<Action, { type: K }>> } = {
  deposit,
  withdraw,
  fundTreasury,
  stake,
  unstake,
  claimUnbonded,
  startDay,
  reserve,
  endReservation,
  submitJob,
  dispatch,
  leaseJob,
  completeJob,
  failJob,
  expireJobs,
  settle,
  claim,
  registerWorker,
  setWorkerOnline,
  exitWorker,
  withdrawBond,
  proposeParams,
  executeProposal,
  cancelProposal,
  renewAttestation,
  topUpBond,
  releaseJail,
  registerOracle,
  removeOracle,
  postAvailability,
  closeAvailabilityDay,
  auditVerdict,
  deployModel,
  scaleDeployment,
  removeDeployment,
  replicaReady,
  banLicence,
  unbanLicence,
};

/**
 * The transition function: applies `action` at time `nowMs`. Accepted: the state is updated in
 * place and the events say what happened. Rejected: a typed reason, and the state is untouched.
 * Deterministic: no clock, no randomness, no I/O.
 */
export function step(state: State, action: Action, nowMs: number, env: StepEnv): StepResult {
  if (!Number.isSafeInteger(nowMs) || nowMs < state.nowMs)
    return reject('ClockWentBackwards', `now must be an integer ≥ ${state.nowMs}, got ${nowMs}`);
  const handler = handlers[action?.type] as Handler<Action> | undefined;
  if (!handler) return reject('InvalidAction', `unknown action type: ${String(action?.type)}`);
  const range = outOfRange(action);
  if (range) return range;
  const ctx: StepContext = { state, nowMs, verifier: env.verifier, events: [] };
  const rejection = handler(ctx, action);
  if (rejection) return rejection;
  state.nowMs = nowMs;
  return { ok: true, events: ctx.events };
}

/** The pure form: the input state is never modified. */
export function applyAction(
  state: State,
  action: Action,
  nowMs: number,
  env: StepEnv,
): { state: State; result: StepResult } {
  const next = cloneState(state);
  const result = step(next, action, nowMs, env);
  return { state: result.ok ? next : state, result };
}

import type { Action } from '../actions.ts';
import { createActor } from '../actor.ts';
import type { ProtocolEvent } from '../events.ts';
import type { InvariantViolation } from '../invariants/stateInvariants.ts';
import { buildPayoutTree } from '../merkle/payoutTree.ts';
import { type Params, type ParamsInput, resolveParams } from '../params.ts';
import {
  type Receipt,
  type ReceiptSigner,
  type ReceiptVerifier,
  receiptOfJob,
  ZERO_HASH,
} from '../receipts/receipt.ts';
import { createSimSigner, simVerifier } from '../receipts/simVerifier.ts';
import type { LoggedAction } from '../replay.ts';
import { createState } from '../state.ts';
import type { StepResult } from '../step.ts';
import type { Address, Hex, State } from '../types.ts';
import { hash32 } from './fixtures.ts';

export class InvariantBrokenError extends Error {
  override name = 'InvariantBrokenError';
  constructor(
    readonly violations: InvariantViolation[],
    readonly action: Action,
  ) {
    super(
      `${action.type} broke ${violations.map((v) => `${v.invariant}: ${v.message}`).join('; ')}`,
    );
  }
}

export interface DriverOptions {
  params?: ParamsInput | Params;
  verifier?: ReceiptVerifier;
  signerFor?: (worker: Address) => ReceiptSigner;
  /** Check every invariant after every accepted step (with the previous state kept). */
  checkInvariants?: boolean;
}

/**
 * A convenience wrapper over the actor (protocol/actor.ts) for tests and examples: keeps the
 * clock and a log of accepted actions, signs receipts for workers, and checks every invariant
 * after every accepted step.
 */
export function createDriver(opts: DriverOptions = {}) {
  const params = resolveParams(opts.params as ParamsInput);
  const verifier = opts.verifier ?? simVerifier;
  const signerFor = opts.signerFor ?? createSimSigner;
  const state: State = createState(params);
  const log: LoggedAction[] = [];
  const check = opts.checkInvariants !== false;
  let nowMs = 0;
  const actor = createActor({
    state,
    env: { verifier },
    keepPrevious: check,
    checks: () => (check ? 'all' : 'none'),
    onAccepted: (atMs, action) => log.push({ atMs, action: structuredClone(action) }),
    onViolation: (action, violations) => {
      throw new InvariantBrokenError(violations, action);
    },
  });

  function attempt(action: Action): StepResult {
    return actor.act(action, nowMs);
  }
  function run(action: Action): ProtocolEvent[] {
    const r = attempt(action);
    if (!r.ok) throw new Error(`${action.type} rejected: ${r.code}: ${r.message}`);
    return r.events;
  }
  /** The receipt of a running job, or of a leased one for `taker` (the worker that pulled it). */
  function receiptFor(
    jobId: number,
    resultHash: Hex = hash32(`result:${jobId}`),
    taker?: Address,
  ): Receipt {
    const job = state.jobs.get(jobId);
    const worker = job?.worker ?? taker;
    if (!job || !worker) throw new Error(`job ${jobId} is neither running nor leased to a taker`);
    return receiptOfJob(job, {
      worker,
      resultHash,
      finishedAt: nowMs,
      prev: state.workers.get(worker)?.chainHead ?? ZERO_HASH,
    });
  }
  return {
    state,
    log,
    params,
    get nowMs() {
      return nowMs;
    },
    at(ms: number) {
      nowMs = ms;
      return this;
    },
    attempt,
    run,
    receiptFor,
    /** Completes a running job (or a leased one, by `taker`) with a correctly signed, correctly chained receipt. */
    complete(jobId: number, resultHash?: Hex, taker?: Address): ProtocolEvent[] {
      const receipt = receiptFor(jobId, resultHash, taker);
      return run({
        type: 'completeJob',
        receipt,
        signature: signerFor(receipt.worker).sign(receipt),
      });
    },
    /** Claims every unclaimed payout of an epoch with proofs from the posted tree. */
    claimAll(epoch: number): ProtocolEvent[] {
      const s = state.settlements.get(epoch);
      if (!s) return [];
      const tree = buildPayoutTree(s.payouts);
      const events: ProtocolEvent[] = [];
      for (const [worker, amount] of [...s.payouts]) {
        if (s.claimed.has(worker)) continue;
        events.push(
          ...run({
            type: 'claim',
            epoch,
            worker,
            amountMicroUsdc: amount,
            proof: tree.proof(worker, amount),
          }),
        );
      }
      return events;
    },
  };
}

export type Driver = ReturnType<typeof createDriver>;

import type { Action } from '../../protocol/actions.ts';
import { buildPayoutTree } from '../../protocol/merkle/payoutTree.ts';
import { type Params, resolveParams } from '../../protocol/params.ts';
import type { Receipt } from '../../protocol/receipts/receipt.ts';
import {
  createSecp256k1Signer,
  signAttestation,
} from '../../protocol/receipts/secp256k1Verifier.ts';
import { type Address, type Hex, Lane, type State } from '../../protocol/types.ts';
import { ONE, USDC } from '../../protocol/units.ts';
import { keeperActions, liveParamsInput, type TimedAction } from './randomActions.ts';
import type { LiveChain } from './runLive.ts';
import { createTxSigner } from './txSigner.ts';

/** One real inference as a receipt binds it (gpu-harness: requestHashOf, resultHashOf, CU). */
export interface HarnessInference {
  requestHash: Hex;
  resultHash: Hex;
  units: bigint;
}

/** The keys of a harness run: each signer's model address is its own chain address. */
export interface HarnessLiveKeys {
  /** The harness worker's secp256k1 key: it signs every receipt. */
  worker: Hex;
  holder: Hex;
  attestor: Hex;
  governor: Hex;
  funder: Hex;
  /** At least three: the audit committee re-executes sampled jobs. */
  oracles: Hex[];
}

export interface HarnessLiveParameters {
  keys: HarnessLiveKeys;
  /** The served model's id (bytes32: sha256 of its bytes). */
  modelId: Hex;
  /** Runs sample `index` through the model; deterministic, so an oracle re-executing agrees. */
  execute: (index: number) => Promise<HarnessInference>;
  jobs: number;
  /** Seconds from one job to the next (default 40 min: a few jobs per settlement epoch). */
  gapSec?: number;
}

const addressOf = (key: Hex): Address => createTxSigner(key, 1).address;

/** Every key of the run (for `runLive({ pinnedKeys })`). */
export const harnessKeyList = (k: HarnessLiveKeys): Hex[] => [
  k.worker,
  k.holder,
  k.attestor,
  k.governor,
  k.funder,
  ...k.oracles,
];

/**
 * Live parameters for a harness run: KYC on (the attestor's key), the governor's key, and
 * Proof-of-AI sampling half the receipts for a committee of three (quorum two).
 */
export function harnessLiveParams(k: HarnessLiveKeys): Params {
  if (k.oracles.length < 3) throw new RangeError('a harness run needs at least three oracle keys');
  return resolveParams(
    liveParamsInput({
      governor: addressOf(k.governor),
      attestors: [addressOf(k.attestor)],
      kycRequired: true,
      auditSampleRate: { num: 1n, den: 2n },
      auditCommitteeSize: 3,
      auditQuorum: 2,
    }),
  );
}

const at = (atMs: number, action: Action): TimedAction => ({ atMs, action });

/** Genesis: the treasury, a staking holder, the oracles and the harness worker (KYC'd). */
function* genesisActions(p: HarnessLiveParameters, chain: LiveChain): Generator<TimedAction> {
  const [funder, holder, worker, governor] = [
    p.keys.funder,
    p.keys.holder,
    p.keys.worker,
    p.keys.governor,
  ].map(addressOf) as [Address, Address, Address, Address];
  const treasury = 1_000_000n * USDC;
  yield at(0, { type: 'deposit', account: funder, asset: 'usdc', amount: treasury });
  yield at(0, { type: 'fundTreasury', from: funder, amountMicroUsdc: treasury });
  yield at(0, { type: 'deposit', account: holder, asset: 'one', amount: 100_000n * ONE });
  yield at(0, { type: 'stake', holder, amountOneWei: 100_000n * ONE });
  for (const o of p.keys.oracles)
    yield at(0, { type: 'registerOracle', proposer: governor, oracle: addressOf(o) });
  const bond = 1_000n * USDC;
  yield at(0, { type: 'deposit', account: worker, asset: 'usdc', amount: bond });
  const body = {
    worker,
    identityHash: `0x${'11'.repeat(32)}` as Hex,
    expiresAtMs: 30 * 86_400_000,
  };
  yield at(0, {
    type: 'registerWorker',
    worker,
    models: [p.modelId],
    slots: 4,
    capacityCuPerSec: 1_000_000n,
    bondMicroUsdc: bond,
    attestation: signAttestation(p.keys.attestor, body, chain.domain),
  });
  yield at(0, { type: 'startDay', day: 0 });
}

/**
 * A live run whose completions come from real inferences: each job is a harness inference
 * (its requestHash, resultHash and CU), completed with an EIP-712 receipt the worker's key signs
 * in the contract's domain; settlements post the receipts, the audits they open get verdicts
 * from oracles that re-execute the sample, and the worker claims each payout. Lazy: reads the
 * model state between actions.
 */
export async function* harnessLiveActions(
  p: HarnessLiveParameters,
  state: State,
  chain: LiveChain,
): AsyncGenerator<TimedAction> {
  const signer = createSecp256k1Signer(p.keys.worker, chain.domain);
  const holder = addressOf(p.keys.holder);
  const sampleOf = new Map<number, number>();
  yield* genesisActions(p, chain);
  const gapMs = (p.gapSec ?? 2_400) * 1_000;
  let t = 1_000;
  for (let i = 0; i < p.jobs; i++, t += gapMs) {
    yield* keeper(p, state, t, sampleOf);
    const inference = await p.execute(i);
    const jobId = state.nextJobId;
    sampleOf.set(jobId, i);
    yield at(t, {
      type: 'submitJob',
      lane: Lane.included,
      requester: holder,
      model: p.modelId,
      units: inference.units,
      requestHash: inference.requestHash,
    });
    yield at(t, { type: 'dispatch' });
    const job = state.jobs.get(jobId);
    if (job?.status !== 'running') continue;
    const receipt: Receipt = {
      jobId,
      lane: job.lane,
      requester: job.requester,
      model: p.modelId,
      worker: signer.worker,
      requestHash: inference.requestHash,
      resultHash: inference.resultHash,
      units: job.units,
      price: job.priceMicroUsdcPerCu,
      finishedAt: t + 1_000,
      prev: state.workers.get(signer.worker)!.chainHead,
    };
    yield* keeper(p, state, t + 1_000, sampleOf);
    yield at(t + 1_000, { type: 'completeJob', receipt, signature: signer.sign(receipt) });
  }
  // Until the last receipts are paid and their audits resolved (settlement of their epoch + 1).
  const epochMs = state.params.settlementEpochMs;
  yield* keeper(p, state, (Math.floor(t / epochMs) + 3) * epochMs, sampleOf);
}

/** The keeper up to `toMs`; after each settlement, verdicts on the audits it opened and claims. */
async function* keeper(
  p: HarnessLiveParameters,
  state: State,
  toMs: number,
  sampleOf: ReadonlyMap<number, number>,
): AsyncGenerator<TimedAction> {
  for (const t of keeperActions(state, toMs)) {
    yield t;
    if (t.action.type !== 'settle' || state.lastSettledEpoch !== t.action.epoch) continue;
    const epoch = t.action.epoch;
    for (const audit of [...state.audits.values()].filter((a) => a.epoch === epoch)) {
      // Each committee oracle re-executes the job's sample and votes the digest it got.
      const again = await p.execute(sampleOf.get(audit.jobId)!);
      for (const oracle of audit.committee)
        yield at(t.atMs, {
          type: 'auditVerdict',
          oracle,
          jobId: audit.jobId,
          resultHash: again.resultHash,
        });
    }
    const s = state.settlements.get(epoch);
    for (const [worker, amount] of s?.payouts ?? []) {
      const proof = buildPayoutTree(s!.payouts).proof(worker, amount);
      yield at(t.atMs, { type: 'claim', epoch, worker, amountMicroUsdc: amount, proof });
    }
  }
}

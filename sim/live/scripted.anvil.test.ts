import { decodeFunctionResult, encodeFunctionData, type Hex } from 'viem';
import { describe, expect, it } from 'vitest';
import type { Action } from '../../protocol/actions.ts';
import { buildPayoutTree } from '../../protocol/merkle/payoutTree.ts';
import { resolveParams } from '../../protocol/params.ts';
import { receiptDomain } from '../../protocol/receipts/eip712.ts';
import { createReceiptHasher } from '../../protocol/receipts/hashReceipt.ts';
import { receiptOfJob } from '../../protocol/receipts/receipt.ts';
import { createSimSigner } from '../../protocol/receipts/simVerifier.ts';
import { addr, hash32, modelId, simAttestationFor } from '../../protocol/testing/fixtures.ts';
import { type Address, Lane, type State } from '../../protocol/types.ts';
import { ONE, USDC } from '../../protocol/units.ts';
import { LiveInputError } from './liveDriver.ts';
import { liveParamsInput, randomLiveActions, randomLiveParams } from './randomActions.ts';
import { runLive } from './runLive.ts';
import { openLiveSession } from './session.ts';
import { useAnvil } from './testing/anvilFixture.ts';

const A = modelId('model-a');
const [F, H, W, W2, S, X] = [
  addr(1, 9),
  addr(1, 1),
  addr(1, 2),
  addr(2, 2),
  addr(1, 3),
  addr(7, 7),
];
const G = '0x00000000000000000000000000000000000000a0' as Address;
const params = resolveParams(
  liveParamsInput({
    reservationMinMs: 60_000,
    timelockMs: 60_000,
    workerUnbondingMs: 60_000,
    unstakeUnbondingMs: 60_000,
    // The core rules; the verification layer has its own scripted test below.
    kycRequired: false,
    auditSampleRate: { num: 0n, den: 100n },
  }),
);

/** A correctly signed, chained receipt for a running job, finished now. */
function complete(s: State, jobId: number, atMs: number): Action {
  const job = s.jobs.get(jobId)!;
  const receipt = receiptOfJob(job, {
    worker: job.worker!,
    resultHash: hash32(`out${jobId}`),
    finishedAt: atMs,
    prev: s.workers.get(job.worker!)!.chainHead,
  });
  return { type: 'completeJob', receipt, signature: createSimSigner(job.worker!).sign(receipt) };
}

type Step = [
  atMs: number,
  action: Action | ((s: State, atMs: number) => Action),
  expected: string | null,
];
const dep = (account: Address, asset: 'usdc' | 'one', amount: bigint): Action => ({
  type: 'deposit',
  account,
  asset,
  amount,
});
const reg = (worker: Address, models: Hex[], slots: number, bondMicroUsdc: bigint): Action => ({
  type: 'registerWorker',
  worker,
  models,
  slots,
  capacityCuPerSec: 100n,
  bondMicroUsdc,
});
const reserve = (
  rateCuPerSec: bigint,
  durationMs: number,
  model: Hex | null = A,
  startAtMs?: number,
): Action => ({ type: 'reserve', sponsor: S, model, rateCuPerSec, durationMs, startAtMs });
const propose = (proposer: Address, changes: Record<string, unknown>): Action => ({
  type: 'proposeParams',
  proposer,
  changes: changes as never,
});
const claimFor =
  (epoch: number, extra: bigint) =>
  (s: State): Action => {
    const st = s.settlements.get(epoch)!;
    const amount = st.payouts.get(W)!;
    return {
      type: 'claim',
      epoch,
      worker: W,
      amountMicroUsdc: amount + extra,
      proof: buildPayoutTree(st.payouts).proof(W, amount),
    };
  };
const day = 86_400_000;
const epoch = 21_600_000;
// A reservation closes after its window plus the longest deadline and the grace.
const closes2 = 61_000 + 1_800_000 + 60_000;
const closes1 = 121_000 + 1_800_000 + 60_000;

/** Every on-chain rule once, accepted and rejected, with the model's expected answer. */
const script: Step[] = [
  [0, dep(H, 'usdc', 0n), 'InvalidAmount'],
  [0, dep(F, 'usdc', 100_000n * USDC), null],
  [0, { type: 'fundTreasury', from: F, amountMicroUsdc: 100_000n * USDC }, null],
  [0, { type: 'fundTreasury', from: F, amountMicroUsdc: 1n }, 'InsufficientBalance'],
  [0, dep(H, 'one', 2_500n * ONE), null],
  [0, { type: 'stake', holder: H, amountOneWei: 2_500n * ONE }, null],
  [0, { type: 'stake', holder: H, amountOneWei: 1n }, 'InsufficientBalance'],
  [0, { type: 'unstake', holder: H, amountOneWei: 3_000n * ONE }, 'InsufficientStake'],
  [0, { type: 'withdraw', account: H, asset: 'one', amount: 1n }, 'InsufficientBalance'],
  [0, dep(W, 'usdc', 1_000n * USDC), null],
  [0, reg(W, [A], 2, 100n * USDC), 'BondTooSmall'],
  [0, reg(W, [A], 2, 500n * USDC), null],
  [0, reg(W, [A], 2, 500n * USDC), 'WorkerAlreadyRegistered'],
  [0, reg(W2, [], 1, 500n * USDC), 'InvalidWorkerConfig'],
  [0, reg(W2, [A, A], 1, 500n * USDC), 'InvalidWorkerConfig'],
  [0, reg(W2, [A], 0, 500n * USDC), 'InvalidWorkerConfig'],
  [0, reg(W2, [A], 1, 500n * USDC), 'InsufficientBalance'],
  [0, { type: 'withdraw', account: W, asset: 'usdc', amount: 100n * USDC }, null],
  [0, dep(S, 'usdc', 10_000n * USDC), null],
  [0, reserve(0n, 120_000), 'InvalidReservation'],
  [0, reserve(1n, 1_500), 'InvalidReservation'],
  [0, reserve(1n, 1_000), 'InvalidReservation'],
  [0, { type: 'settle', epoch: 0 }, 'TooEarly'],
  [0, { type: 'startDay', day: 1 }, 'WrongDay'],
  [0, { type: 'claim', epoch: 0, worker: W, amountMicroUsdc: 1n, proof: [] }, 'UnknownSettlement'],
  [0, { type: 'withdrawBond', worker: W }, 'WorkerNotActive'],
  [0, { type: 'withdrawBond', worker: X }, 'UnknownWorker'],
  [0, { type: 'claimUnbonded', holder: H }, 'NothingToClaim'],
  [0, propose(H, {}), 'NotGovernor'],
  [0, propose(G, { dayMs: 1 }), 'ParamImmutable'],
  [0, propose(G, { takeRate: { num: 2n, den: 1n } }), 'InvalidParams'],
  [0, propose(G, { runwayDays: 0 }), 'InvalidParams'],
  [0, propose(G, { noSuchParam: 1 }), 'InvalidParams'],
  [0, propose(G, { takeRate: { num: 1n, den: 10n } }), null],
  [0, propose(G, { runwayDays: 30 }), null],
  [0, { type: 'cancelProposal', proposer: H, proposalId: 2 }, 'NotGovernor'],
  [0, { type: 'cancelProposal', proposer: G, proposalId: 2 }, null],
  [0, { type: 'cancelProposal', proposer: G, proposalId: 2 }, 'UnknownProposal'],
  [0, { type: 'executeProposal', proposalId: 1 }, 'TimelockNotElapsed'],
  [0, { type: 'executeProposal', proposalId: 9 }, 'UnknownProposal'],
  [0, { type: 'startDay', day: 0 }, null],
  [1_000, reserve(1n, 60_000, A, 0), 'InvalidReservation'],
  [1_000, reserve(2n, 120_000), null],
  [1_000, reserve(1n, 60_000, null), null],
  [1_000, { type: 'endReservation', reservationId: 9 }, 'UnknownReservation'],
  [1_000, { type: 'endReservation', reservationId: 1 }, 'TooEarly'],
  [
    1_000,
    {
      type: 'submitJob',
      lane: Lane.dedicated,
      requester: S,
      model: A,
      units: 10n,
      reservationId: 1,
      requestHash: hash32('j1'),
    },
    null,
  ],
  [
    1_000,
    {
      type: 'submitJob',
      lane: Lane.included,
      requester: H,
      model: A,
      units: 100n,
      requestHash: hash32('j2'),
    },
    null,
  ],
  [1_000, { type: 'dispatch' }, null],
  [2_000, (s, t) => complete(s, 1, t), null],
  [2_000, (s, t) => complete(s, 2, t), null],
  [
    2_000,
    {
      type: 'submitJob',
      lane: Lane.dedicated,
      requester: S,
      model: A,
      units: 5n,
      reservationId: 2,
      requestHash: hash32('j3'),
      deadlineMs: 1_800_000,
    },
    null,
  ],
  [2_000, { type: 'dispatch' }, null],
  [2_000, { type: 'unstake', holder: H, amountOneWei: 500n * ONE }, null],
  [61_000, { type: 'executeProposal', proposalId: 1 }, null],
  [61_000, { type: 'claimUnbonded', holder: H }, 'NothingToClaim'],
  [62_000, { type: 'claimUnbonded', holder: H }, null],
  [62_000, { type: 'exitWorker', worker: W2 }, 'WorkerNotActive'],
  [closes2, { type: 'endReservation', reservationId: 1 }, 'TooEarly'],
  [closes2, { type: 'endReservation', reservationId: 2 }, 'ReservationOpenJobs'],
  [closes2, { type: 'expireJobs' }, null],
  [closes2, { type: 'endReservation', reservationId: 2 }, null],
  [closes2, { type: 'exitWorker', worker: W }, null],
  [closes2, { type: 'withdrawBond', worker: W }, 'BondLocked'],
  [closes1, { type: 'endReservation', reservationId: 1 }, null],
  [closes1, { type: 'endReservation', reservationId: 1 }, 'ReservationEnded'],
  [closes1, { type: 'withdrawBond', worker: W }, null],
  [epoch, { type: 'settle', epoch: 0 }, null],
  [2 * epoch, { type: 'settle', epoch: 1 }, null],
  [2 * epoch, claimFor(1, 1n), 'InvalidProof'],
  [2 * epoch, claimFor(1, 0n), null],
  [2 * epoch, claimFor(1, 0n), 'AlreadyClaimed'],
  [2 * epoch, { type: 'endReservation', reservationId: 1 }, 'UnknownReservation'],
  [3 * epoch, { type: 'settle', epoch: 2 }, null],
  [day, { type: 'startDay', day: 1 }, null],
  [day, { type: 'settle', epoch: 3 }, null],
];

/** The verification layer's rejections that random runs rarely reach: KYC, oracles, audits. */
const verificationParams = resolveParams(
  liveParamsInput({
    kycRequired: true,
    auditSampleRate: { num: 1n, den: 1n }, // every receipt is audited
    auditCommitteeSize: 3,
    auditQuorum: 2,
  }),
);
const [O1, O2, O3] = [addr(5, 1), addr(5, 2), addr(5, 3)];
const oracle = (type: 'registerOracle' | 'removeOracle', proposer: Address, o: Address): Action =>
  ({ type, proposer, oracle: o }) as Action;
const verdict = (o: Address, jobId: number, resultHash = hash32(`out${jobId}`)): Action => ({
  type: 'auditVerdict',
  oracle: o,
  jobId,
  resultHash,
});
const verificationScript: Step[] = [
  [0, dep(W, 'usdc', 1_000n * USDC), null],
  [0, reg(W, [A], 2, 500n * USDC), 'KycRequired'],
  [
    0,
    {
      type: 'renewAttestation',
      worker: W,
      attestation: simAttestationFor(verificationParams, W, 30 * day),
    },
    'UnknownWorker',
  ],
  [
    0,
    {
      ...(reg(W, [A], 2, 500n * USDC) as Extract<Action, { type: 'registerWorker' }>),
      attestation: simAttestationFor(verificationParams, W, 30 * day),
    },
    null,
  ],
  [0, oracle('registerOracle', H, O1), 'NotGovernor'],
  [0, oracle('registerOracle', G, O1), null],
  [0, oracle('registerOracle', G, O2), null],
  [0, oracle('registerOracle', G, O3), null],
  [0, oracle('registerOracle', G, O1), 'OracleAlreadyRegistered'],
  [0, oracle('removeOracle', G, X), 'UnknownOracle'],
  [0, verdict(O1, 1), 'UnknownAudit'],
  [0, dep(F, 'usdc', 100_000n * USDC), null],
  [0, { type: 'fundTreasury', from: F, amountMicroUsdc: 100_000n * USDC }, null],
  [0, dep(H, 'one', 2_500n * ONE), null],
  [0, { type: 'stake', holder: H, amountOneWei: 2_500n * ONE }, null],
  [0, { type: 'startDay', day: 0 }, null],
  [
    1_000,
    {
      type: 'submitJob',
      lane: Lane.included,
      requester: H,
      model: A,
      units: 100n,
      requestHash: hash32('v1'),
    },
    null,
  ],
  [1_000, { type: 'dispatch' }, null],
  [2_000, (st, t) => complete(st, 1, t), null],
  [epoch, { type: 'settle', epoch: 0 }, null], // opens the audit of job 1
  [epoch, verdict(X, 1), 'UnknownOracle'],
  [epoch, verdict(O1, 1), null],
  [epoch, verdict(O1, 1), 'AlreadyVoted'],
  [epoch, oracle('removeOracle', G, O3), null],
  [epoch, verdict(O3, 1), 'UnknownOracle'],
  [epoch, verdict(O2, 2), 'UnknownAudit'],
  [2 * epoch, { type: 'settle', epoch: 1 }, null], // resolves it
  [2 * epoch, verdict(O2, 1), 'UnknownAudit'],
];

const anvil = useAnvil();

/** Applies a script step by step, checking the outcome and the whole projection after each. */
async function runScript(
  rpc: Parameters<Parameters<typeof anvil.isolated>[0]>[0],
  steps: Step[],
  p = params,
) {
  const { driver } = await openLiveSession({ rpc, params: p });
  for (const [i, [atMs, make, expected]] of steps.entries()) {
    const action = typeof make === 'function' ? make(driver.state, atMs) : make;
    const r = await driver.apply(i, atMs, action);
    expect(r.ok ? null : r.code, `step ${i} (${action.type})`).toBe(expected);
    await driver.check(); // outcome and projection after every step
  }
  return driver;
}

describe('the contracts on a scripted run (every on-chain rule, accepted and rejected)', () => {
  it('answer like the model at every step, and their state projects onto the model’s', async () => {
    await anvil.isolated(async (rpc) => {
      const driver = await runScript(rpc, script);
      expect(driver.stats.chainAcceptedByType.claim).toBe(1);
    });
  });

  it('reject like the model on KYC, oracles and audits (KycRequired, UnknownOracle, UnknownAudit)', async () => {
    await anvil.isolated(async (rpc) => {
      const driver = await runScript(rpc, verificationScript, verificationParams);
      for (const code of [
        'KycRequired',
        'OracleAlreadyRegistered',
        'UnknownOracle',
        'UnknownAudit',
      ])
        expect(driver.stats.chainRejectedByCode[code], code).toBeGreaterThan(0);
      expect(driver.state.totals.auditsResolved).toBe(1);
    });
  });

  it('compute the model’s receipt id (the EIP-712 digest) for the Proof-of-AI extension', async () => {
    await anvil.isolated(async (rpc) => {
      const { deployment } = await openLiveSession({ rpc, params });
      const receipt = {
        jobId: 7,
        lane: Lane.dedicated,
        requester: S,
        model: A,
        worker: W,
        requestHash: hash32('q'),
        resultHash: hash32('r'),
        units: 12n,
        price: 3n,
        finishedAt: 5_000,
        prev: hash32('p'),
      };
      const data = encodeFunctionData({
        abi: deployment.abis.protocol,
        functionName: 'receiptDigest',
        args: [{ ...receipt, jobId: 7n, finishedAt: 5_000n }],
      });
      const out = await rpc.call<Hex>('eth_call', [{ to: deployment.protocol, data }, 'latest']);
      const onChain = decodeFunctionResult({
        abi: deployment.abis.protocol,
        functionName: 'receiptDigest',
        data: out,
      });
      const inTs = createReceiptHasher(receiptDomain(31337, deployment.protocol))(receipt);
      expect(onChain).toBe(`0x${Buffer.from(inTs).toString('hex')}`);
    });
  });

  it('agree over a few simulated days of random actions (runLive)', async () => {
    const seed = 2;
    const r = await anvil.isolated(() =>
      runLive({
        rpcUrl: anvil.url(),
        params: randomLiveParams(seed),
        seed,
        checkEvery: 50,
        actions: (state) => randomLiveActions({ seed, days: 3, state }),
      }),
    );
    expect(r.divergence).toBeNull();
    expect(r.actions).toBeGreaterThan(500);
    expect(r.stats.chainAcceptedByType.startDay).toBe(4); // days 0–3 (day 3 starts at the end)
    expect(r.stats.chainAcceptedByType.settle).toBeGreaterThanOrEqual(10);
  });

  it('refuse times that are not whole seconds (block timestamps)', async () => {
    await anvil.isolated(async (rpc) => {
      const { driver } = await openLiveSession({ rpc, params });
      await expect(driver.apply(0, 1_500, { type: 'expireJobs' })).rejects.toBeInstanceOf(
        LiveInputError,
      );
    });
  });
});

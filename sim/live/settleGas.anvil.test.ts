import { describe, expect, it } from 'vitest';
import type { Action } from '../../protocol/actions.ts';
import { resolveParams } from '../../protocol/params.ts';
import { receiptOfJob } from '../../protocol/receipts/receipt.ts';
import { createSimSigner } from '../../protocol/receipts/simVerifier.ts';
import { addr, hash32, modelId } from '../../protocol/testing/fixtures.ts';
import { type Address, Lane, type State } from '../../protocol/types.ts';
import { ONE, USDC } from '../../protocol/units.ts';
import { liveParamsInput, type TimedAction } from './randomActions.ts';
import { runLive } from './runLive.ts';
import { useAnvil } from './testing/anvilFixture.ts';

const A = modelId('model-a');
const [F, H, W] = [addr(1, 9), addr(1, 1), addr(1, 2)];
const G = '0x00000000000000000000000000000000000000a0' as Address;
const [O1, O2] = [addr(5, 1), addr(5, 2)];
const epochMs = 21_600_000;
/** Receipts in one epoch, every one audited: its settlement opens this many audits. */
const jobs = 2_000;
const batch = 250;

const params = resolveParams(
  liveParamsInput({
    kycRequired: false,
    auditSampleRate: { num: 1n, den: 1n },
    auditCommitteeSize: 2,
    auditQuorum: 2,
  }),
);

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

/** A busy epoch: `jobs` Included receipts in epoch 0, settled (audits opened) and paid. */
function* busyEpoch(s: State): Generator<TimedAction> {
  const at = (atMs: number, action: Action): TimedAction => ({ atMs, action });
  yield at(0, { type: 'deposit', account: F, asset: 'usdc', amount: 1_000_000n * USDC });
  yield at(0, { type: 'fundTreasury', from: F, amountMicroUsdc: 1_000_000n * USDC });
  yield at(0, { type: 'deposit', account: H, asset: 'one', amount: 10_000n * ONE });
  yield at(0, { type: 'stake', holder: H, amountOneWei: 10_000n * ONE });
  yield at(0, { type: 'deposit', account: W, asset: 'usdc', amount: 1_000n * USDC });
  yield at(0, {
    type: 'registerWorker',
    worker: W,
    models: [A],
    slots: batch,
    capacityCuPerSec: 100n,
    bondMicroUsdc: 500n * USDC,
  });
  for (const o of [O1, O2]) yield at(0, { type: 'registerOracle', proposer: G, oracle: o });
  yield at(0, { type: 'startDay', day: 0 });
  for (let b = 0; b < jobs / batch; b++) {
    const t = 1_000 + 2_000 * b;
    for (let i = 0; i < batch; i++)
      yield at(t, {
        type: 'submitJob',
        lane: Lane.included,
        requester: H,
        model: A,
        units: 1n,
        requestHash: hash32(`job${b * batch + i}`),
      });
    yield at(t, { type: 'dispatch' });
    const running = [...s.jobs.values()].filter((j) => j.status === 'running').map((j) => j.id);
    for (const id of running) yield at(t + 1_000, complete(s, id, t + 1_000));
  }
  yield at(epochMs, { type: 'settle', epoch: 0 }); // opens an audit per receipt of epoch 0
  yield at(2 * epochMs, { type: 'settle', epoch: 1 }); // resolves them, pays the receipts
}

const anvil = useAnvil();

describe('a busy epoch settles on the local Anvil', () => {
  it(`opens, resolves and pays ${jobs} audited receipts in one settlement each`, async () => {
    const r = await anvil.isolated(() =>
      runLive({ rpcUrl: anvil.url(), params, checkEvery: 0, actions: busyEpoch }),
    );
    expect(r.error).toBeNull();
    expect(r.divergence).toBeNull();
    expect(r.stats.chainAcceptedByType.settle).toBe(2);
    const settleGas = r.gasPerType.find((g) => g.type === 'settle')!;
    // Far past a real chain's 30M block gas limit (the finding in protocol/contracts/README.md).
    expect(settleGas.gasMean * settleGas.count).toBeGreaterThan(200_000_000);
  });
});

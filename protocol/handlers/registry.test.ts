import { describe, expect, it } from 'vitest';
import type { Action } from '../actions.ts';
import { simAttest } from '../receipts/simVerifier.ts';
import { stateHash } from '../stateHash.ts';
import { hash32, simAttestationFor } from '../testing/fixtures.ts';
import {
  holderAddr,
  includedJob,
  MODEL_A,
  MODEL_B,
  smallNetwork,
  workerAddr,
} from '../testing/network.ts';
import type { Address } from '../types.ts';
import { USDC } from '../units.ts';
import { refreshWorkerIndex } from './routing.ts';

// Written for surviving mutants (docs/auditing.md): the registry's and KYC's checks at their
// boundaries, and what a returning, exiting, jailed or topped-up worker's record becomes.
const DAY = 86_400_000;
const w5 = workerAddr(5);
type D = ReturnType<typeof smallNetwork>;

function refuses(d: D, cases: Array<[Action, string]>) {
  const before = stateHash(d.state);
  for (const [action, code] of cases)
    expect(
      d.attempt(action),
      JSON.stringify(action, (_, v) => (typeof v === 'bigint' ? `${v}n` : v)),
    ).toMatchObject({ ok: false, code, message: expect.stringMatching(/\S/) });
  expect(stateHash(d.state)).toBe(before);
}

function registration(d: D, worker: Address = w5, o: object = {}) {
  return {
    type: 'registerWorker',
    worker,
    models: [MODEL_A],
    slots: 1,
    capacityCuPerSec: 1n,
    bondMicroUsdc: d.params.workerBondMinMicroUsdc,
    attestation: simAttestationFor(d.params, worker),
    ...o,
  } as Action;
}

describe('registering workers', () => {
  it('checks models, slots, capacity, bond and balance at their boundaries', () => {
    const d = smallNetwork({ params: { workerModelsMax: 2, workerSlotsMax: 3 } });
    const min = d.params.workerBondMinMicroUsdc;
    d.run({ type: 'deposit', account: w5, asset: 'usdc', amount: min });
    const r = (o: object) => registration(d, w5, o);
    refuses(d, [
      [r({ models: [] }), 'InvalidWorkerConfig'],
      [r({ models: 'x' }), 'InvalidWorkerConfig'],
      [r({ models: [MODEL_A, MODEL_B, hash32('c')] }), 'InvalidWorkerConfig'],
      [r({ models: [MODEL_A, 'gpt'] }), 'InvalidWorkerConfig'],
      [r({ models: [MODEL_A, MODEL_A] }), 'InvalidWorkerConfig'],
      [r({ slots: 0 }), 'InvalidWorkerConfig'],
      [r({ slots: 4 }), 'InvalidWorkerConfig'],
      [r({ slots: 1.5 }), 'InvalidWorkerConfig'],
      [r({ capacityCuPerSec: 0n }), 'InvalidWorkerConfig'],
      [r({ capacityCuPerSec: 5 }), 'InvalidWorkerConfig'],
      [r({ bondMicroUsdc: min - 1n }), 'BondTooSmall'],
      [r({ bondMicroUsdc: Number(min) }), 'BondTooSmall'],
      [r({ bondMicroUsdc: min + 1n }), 'InsufficientBalance'],
    ]);
    expect(d.run(r({ models: [MODEL_A, MODEL_B], slots: 3 }))).toEqual([
      { type: 'WorkerRegistered', worker: w5, bondMicroUsdc: min },
    ]);
    expect(d.state.accounts.get(w5)!.usdc).toBe(0n);
    const w = d.state.workers.get(w5)!;
    expect(w).toMatchObject({
      models: [MODEL_A, MODEL_B],
      slots: 3,
      status: 'active',
      bondMicroUsdc: min,
    });
    expect(w.identityHash).toBe(hash32(`identity:${w5}`));
    expect(w.attestationExpiresAtMs).toBe(365 * DAY);
    refuses(d, [[r({}), 'WorkerAlreadyRegistered']]);
  });

  it('KYC: a listed attestor’s valid, unexpired attestation for this worker, or nothing', () => {
    const d = smallNetwork();
    d.run({ type: 'deposit', account: w5, asset: 'usdc', amount: 10_000n * USDC });
    d.at(1_000);
    const attestor = d.params.attestors[0]!;
    const att = (o: object) => ({
      ...simAttest(attestor, { worker: w5, identityHash: hash32('id'), expiresAtMs: 2_000 }),
      ...o,
    });
    const r = (attestation: unknown) => registration(d, w5, { attestation });
    refuses(d, [
      [r(undefined), 'KycRequired'],
      [r(att({ worker: workerAddr(6) })), 'BadAttestation'],
      [
        r(simAttest(workerAddr(7), { worker: w5, identityHash: hash32('id'), expiresAtMs: 2_000 })),
        'BadAttestation',
      ],
      [
        r(simAttest(attestor, { worker: w5, identityHash: hash32('id'), expiresAtMs: 1_000 })),
        'AttestationExpired',
      ],
      [r(att({ expiresAtMs: 1.5e3 + 0.5 })), 'AttestationExpired'],
      [
        r(simAttest(attestor, { worker: w5, identityHash: '0x12', expiresAtMs: 2_000 })),
        'BadAttestation',
      ],
      [
        r(
          simAttest(attestor, {
            worker: w5,
            identityHash: `${hash32('id')}0` as never,
            expiresAtMs: 2_000,
          }),
        ),
        'BadAttestation',
      ],
      [
        r(
          simAttest(attestor, {
            worker: w5,
            identityHash: `x${hash32('id')}` as never,
            expiresAtMs: 2_000,
          }),
        ),
        'BadAttestation',
      ],
      [
        r(simAttest(attestor, { worker: w5, identityHash: 7 as never, expiresAtMs: 2_000 })),
        'BadAttestation',
      ],
      [r(att({ expiresAtMs: 3_000 })), 'BadAttestation'],
    ]);
    d.run(r(simAttest(attestor, { worker: w5, identityHash: hash32('id'), expiresAtMs: 1_001 })));
    // Without KYC no attestation is needed, and none lapses.
    const open = smallNetwork({ params: { kycRequired: false } });
    open.run({ type: 'deposit', account: w5, asset: 'usdc', amount: 10_000n * USDC });
    open.run(registration(open, w5, { attestation: undefined }));
    expect(open.state.workers.get(w5)!.identityHash).toBeNull();
  });

  it('a returning worker keeps its history; an exiting one is not yet gone', () => {
    const d = smallNetwork();
    const w = workerAddr(0);
    d.run(includedJob(holderAddr(0), 10n));
    d.run({ type: 'dispatch' });
    d.at(1_000).complete(1);
    const head = d.state.workers.get(w)!.chainHead;
    d.run({ type: 'exitWorker', worker: w });
    refuses(d, [[registration(d, w), 'WorkerAlreadyRegistered']]);
    d.at(1_000 + d.params.workerUnbondingMs).run({ type: 'withdrawBond', worker: w });
    d.run(registration(d, w));
    expect(d.state.workers.get(w)).toMatchObject({
      served: 1,
      failed: 0,
      chainHead: head,
      status: 'active',
      jailed: false,
    });
  });
});

describe('worker lifecycle', () => {
  it('online, exit and bond withdrawal: who may, when, and what moves', () => {
    const d = smallNetwork({ params: { workerUnbondingMs: 60_000 } });
    const w = workerAddr(0);
    refuses(d, [
      [{ type: 'setWorkerOnline', worker: w5, online: false }, 'WorkerNotActive'],
      [{ type: 'exitWorker', worker: w5 }, 'WorkerNotActive'],
      [{ type: 'withdrawBond', worker: w5 }, 'UnknownWorker'],
      [{ type: 'withdrawBond', worker: w }, 'WorkerNotActive'],
    ]);
    expect(d.run({ type: 'setWorkerOnline', worker: w, online: false })).toEqual([
      { type: 'WorkerOnline', worker: w, online: false },
    ]);
    expect(d.run({ type: 'setWorkerOnline', worker: w, online: 'yes' as never })).toEqual([
      { type: 'WorkerOnline', worker: w, online: false },
    ]);
    expect(d.run({ type: 'setWorkerOnline', worker: w, online: true })).toEqual([
      { type: 'WorkerOnline', worker: w, online: true },
    ]);
    d.run(includedJob(holderAddr(0), 10n));
    d.run({ type: 'dispatch' });
    const release = 5_000 + d.params.workerUnbondingMs;
    expect(d.at(5_000).run({ type: 'exitWorker', worker: w })).toEqual([
      { type: 'WorkerExiting', worker: w, bondReleaseAtMs: release },
    ]);
    refuses(d, [
      [{ type: 'exitWorker', worker: w }, 'WorkerNotActive'],
      [{ type: 'setWorkerOnline', worker: w, online: true }, 'WorkerNotActive'],
    ]);
    // A running job keeps the bond locked, even after the release time.
    d.at(release);
    refuses(d, [[{ type: 'withdrawBond', worker: w }, 'BondLocked']]);
    d.complete(1);
    d.run({ type: 'withdrawBond', worker: w });
    const e = smallNetwork();
    e.run({ type: 'exitWorker', worker: w });
    e.at(e.params.workerUnbondingMs - 1);
    refuses(e, [[{ type: 'withdrawBond', worker: w }, 'BondLocked']]);
    const bond = e.state.workers.get(w)!.bondMicroUsdc;
    expect(e.at(e.params.workerUnbondingMs).run({ type: 'withdrawBond', worker: w })).toEqual([
      { type: 'BondWithdrawn', worker: w, amountMicroUsdc: bond },
    ]);
    expect(e.state.workers.get(w)).toMatchObject({ bondMicroUsdc: 0n, status: 'exited' });
    expect(e.state.accounts.get(w)!.usdc).toBe(bond);
    refuses(e, [
      [{ type: 'withdrawBond', worker: w }, 'WorkerNotActive'],
      [{ type: 'topUpBond', worker: w, amountMicroUsdc: 1n }, 'UnknownWorker'],
      [
        { type: 'renewAttestation', worker: w, attestation: simAttestationFor(e.params, w) },
        'UnknownWorker',
      ],
    ]);
  });

  it('top-ups, renewals and release from jail', () => {
    const d = smallNetwork();
    const w = workerAddr(0);
    d.run({ type: 'deposit', account: w, asset: 'usdc', amount: 100n });
    refuses(d, [
      [{ type: 'topUpBond', worker: w5, amountMicroUsdc: 1n }, 'UnknownWorker'],
      [{ type: 'topUpBond', worker: w, amountMicroUsdc: 0n }, 'InvalidAmount'],
      [{ type: 'topUpBond', worker: w, amountMicroUsdc: 5 as never }, 'InvalidAmount'],
      [{ type: 'topUpBond', worker: w, amountMicroUsdc: 101n }, 'InsufficientBalance'],
      [
        { type: 'renewAttestation', worker: w5, attestation: simAttestationFor(d.params, w5) },
        'UnknownWorker',
      ],
      [
        { type: 'renewAttestation', worker: w, attestation: simAttestationFor(d.params, w5) },
        'BadAttestation',
      ],
      [{ type: 'releaseJail', worker: w5 }, 'UnknownWorker'],
      [{ type: 'releaseJail', worker: w }, 'NotJailed'],
    ]);
    const bond = d.state.workers.get(w)!.bondMicroUsdc;
    expect(d.run({ type: 'topUpBond', worker: w, amountMicroUsdc: 100n })).toEqual([
      { type: 'BondToppedUp', worker: w, amountMicroUsdc: 100n },
    ]);
    expect([d.state.workers.get(w)!.bondMicroUsdc, d.state.accounts.get(w)!.usdc]).toEqual([
      bond + 100n,
      0n,
    ]);
    expect(
      d.run({
        type: 'renewAttestation',
        worker: w,
        attestation: simAttestationFor(d.params, w, 9 * DAY),
      }),
    ).toEqual([{ type: 'AttestationRenewed', worker: w, expiresAtMs: 9 * DAY }]);
    expect(d.state.workers.get(w)!.attestationExpiresAtMs).toBe(9 * DAY);
    // Jail (as a confirmed mismatch leaves it): release only after jailMs, with the bond at the minimum.
    const worker = d.state.workers.get(w)!;
    Object.assign(worker, { jailed: true, jailedUntilMs: 3 * DAY });
    refreshWorkerIndex(d.state, worker);
    const governor = d.params.governor;
    d.run({
      type: 'proposeParams',
      proposer: governor,
      changes: { workerBondMinMicroUsdc: worker.bondMicroUsdc + 1n },
    });
    d.at(2 * DAY).run({ type: 'startDay', day: 1 });
    d.run({ type: 'startDay', day: 2 });
    d.run({ type: 'executeProposal', proposalId: 1 });
    d.at(3 * DAY - 1);
    refuses(d, [[{ type: 'releaseJail', worker: w }, 'WorkerJailed']]);
    d.at(3 * DAY);
    refuses(d, [[{ type: 'releaseJail', worker: w }, 'BondTooSmall']]);
    d.run({ type: 'deposit', account: w, asset: 'usdc', amount: 1n });
    d.run({ type: 'topUpBond', worker: w, amountMicroUsdc: 1n });
    expect(d.run({ type: 'releaseJail', worker: w })).toEqual([
      { type: 'JailReleased', worker: w },
    ]);
    expect(worker.jailed).toBe(false);
  });
});

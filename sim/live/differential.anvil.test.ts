import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { liveIntentsArb, liveParamsArb } from './audit/arbitraries.ts';
import { runIntentsLive } from './audit/runIntentsLive.ts';
import { useAnvil } from './testing/anvilFixture.ts';

// CI runs a fixed seed; set ONESIM_FC_SEED / ONESIM_LIVE_RUNS to explore (the seed is printed).
const seed = Number(process.env.ONESIM_FC_SEED ?? 20261121);
const numRuns = Number(process.env.ONESIM_LIVE_RUNS ?? 60);

const anvil = useAnvil();

describe('the contracts against the TS model (differential, on Anvil)', () => {
  it('agree on every accept/reject, every rejection code and every projected field', async () => {
    const rejected = new Set<string>();
    const accepted = new Set<string>();
    let slashes = 0;
    await fc.assert(
      fc.asyncProperty(liveParamsArb, liveIntentsArb, async (params, intents) => {
        const r = await anvil.isolated((rpc) => runIntentsLive({ rpc, params, intents }));
        for (const code of Object.keys(r.stats.chainRejectedByCode)) rejected.add(code);
        for (const type of Object.keys(r.stats.chainAcceptedByType)) accepted.add(type);
        expect(r.divergence).toBeNull();
        slashes += r.slashes;
      }),
      { seed, numRuns, interruptAfterTimeLimit: 90_000 },
    );
    // The runs must reach the on-chain rules, or agreement proves little.
    for (const code of [
      'InsufficientBalance',
      'InsufficientStake',
      'NothingToClaim',
      'WrongDay',
      'WrongEpoch',
      'UnknownReservation',
      'AlreadyClaimed',
      'InvalidProof',
      'NotGovernor',
      'ParamImmutable',
      'TimelockNotElapsed',
      'UnknownProposal',
      'WorkerAlreadyRegistered',
      'WorkerNotActive',
      'BondLocked',
      'BadAttestation',
      'AttestationExpired',
      'WorkerJailed',
      'NotJailed',
      'NotOnCommittee',
      'AlreadyVoted',
    ])
      expect(rejected, `no run reached rejection ${code} on chain`).toContain(code);
    for (const type of [
      'deposit',
      'withdraw',
      'fundTreasury',
      'stake',
      'unstake',
      'claimUnbonded',
      'startDay',
      'reserve',
      'endReservation',
      'settle',
      'claim',
      'registerWorker',
      'setWorkerOnline',
      'exitWorker',
      'withdrawBond',
      'proposeParams',
      'executeProposal',
      'cancelProposal',
      'registerOracle',
      'renewAttestation',
      'topUpBond',
      'auditVerdict',
    ])
      expect(accepted, `no run had ${type} accepted on chain`).toContain(type);
    expect(slashes, 'no run slashed a worker on chain').toBeGreaterThan(0);
  }, 120_000);
});

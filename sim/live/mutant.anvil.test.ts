import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildContracts } from '../../protocol/contracts/build.ts';
import { liveIntentsArb, liveParamsArb } from './audit/arbitraries.ts';
import { runIntentsLive } from './audit/runIntentsLive.ts';
import { randomLiveActions, randomLiveParams } from './randomActions.ts';
import { runLive } from './runLive.ts';
import { useAnvil } from './testing/anvilFixture.ts';

const feeRoundedUp = '_ceilDiv(cost * params[P.DEDICATED_FEE_NUM], params[P.DEDICATED_FEE_DEN])';
const feeRoundedDown = '(cost * params[P.DEDICATED_FEE_NUM]) / params[P.DEDICATED_FEE_DEN]';

/** A planted disagreement: the Dedicated fee φ rounded down on chain instead of up. */
function feeRoundedDownBuild() {
  let applied = false;
  const build = buildContracts({
    transform: (file, source) => {
      if (file !== 'Reservations.sol') return source;
      applied = source.includes(feeRoundedUp);
      return source.replace(feeRoundedUp, feeRoundedDown);
    },
  });
  expect(applied, 'the mutation must apply to Reservations.sol').toBe(true);
  return build;
}

const quorumAtLeast = 'mismatches >= params[P.AUDIT_QUORUM]';
const quorumMoreThan = 'mismatches > params[P.AUDIT_QUORUM]';

/**
 * A planted disagreement in the verification layer: a quorum needs one mismatch vote more on
 * chain. (A bounty rounded up instead of down is not caught: randomRun's bonds are multiples
 * of 10^4 micro-USDC, so slashed · bountyFraction is always whole.)
 */
function quorumOffByOneBuild() {
  let applied = false;
  const build = buildContracts({
    transform: (file, source) => {
      if (file !== 'Audits.sol') return source;
      applied = source.includes(quorumAtLeast);
      return source.replace(quorumAtLeast, quorumMoreThan);
    },
  });
  expect(applied, 'the mutation must apply to Audits.sol').toBe(true);
  return build;
}

const anvil = useAnvil();

describe('the differential test bites', () => {
  it('finds a contract that rounds the reservation fee down', async () => {
    const build = feeRoundedDownBuild();
    const result = await fc.check(
      fc.asyncProperty(liveParamsArb, liveIntentsArb, async (params, intents) => {
        const r = await anvil.isolated((rpc) => runIntentsLive({ rpc, params, intents, build }));
        if (r.divergence)
          throw new Error(
            `${r.divergence.field}: model ${r.divergence.model}, chain ${r.divergence.chain}`,
          );
      }),
      { seed: 20261121, numRuns: 60, endOnFailure: true },
    );
    expect(result.failed).toBe(true);
    // One micro-USDC less in the treasury, or one more left with the sponsor.
    expect(String((result.errorInstance as Error).message)).toMatch(
      /treasuryMicroUsdc|\.usdc|usdcHeld|outcome|rejection/,
    );
  });

  it('finds a contract that needs one mismatch vote more to slash', async () => {
    const build = quorumOffByOneBuild();
    const result = await fc.check(
      fc.asyncProperty(liveParamsArb, liveIntentsArb, async (params, intents) => {
        const r = await anvil.isolated((rpc) => runIntentsLive({ rpc, params, intents, build }));
        if (r.divergence)
          throw new Error(
            `${r.divergence.field}: model ${r.divergence.model}, chain ${r.divergence.chain}`,
          );
      }),
      { seed: 20261121, numRuns: 60, endOnFailure: true },
    );
    expect(result.failed).toBe(true);
    // The model slashes and jails; the chain does not.
    expect(String((result.errorInstance as Error).message)).toMatch(
      /treasuryMicroUsdc|\.usdc|bondMicroUsdc|jailed|outcome|rejection|SettlementMismatch/,
    );
  });

  it('runLive reports the first divergence and writes a replay file', async () => {
    const build = feeRoundedDownBuild();
    const dir = mkdtempSync(join(tmpdir(), 'onesim-live-'));
    try {
      // The first of a few seeds whose run buys a reservation with a fractional fee.
      let r: Awaited<ReturnType<typeof runLive>> | undefined;
      for (let seed = 1; seed <= 10 && (!r || r.ok); seed++) {
        const params = randomLiveParams(seed);
        const actions = (state: Parameters<typeof randomLiveActions>[0]['state']) =>
          randomLiveActions({ seed, days: 2, state });
        r = await anvil.isolated(() =>
          runLive({
            rpcUrl: anvil.url(),
            params,
            seed,
            build,
            checkEvery: 10,
            replayDir: dir,
            actions,
          }),
        );
      }
      if (!r) throw new Error('no run');
      expect(r.ok).toBe(false);
      expect(r.divergence!.field).toMatch(/treasuryMicroUsdc|\.usdc|usdcHeld|outcome|rejection/);
      const replay = JSON.parse(readFileSync(r.replayPath!, 'utf8'));
      expect(replay.actions).toHaveLength(r.actions);
      expect(replay.divergence.index).toBe(r.divergence!.index);
      expect(replay.actions[r.divergence!.index].action.type).toBeTypeOf('string');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

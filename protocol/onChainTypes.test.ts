import { describe, expect, it } from 'vitest';
import { actionSchema } from './actionSchema.ts';
import type { Action } from './actions.ts';
import { uint64Max, uint256Max } from './onChainTypes.ts';
import { InvalidParamsError, resolveParams } from './params.ts';
import { createSimSigner } from './receipts/simVerifier.ts';
import { stateHash } from './stateHash.ts';
import { holderAddr, includedJob, MODEL_A, smallNetwork, workerAddr } from './testing/network.ts';

const two256 = 1n << 256n;
const two64 = 1n << 64n;
const someone = holderAddr(7);

describe('amounts fit the on-chain types that hold them', () => {
  it('step refuses a bigint field beyond its type with InvalidAmount, naming the field, state untouched', () => {
    const d = smallNetwork();
    const before = stateHash(d.state);
    const cases: Array<[Action, string]> = [
      [{ type: 'deposit', account: someone, asset: 'usdc', amount: two256 }, 'amount'],
      [{ type: 'withdraw', account: someone, asset: 'one', amount: two256 }, 'amount'],
      [{ type: 'fundTreasury', from: someone, amountMicroUsdc: two256 }, 'amountMicroUsdc'],
      [{ type: 'stake', holder: someone, amountOneWei: two256 }, 'amountOneWei'],
      [{ type: 'unstake', holder: someone, amountOneWei: two256 }, 'amountOneWei'],
      [
        {
          type: 'reserve',
          sponsor: someone,
          model: null,
          rateCuPerSec: two256,
          durationMs: 3_600_000,
        },
        'rateCuPerSec',
      ],
      [{ ...includedJob(holderAddr(0), two64) } as Action, 'units'],
      [
        { type: 'claim', epoch: 0, worker: workerAddr(0), amountMicroUsdc: two256, proof: [] },
        'amountMicroUsdc',
      ],
      [
        {
          type: 'registerWorker',
          worker: someone,
          models: [MODEL_A],
          slots: 1,
          capacityCuPerSec: two256,
          bondMicroUsdc: 1n,
        },
        'capacityCuPerSec',
      ],
      [{ type: 'topUpBond', worker: workerAddr(0), amountMicroUsdc: two256 }, 'amountMicroUsdc'],
      [{ type: 'deposit', account: someone, asset: 'usdc', amount: -1n }, 'amount'],
    ];
    for (const [action, field] of cases) {
      const r = d.attempt(action);
      expect(r, `${action.type}.${field}`).toMatchObject({ ok: false, code: 'InvalidAmount' });
      expect((r as { message: string }).message).toMatch(
        new RegExp(`^${field} must fit uint(64|256)`),
      );
    }
    expect(stateHash(d.state)).toBe(before);
  });

  it("a receipt's units and price are uint64", () => {
    const d = smallNetwork();
    d.at(1_000).run(includedJob(holderAddr(0), 100n));
    d.run({ type: 'dispatch' });
    const good = d.at(2_000).receiptFor(1);
    for (const change of [{ units: two64 }, { price: two64 }]) {
      const receipt = { ...good, ...change };
      const signature = createSimSigner(receipt.worker).sign(receipt);
      expect(d.attempt({ type: 'completeJob', receipt, signature })).toMatchObject({
        ok: false,
        code: 'InvalidAmount',
        message: expect.stringMatching(/^receipt\.(units|price) must fit uint64/),
      });
    }
  });

  it('deposits stop where the token supply (deposited − withdrawn) would pass 2^256 − 1', () => {
    const d = smallNetwork();
    const t = d.state.totals;
    const room = uint256Max - (t.oneDepositedWei - t.oneWithdrawnWei);
    d.run({ type: 'deposit', account: someone, asset: 'one', amount: room });
    expect(
      d.attempt({ type: 'deposit', account: someone, asset: 'one', amount: 1n }),
    ).toMatchObject({ ok: false, code: 'InvalidAmount' });
    // USDC is another token: its supply has its own room.
    d.run({ type: 'deposit', account: someone, asset: 'usdc', amount: 1n });
    d.run({ type: 'withdraw', account: someone, asset: 'one', amount: 5n });
    d.run({ type: 'deposit', account: someone, asset: 'one', amount: 5n });
    expect(d.state.accounts.get(someone)!.one).toBe(room);
  });

  it('the action schema refuses the same values at the edge, naming the field', () => {
    const issue = (data: unknown) => {
      const r = actionSchema.safeParse(data);
      expect(r.success).toBe(false);
      const i = r.error!.issues[0]!;
      return `${i.path.join('.')}: ${i.message}`;
    };
    const account = someone;
    expect(issue({ type: 'deposit', account, asset: 'usdc', amount: two256.toString() })).toBe(
      'amount: must fit uint256 (at most 2^256 − 1)',
    );
    expect(
      actionSchema.safeParse({ type: 'deposit', account, asset: 'usdc', amount: `${uint256Max}` })
        .success,
    ).toBe(true);
    expect(
      issue({
        type: 'submitJob',
        lane: 0,
        requester: account,
        model: MODEL_A,
        units: `${two64}`,
        requestHash: MODEL_A,
      }),
    ).toBe('units: must fit uint64 (at most 2^64 − 1)');
    expect(`${uint64Max}`).toBe('18446744073709551615');
  });

  it('parameters are uint256 on chain too', () => {
    expect(() => resolveParams({ workerBondMinMicroUsdc: two256 })).toThrow(InvalidParamsError);
    expect(() => resolveParams({ workerBondMinMicroUsdc: uint256Max })).not.toThrow();
  });
});

import { describe, expect, it } from 'vitest';
import type { Action } from '../actions.ts';
import { stateHash } from '../stateHash.ts';
import { addr } from '../testing/fixtures.ts';
import { MODEL_A, smallNetwork, workerAddr } from '../testing/network.ts';
import type { Address } from '../types.ts';
import { USDC } from '../units.ts';

// Written for surviving mutants (docs/auditing.md): the oracle set, availability posts and the
// closing of an availability day (scores, routing gate, rewards) at their boundaries.
const DAY = 86_400_000;
const oracle = (i: number) => addr(i, 4);
type D = ReturnType<typeof smallNetwork>;

function refuses(d: D, cases: Array<[Action, string]>) {
  const before = stateHash(d.state);
  for (const [action, code] of cases)
    expect(d.attempt(action), JSON.stringify(action)).toMatchObject({
      ok: false,
      code,
      message: expect.stringMatching(/\S/),
    });
  expect(stateHash(d.state)).toBe(before);
}

/** Three workers, three oracles, days 0 and 1 started (day 0 is over). */
function network(params: object = {}) {
  const d = smallNetwork({
    params,
    workers: [0, 1, 2].map(() => ({ models: [MODEL_A], slots: 1 })),
  });
  for (let i = 0; i < 3; i++)
    d.run({ type: 'registerOracle', proposer: d.params.governor, oracle: oracle(i) });
  d.at(DAY).run({ type: 'startDay', day: 1 });
  return d;
}

const w = [0, 1, 2].map(workerAddr);
const post = (o: number, day: number, scores: Array<[Address, number]>) =>
  ({ type: 'postAvailability', oracle: oracle(o), day, scores }) as Action;

describe('the oracle set', () => {
  it('only the governor adds and removes oracles; addresses are lower-case; re-adding keeps history', () => {
    const d = smallNetwork();
    const g = d.params.governor;
    refuses(d, [
      [{ type: 'registerOracle', proposer: oracle(9), oracle: oracle(1) }, 'NotGovernor'],
      [{ type: 'registerOracle', proposer: g, oracle: '0xABC' as Address }, 'InvalidAction'],
      [
        { type: 'registerOracle', proposer: g, oracle: `${oracle(1)}0` as Address },
        'InvalidAction',
      ],
      [
        { type: 'registerOracle', proposer: g, oracle: `x${oracle(1)}` as Address },
        'InvalidAction',
      ],
      [{ type: 'removeOracle', proposer: g, oracle: oracle(1) }, 'UnknownOracle'],
    ]);
    expect(d.run({ type: 'registerOracle', proposer: g, oracle: oracle(1) })).toEqual([
      { type: 'OracleRegistered', oracle: oracle(1) },
    ]);
    refuses(d, [
      [{ type: 'registerOracle', proposer: g, oracle: oracle(1) }, 'OracleAlreadyRegistered'],
      [{ type: 'removeOracle', proposer: oracle(9), oracle: oracle(1) }, 'NotGovernor'],
    ]);
    d.state.oracles.get(oracle(1))!.verdicts = 4;
    d.state.oracles.get(oracle(1))!.earnedMicroUsdc = 9n;
    expect(d.run({ type: 'removeOracle', proposer: g, oracle: oracle(1) })).toEqual([
      { type: 'OracleRemoved', oracle: oracle(1) },
    ]);
    expect(d.state.oracles.get(oracle(1))!.active).toBe(false);
    refuses(d, [[{ type: 'removeOracle', proposer: g, oracle: oracle(1) }, 'UnknownOracle']]);
    d.run({ type: 'registerOracle', proposer: g, oracle: oracle(1) });
    expect(d.state.oracles.get(oracle(1))).toEqual({
      address: oracle(1),
      active: true,
      verdicts: 4,
      earnedMicroUsdc: 9n,
    });
  });
});

describe('availability posts', () => {
  it('come from active oracles, for an over and unclosed day, once, with scores 0..255', () => {
    const d = network();
    d.run({ type: 'removeOracle', proposer: d.params.governor, oracle: oracle(2) });
    refuses(d, [
      [post(2, 0, []), 'UnknownOracle'],
      [post(7, 0, []), 'UnknownOracle'],
      [post(0, 1, []), 'AvailabilityDayClosed'],
      [post(0, -1, []), 'AvailabilityDayClosed'],
      [post(0, 0.5, []), 'AvailabilityDayClosed'],
      [
        { type: 'postAvailability', oracle: oracle(0), day: 0, scores: 'x' } as never,
        'InvalidAction',
      ],
      [post(0, 0, [[w[0]!, 256]]), 'InvalidAction'],
      [post(0, 0, [[w[0]!, -1]]), 'InvalidAction'],
      [post(0, 0, [[w[0]!, 1.5]]), 'InvalidAction'],
    ]);
    expect(
      d.run(
        post(0, 0, [
          [w[0]!, 0],
          [w[1]!, 255],
        ]),
      ),
    ).toEqual([{ type: 'AvailabilityPosted', oracle: oracle(0), day: 0, scores: 2 }]);
    expect(d.state.availabilityReports.get(0)!.get(oracle(0))).toEqual(
      new Map([
        [w[0], 0],
        [w[1], 255],
      ]),
    );
    refuses(d, [[post(0, 0, []), 'AlreadyVoted']]);
    d.run(post(1, 0, []));
    d.run({ type: 'closeAvailabilityDay', day: 0 });
    refuses(d, [[post(1, 0, []), 'AvailabilityDayClosed']]);
  });
});

describe('closing an availability day', () => {
  it('in order, only once the day is over; agreed scores gate routing; rewards split by score', () => {
    const d = network({ availabilityMinScore: 100, availabilityRewardMicroUsdcPerDay: 1_000n });
    refuses(d, [
      [{ type: 'closeAvailabilityDay', day: 1 }, 'WrongDay'],
      [{ type: 'closeAvailabilityDay', day: -1 }, 'WrongDay'],
    ]);
    const scores: Array<[Address, number]> = [
      [w[0]!, 200],
      [w[1]!, 99],
      [w[2]!, 100],
    ];
    for (let i = 0; i < 3; i++)
      d.run(post(i, 0, [...scores, [oracle(0), 255], [oracle(1), 255], [oracle(2), 255]]));
    const treasury = d.state.treasuryMicroUsdc;
    const events = d.run({ type: 'closeAvailabilityDay', day: 0 });
    // 1,000 split 200 : 99 : 100 of 399, each rounded down.
    const shares = [(1_000n * 200n) / 399n, (1_000n * 99n) / 399n, (1_000n * 100n) / 399n];
    const paid = shares[0]! + shares[1]! + shares[2]!;
    expect(events).toEqual([
      {
        type: 'AvailabilityClosed',
        day: 0,
        faulty: false,
        participants: 3,
        unagreed: 0,
        rewardsMicroUsdc: paid,
      },
    ]);
    expect(d.state.treasuryMicroUsdc).toBe(treasury - paid);
    expect(w.map((a) => d.state.accounts.get(a)?.usdc)).toEqual(shares);
    expect(w.map((a) => d.state.workers.get(a)!.availabilityScore)).toEqual([200, 99, 100]);
    expect(d.state.freeWorkers.get(MODEL_A)).toEqual(new Set([w[0], w[2]]));
    expect(d.state.lastAvailability).toEqual({
      day: 0,
      faulty: false,
      participants: 3,
      unagreed: 0,
    });
    expect(d.state.availabilityReports.has(0)).toBe(false);
    expect(d.state.totals).toMatchObject({
      availabilityDaysClosed: 1,
      faultyDays: 0,
      availabilityRewardsMicroUsdc: paid,
    });
    refuses(d, [
      [{ type: 'closeAvailabilityDay', day: 0 }, 'WrongDay'],
      [{ type: 'closeAvailabilityDay', day: 1 }, 'TooEarly'],
    ]);
  });

  it('without a quorum the day is faulty and everyone keeps full availability; the pot is capped by the treasury', () => {
    const d = network({ availabilityRewardMicroUsdcPerDay: 10n ** 15n });
    // One of three oracles reports, and it saw the other two online: 1 of 3 online is no quorum.
    d.run(
      post(0, 0, [
        [w[0]!, 10],
        [oracle(1), 255],
        [oracle(2), 255],
      ]),
    );
    const treasury = d.state.treasuryMicroUsdc;
    const events = d.run({ type: 'closeAvailabilityDay', day: 0 });
    const paid = 3n * (treasury / 3n);
    expect(events).toEqual([
      {
        type: 'AvailabilityClosed',
        day: 0,
        faulty: true,
        participants: 1,
        unagreed: 0,
        rewardsMicroUsdc: paid,
      },
    ]);
    expect(w.map((a) => d.state.workers.get(a)!.availabilityScore)).toEqual([255, 255, 255]);
    expect(d.state.treasuryMicroUsdc).toBe(treasury - paid);
    expect(d.state.totals.faultyDays).toBe(1);
    // Nobody reported: no rewards at all, scores stay full.
    const e = network({ availabilityRewardMicroUsdcPerDay: 50n * USDC });
    expect(e.run({ type: 'closeAvailabilityDay', day: 0 })).toEqual([
      {
        type: 'AvailabilityClosed',
        day: 0,
        faulty: true,
        participants: 0,
        unagreed: 0,
        rewardsMicroUsdc: 3n * ((50n * USDC) / 3n),
      },
    ]);
  });

  it('scores of zero earn nothing and no reward is paid when all scores are zero', () => {
    const d = network({ availabilityMinScore: 0, availabilityRewardMicroUsdcPerDay: 1_000n });
    for (let i = 0; i < 3; i++)
      d.run(
        post(i, 0, [
          [w[0]!, 0],
          [w[1]!, 0],
          [w[2]!, 0],
          [oracle(0), 255],
          [oracle(1), 255],
          [oracle(2), 255],
        ]),
      );
    const treasury = d.state.treasuryMicroUsdc;
    expect(d.run({ type: 'closeAvailabilityDay', day: 0 })[0]).toMatchObject({
      rewardsMicroUsdc: 0n,
      faulty: false,
    });
    expect(d.state.treasuryMicroUsdc).toBe(treasury);
    expect(w.map((a) => d.state.accounts.get(a)?.usdc ?? 0n)).toEqual([0n, 0n, 0n]);
  });

  it('quorums count active oracles only, and an oracle is online if it posted or another saw it up', () => {
    // Three registered, one removed; one posts: 1 of 2 active (50 %) clears a 40 % quorum.
    const d = network({
      poaQuorumOfRegistered: { num: 40n, den: 100n },
      poaQuorumOfOnline: { num: 60n, den: 100n },
    });
    d.run({ type: 'removeOracle', proposer: d.params.governor, oracle: oracle(2) });
    d.run(
      post(0, 0, [
        [w[0]!, 200],
        [oracle(1), 0],
      ]),
    ); // saw oracle 1 down: not online
    expect(d.run({ type: 'closeAvailabilityDay', day: 0 })[0]).toMatchObject({
      faulty: false,
      participants: 1,
    });
    // Two post and see each other; one of them saw oracle 2 up, the other did not: 2 of 3
    // online (67 %) is short of a 70 % quorum of the online.
    const e = network({ poaQuorumOfOnline: { num: 70n, den: 100n } });
    e.run(
      post(0, 0, [
        [oracle(1), 255],
        [oracle(2), 255],
      ]),
    );
    e.run(
      post(1, 0, [
        [oracle(0), 255],
        [oracle(2), 0],
      ]),
    );
    expect(e.run({ type: 'closeAvailabilityDay', day: 0 })[0]).toMatchObject({
      faulty: true,
      participants: 2,
    });
  });
});

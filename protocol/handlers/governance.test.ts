import { describe, expect, it } from 'vitest';
import type { Action } from '../actions.ts';
import { stateHash } from '../stateHash.ts';
import { addr } from '../testing/fixtures.ts';
import { smallNetwork } from '../testing/network.ts';

// Written for surviving mutants (docs/auditing.md): who may propose and cancel, what a change
// set may hold, the timelock boundary, and the re-check at execution.
const DAY = 86_400_000;
type D = ReturnType<typeof smallNetwork>;

function refuses(d: D, cases: Array<[Action, string, RegExp?]>) {
  const before = stateHash(d.state);
  for (const [action, code, message] of cases) {
    const r = d.attempt(action);
    expect(
      r,
      JSON.stringify(action, (_, v) => (typeof v === 'bigint' ? `${v}n` : v)),
    ).toMatchObject({ ok: false, code, message: expect.stringMatching(/\S/) });
    if (message) expect((r as { message: string }).message).toMatch(message);
  }
  expect(stateHash(d.state)).toBe(before);
}

describe('governance', () => {
  it('proposals: governor only, an object of known, mutable, valid parameters', () => {
    const d = smallNetwork();
    const g = d.params.governor;
    const propose = (changes: unknown, proposer = g) =>
      ({ type: 'proposeParams', proposer, changes }) as Action;
    refuses(d, [
      [propose({ takeRate: { num: 1n, den: 10n } }, addr(5, 7)), 'NotGovernor'],
      [propose(null), 'InvalidParams', /must be an object/],
      [propose([1]), 'InvalidParams', /must be an object/],
      [propose('x'), 'InvalidParams', /must be an object/],
      [propose({ dayMs: 1 }), 'ParamImmutable', /params\.dayMs fixes the settlement calendar/],
      [
        propose({ runwayDays: 2, settlementEpochMs: 1 }),
        'ParamImmutable',
        /params\.settlementEpochMs/,
      ],
      [propose({ nope: 1 }), 'InvalidParams', /params\.nope is not a parameter/],
      [propose({ takeRate: { num: 2n, den: 1n } }), 'InvalidParams', /params\.takeRate: /],
      [
        propose({ reservationMinMs: 10 * DAY, reservationMaxMs: 5 * DAY }),
        'InvalidParams',
        /params\.reservationMinMs: /,
      ],
    ]);
    expect(d.at(1_000).run(propose({ takeRate: { num: 1n, den: 10n } }))).toEqual([
      { type: 'ProposalQueued', proposalId: 1, etaMs: 1_000 + d.params.timelockMs },
    ]);
    expect(d.state.proposals.get(1)).toEqual({
      id: 1,
      changes: { takeRate: { num: 1n, den: 10n } },
      etaMs: 1_000 + d.params.timelockMs,
    });
    d.run(propose({ runwayDays: 3 }));
    expect([...d.state.proposals.keys()]).toEqual([1, 2]);
  });

  it('executes at the end of the timelock, not before, and only once', () => {
    const d = smallNetwork();
    const g = d.params.governor;
    d.at(1_000).run({
      type: 'proposeParams',
      proposer: g,
      changes: { takeRate: { num: 1n, den: 10n } },
    });
    const eta = 1_000 + d.params.timelockMs;
    refuses(d.at(eta - 1), [
      [{ type: 'executeProposal', proposalId: 1 }, 'TimelockNotElapsed'],
      [{ type: 'executeProposal', proposalId: 2 }, 'UnknownProposal'],
    ]);
    d.at(eta).run({ type: 'startDay', day: 1 });
    d.run({ type: 'startDay', day: 2 });
    expect(d.run({ type: 'executeProposal', proposalId: 1 })).toEqual([
      { type: 'ProposalExecuted', proposalId: 1 },
    ]);
    expect(d.state.params.takeRate).toEqual({ num: 1n, den: 10n });
    expect(d.state.proposals.size).toBe(0);
    refuses(d, [[{ type: 'executeProposal', proposalId: 1 }, 'UnknownProposal']]);
  });

  it('re-checks a proposal against the parameters of the day it executes', () => {
    const d = smallNetwork();
    const g = d.params.governor;
    // Each alone is valid; together min > max.
    d.run({ type: 'proposeParams', proposer: g, changes: { reservationMaxMs: 2 * 3_600_000 } });
    d.run({ type: 'proposeParams', proposer: g, changes: { reservationMinMs: 3 * 3_600_000 } });
    d.at(d.params.timelockMs).run({ type: 'executeProposal', proposalId: 1 });
    refuses(d, [[{ type: 'executeProposal', proposalId: 2 }, 'InvalidParams', /reservationMinMs/]]);
  });

  it('cancels: governor only, a queued proposal only', () => {
    const d = smallNetwork();
    const g = d.params.governor;
    d.run({ type: 'proposeParams', proposer: g, changes: { runwayDays: 3 } });
    refuses(d, [
      [{ type: 'cancelProposal', proposer: addr(5, 7), proposalId: 1 }, 'NotGovernor'],
      [{ type: 'cancelProposal', proposer: g, proposalId: 2 }, 'UnknownProposal'],
    ]);
    expect(d.run({ type: 'cancelProposal', proposer: g, proposalId: 1 })).toEqual([
      { type: 'ProposalCancelled', proposalId: 1 },
    ]);
    refuses(d.at(d.params.timelockMs), [
      [{ type: 'executeProposal', proposalId: 1 }, 'UnknownProposal'],
    ]);
  });
});

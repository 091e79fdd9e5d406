import { describe, expect, it } from 'vitest';
import type { Action } from '../actions.ts';
import type { InvariantViolation } from '../invariants/stateInvariants.ts';
import { checkBanStep } from '../invariants/stepInvariants.ts';
import { InvalidParamsError, resolveParams } from '../params.ts';
import { simVerifier } from '../receipts/simVerifier.ts';
import { cloneState, createState } from '../state.ts';
import { step } from '../step.ts';
import { addr } from '../testing/fixtures.ts';
import { holderAddr, includedJob, MODEL_A, smallNetwork, workerAddr } from '../testing/network.ts';
import type { Address } from '../types.ts';

const EPOCH = 21_600_000;
const DAY = 86_400_000;
const oracle = (i: number) => addr(i, 4);
const w = [0, 1, 2].map(workerAddr);
/** An oracle's scores for the workers, and 255 for every oracle (so all three take part). */
const post = (o: number, day: number, scores: Array<[Address, number]>) =>
  ({
    type: 'postAvailability',
    oracle: oracle(o),
    day,
    scores: [...scores, ...[0, 1, 2].map((j) => [oracle(j), 255])],
  }) as Action;

/** Three workers, three oracles, one Included job (100 CU × 2 µUSDC) done by worker 0 on day 0. */
function network() {
  const d = smallNetwork({
    params: {
      rewardRules: 'ratio1',
      ratio1: { maxReleasePerDayMicroUsdc: 255_000n, poaiPricePerEpochMicroUsdc: 50n },
      auditSampleRate: { num: 1n, den: 1n },
    },
    workers: [0, 1, 2].map(() => ({ models: [MODEL_A], slots: 1 })),
  });
  for (let i = 0; i < 3; i++)
    d.run({ type: 'registerOracle', proposer: d.params.governor, oracle: oracle(i) });
  d.run(includedJob(holderAddr(0), 100n));
  d.run({ type: 'dispatch' });
  d.at(1_000).complete(1);
  return d;
}

describe('the rule set parameter', () => {
  it("is 'one' when absent, which keeps ONE's state (no ratio1 books)", () => {
    expect(resolveParams({}).rewardRules).toBeUndefined();
    expect(createState(resolveParams({})).ratio1).toBeUndefined();
    expect(createState(resolveParams({ rewardRules: 'one' })).ratio1).toBeUndefined();
    expect(createState(resolveParams({ rewardRules: 'ratio1' })).ratio1).toMatchObject({
      escrowMicroUsdc: 0n,
      burnedMicroUsdc: 0n,
    });
  });
  it('a value that is not a rule set is an InputError naming params.rewardRules', () => {
    const bad = () => resolveParams({ rewardRules: 'ratio2' as 'ratio1' });
    expect(bad).toThrow(InvalidParamsError);
    expect(bad).toThrow(/params\.rewardRules/);
    try {
      bad();
    } catch (e) {
      expect((e as InvalidParamsError).exitCode).toBe(2);
      expect((e as InvalidParamsError).field).toBe('params.rewardRules');
    }
    expect(() => resolveParams({ ratio1: { burnShare: { num: 2n, den: 1n } } })).toThrow(
      /params\.ratio1\.burnShare/,
    );
  });
  it('governance cannot switch the rule set after genesis', () => {
    const d = network();
    expect(
      d.attempt({
        type: 'proposeParams',
        proposer: d.params.governor,
        changes: { rewardRules: 'one' },
      }),
    ).toMatchObject({
      ok: false,
      code: 'ParamImmutable',
      message: /rewardRules is fixed at genesis/,
    });
  });
});

describe("Ratio1's rules in the protocol (invariants checked after every step)", () => {
  it('settled receipts fill the escrow: no take, no payout per receipt, no audits', () => {
    const d = network();
    const treasury = d.state.treasuryMicroUsdc;
    d.at(EPOCH).run({ type: 'settle', epoch: 0 });
    const e1 = d.at(2 * EPOCH).run({ type: 'settle', epoch: 1 });
    expect(e1.find((e) => e.type === 'ReceiptSettled')).toMatchObject({
      grossMicroUsdc: 200n,
      takeMicroUsdc: 0n,
    });
    expect(e1.some((e) => e.type === 'AuditOpened')).toBe(false);
    expect(d.state.settlements.size).toBe(0);
    expect(d.state.ratio1!.escrowMicroUsdc).toBe(200n);
    expect(d.state.treasuryMicroUsdc).toBe(treasury);
  });

  it('closing a day mints each licence its release and pays the agreed active nodes from the escrow, burning 15 %', () => {
    const d = network();
    d.at(EPOCH).run({ type: 'settle', epoch: 0 });
    d.at(2 * EPOCH).run({ type: 'settle', epoch: 1 });
    d.at(DAY).run({ type: 'startDay', day: 1 });
    // w0: all 255; w1: median 100, all within 10; w2: median 0, two of three within 10.
    d.run(
      post(0, 0, [
        [w[0]!, 255],
        [w[1]!, 100],
        [w[2]!, 0],
      ]),
    );
    d.run(
      post(1, 0, [
        [w[0]!, 255],
        [w[1]!, 104],
        [w[2]!, 0],
      ]),
    );
    d.run(
      post(2, 0, [
        [w[0]!, 255],
        [w[1]!, 96],
        [w[2]!, 200],
      ]),
    );
    const usdc0 = d.state.accounts.get(w[0]!)!.usdc;
    const ev = d.run({ type: 'closeAvailabilityDay', day: 0 });
    expect(ev.find((e) => e.type === 'AvailabilityClosed')).toMatchObject({ faulty: false });
    expect(ev.filter((e) => e.type === 'LicenceMined')).toEqual([
      { type: 'LicenceMined', day: 0, worker: w[0], amountMicroUsdc: 255_000n },
      { type: 'LicenceMined', day: 0, worker: w[1], amountMicroUsdc: 100_000n },
    ]);
    // Proposals (≥ 128): {w0}, {w0}, {w0, w2}; n = 3 → attempt at 2, accept at 2 matching.
    expect(ev.find((e) => e.type === 'PoaiAllocated')).toEqual({
      type: 'PoaiAllocated',
      day: 0,
      consensus: true,
      nodes: [w[0]],
      perNodeMicroUsdc: 43n,
      burnedMicroUsdc: 7n,
    });
    const r1 = d.state.ratio1!;
    expect(r1.escrowMicroUsdc).toBe(150n);
    expect(r1.burnedMicroUsdc).toBe(7n);
    expect(r1.mintedMicroUsdc).toBe(355_000n);
    expect(d.state.accounts.get(w[0]!)!.usdc - usdc0).toBe(255_000n + 43n);
    expect(d.state.workers.get(w[0]!)!.slashedMicroUsdc).toBe(0n);
  });

  it('a node without agreement makes the day faulty (everyone 255); split proposals keep the last agreed set', () => {
    const d = network();
    d.at(DAY).run({ type: 'startDay', day: 1 });
    d.run(
      post(0, 0, [
        [w[0]!, 255],
        [w[1]!, 255],
        [w[2]!, 0],
      ]),
    );
    d.run(
      post(1, 0, [
        [w[0]!, 0],
        [w[1]!, 255],
        [w[2]!, 255],
      ]),
    );
    d.run(
      post(2, 0, [
        [w[0]!, 255],
        [w[1]!, 0],
        [w[2]!, 255],
      ]),
    );
    // Each worker: median 255, two of three within 10 → agreed; proposals all differ.
    const ev = d.run({ type: 'closeAvailabilityDay', day: 0 });
    expect(ev.find((e) => e.type === 'PoaiAllocated')).toMatchObject({
      consensus: false,
      nodes: [],
    });
    expect(d.state.ratio1!.consensusFailedDays).toBe(1);
    d.at(2 * DAY).run({ type: 'startDay', day: 2 });
    d.run(
      post(0, 1, [
        [w[0]!, 250],
        [w[1]!, 0],
        [w[2]!, 0],
      ]),
    );
    d.run(
      post(1, 1, [
        [w[0]!, 0],
        [w[1]!, 0],
        [w[2]!, 0],
      ]),
    );
    d.run(
      post(2, 1, [
        [w[0]!, 125],
        [w[1]!, 0],
        [w[2]!, 0],
      ]),
    );
    // w0: median 125, only one within 10 → no agreement → faulty, everyone 255.
    const ev1 = d.run({ type: 'closeAvailabilityDay', day: 1 });
    expect(ev1.find((e) => e.type === 'AvailabilityClosed')).toMatchObject({
      faulty: true,
      unagreed: 1,
    });
    expect(ev1.filter((e) => e.type === 'LicenceMined').map((e) => e.amountMicroUsdc)).toEqual([
      255_000n,
      255_000n,
      255_000n,
    ]);
  });
});

describe("the owner's licence bans (rule 6)", () => {
  it('a banned licence mines nothing and the escrow pays it nothing, while the others are paid as before', () => {
    const d = network();
    d.at(EPOCH).run({ type: 'settle', epoch: 0 });
    d.at(2 * EPOCH).run({ type: 'settle', epoch: 1 });
    d.at(DAY).run({ type: 'startDay', day: 1 });
    d.run({ type: 'banLicence', owner: d.params.governor, worker: w[0]! });
    for (const o of [0, 1, 2])
      d.run(
        post(o, 0, [
          [w[0]!, 255],
          [w[1]!, 100],
          [w[2]!, 200],
        ]),
      );
    const usdc0 = d.state.accounts.get(w[0]!)!.usdc;
    const ev = d.run({ type: 'closeAvailabilityDay', day: 0 });
    expect(ev.filter((e) => e.type === 'LicenceMined')).toEqual([
      { type: 'LicenceMined', day: 0, worker: w[1], amountMicroUsdc: 100_000n },
      { type: 'LicenceMined', day: 0, worker: w[2], amountMicroUsdc: 200_000n },
    ]);
    // All three proposals are {w0, w2}; the agreed set keeps w0, but a banned node is not active.
    expect(ev.find((e) => e.type === 'PoaiAllocated')).toMatchObject({ nodes: [w[2]] });
    expect(d.state.accounts.get(w[0]!)!.usdc).toBe(usdc0);
  });
});

describe('invariant licenceBans', () => {
  it('catches a day close that forgot the bans (a planted bug), and is quiet on the real one', () => {
    const closeDay = (forgetBans: boolean) => {
      const d = network();
      d.at(DAY).run({ type: 'startDay', day: 1 });
      d.run({ type: 'banLicence', owner: d.params.governor, worker: w[0]! });
      for (const o of [0, 1, 2]) d.run(post(o, 0, [[w[0]!, 255]]));
      const books = d.state.ratio1!;
      const banned = books.banned!;
      const prev = cloneState(d.state);
      // The planted bug: the day close does not see the ban set.
      if (forgetBans) delete books.banned;
      const r = step(d.state, { type: 'closeAvailabilityDay', day: 0 }, d.nowMs, {
        verifier: simVerifier,
      });
      books.banned = banned;
      if (!r.ok) throw new Error(r.message);
      const out: InvariantViolation[] = [];
      checkBanStep({ prev, state: d.state, events: r.events, verifier: simVerifier }, out);
      return out;
    };
    expect(closeDay(false)).toEqual([]);
    expect(closeDay(true).map((v) => v.invariant)).toContain('licenceBans');
    expect(closeDay(true)[0]!.message).toMatch(/banned licence .* mined 255000 on day 0/);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { actionSchema, loggedActionSchema, parseAction, toJsonText } from './actionSchema.ts';
import { actionTypes } from './actions.ts';
import { intentsArb, paramsArb, runIntents } from './audit/randomRun.ts';
import { resolveParams } from './params.ts';
import { addr, hash32 } from './testing/fixtures.ts';

// Written for surviving mutants (docs/auditing.md): action files and traces are read with this
// schema, so every accepted action must survive a JSON round trip, and every malformed field
// must be refused with its path named.
const seed = Number(process.env.ONESIM_FC_SEED ?? 20261121);
const a1 = addr(0xabc, 1);
const h = hash32('x');

describe('action schema', () => {
  it('knows exactly the protocol’s action types', () => {
    const types = actionSchema.options.map((o) => o.shape.type.value as string);
    expect([...types].sort()).toEqual([...actionTypes].sort());
  });

  it('every accepted action of a random run reads back from its JSON unchanged', () => {
    const seen = new Set<string>();
    const [sample] = fc.sample(fc.tuple(paramsArb, intentsArb(320)), { seed, numRuns: 1 });
    const run = runIntents({ params: resolveParams(sample![0]), intents: sample![1] });
    for (const logged of run.log) {
      const text = toJsonText(logged);
      const back = loggedActionSchema.parse(JSON.parse(text));
      expect(toJsonText(back)).toBe(text);
      seen.add(logged.action.type);
    }
    expect(seen.size).toBeGreaterThan(12);
  });

  it('refuses malformed fields and names them', () => {
    const deposit = { type: 'deposit', account: a1, asset: 'usdc', amount: '5' };
    const submit = {
      type: 'submitJob',
      lane: 0,
      requester: a1,
      model: h,
      units: '1',
      requestHash: h,
    };
    const register = {
      type: 'registerWorker',
      worker: a1,
      models: [h],
      slots: 1,
      capacityCuPerSec: '1',
      bondMicroUsdc: '1',
      attestation: {
        worker: a1,
        identityHash: h,
        expiresAtMs: 1,
        attestor: a1,
        signature: '0xabcd',
      },
    };
    expect(parseAction(deposit)).toEqual({ ...deposit, amount: 5n });
    expect(parseAction({ ...deposit, amount: 7 })).toMatchObject({ amount: 7n });
    expect(parseAction({ ...deposit, amount: 8n })).toMatchObject({ amount: 8n });
    expect(parseAction(submit)).toMatchObject({ units: 1n, lane: 0 });
    expect(parseAction({ ...submit, lane: 1, reservationId: 3, deadlineMs: 9 })).toMatchObject({
      lane: 1,
      reservationId: 3,
    });
    expect(parseAction(register)).toMatchObject({ bondMicroUsdc: 1n });
    expect(parseAction({ ...register, attestation: undefined })).not.toHaveProperty(
      'attestation.worker',
    );
    expect(
      parseAction({
        type: 'reserve',
        sponsor: a1,
        model: null,
        rateCuPerSec: '1',
        durationMs: 1000,
      }),
    ).toMatchObject({ model: null });
    expect(
      parseAction({ type: 'proposeParams', proposer: a1, changes: { runwayDays: 3 } }),
    ).toMatchObject({ changes: { runwayDays: 3 } });
    const bad: Array<[object, string]> = [
      [{ ...deposit, type: 'nope' }, 'type'],
      [{ ...deposit, account: a1.toUpperCase().replace('0X', '0x') }, 'account'],
      [{ ...deposit, account: `${a1}0` }, 'account'],
      [{ ...deposit, account: `x${a1}` }, 'account'],
      [{ ...deposit, asset: 'eth' }, 'asset'],
      [{ ...deposit, amount: '-1' }, 'amount'],
      [{ ...deposit, amount: '1.5' }, 'amount'],
      [{ ...deposit, amount: '1a' }, 'amount'],
      [{ ...deposit, amount: 'a1' }, 'amount'],
      [{ ...deposit, amount: -1 }, 'amount'],
      [{ ...deposit, amount: 1.5 }, 'amount'],
      [{ ...submit, lane: 2 }, 'lane'],
      [{ ...submit, model: `${h}0` }, 'model'],
      [{ ...submit, model: `x${h}` }, 'model'],
      [{ ...submit, model: h.toUpperCase().replace('0X', '0x') }, 'model'],
      [{ ...submit, model: null }, 'model'],
      [{ ...submit, reservationId: -1 }, 'reservationId'],
      [{ ...submit, deadlineMs: 1.5 }, 'deadlineMs'],
      [{ ...register, slots: -1 }, 'slots'],
      [{ ...register, models: [`${h}0`] }, 'models'],
      [
        { ...register, attestation: { ...register.attestation, signature: '0xabc' } },
        'attestation',
      ],
      [{ ...register, attestation: { ...register.attestation, signature: 'abcd' } }, 'attestation'],
      [
        { ...register, attestation: { ...register.attestation, signature: 'zz0xabcd' } },
        'attestation',
      ],
      [
        { ...register, attestation: { ...register.attestation, signature: '0xabcg' } },
        'attestation',
      ],
      [
        { ...register, attestation: { ...register.attestation, signature: '0xABCD' } },
        'attestation',
      ],
      [{ ...register, attestation: { ...register.attestation, worker: 'x' } }, 'attestation'],
      [{ ...register, attestation: { ...register.attestation, expiresAtMs: -1 } }, 'attestation'],
      [{ type: 'proposeParams', proposer: a1, changes: 5 }, 'changes'],
      [{ type: 'claim', epoch: 0, worker: a1, amountMicroUsdc: '1', proof: [h, '0x12'] }, 'proof'],
    ];
    for (const [data, field] of bad) {
      const r = actionSchema.safeParse(data);
      expect(r.success, JSON.stringify(data)).toBe(false);
      expect(JSON.stringify(r.error!.issues.map((i) => i.path)), JSON.stringify(data)).toContain(
        field === 'type' ? '' : field,
      );
    }
    expect(() => parseAction({ ...deposit, account: 'bob' })).toThrow(/lower-case 0x address/);
    expect(() => parseAction({ ...submit, model: '0x1' })).toThrow(/64 lower-case hex digits/);
    expect(() => parseAction({ ...deposit, amount: 'x' })).toThrow(/non-negative integer/);
    expect(() =>
      parseAction({ ...register, attestation: { ...register.attestation, signature: '0x1' } }),
    ).toThrow(/expected 0x-prefixed lower-case hex/);
    // Each asset, in both directions.
    for (const type of ['deposit', 'withdraw'])
      for (const asset of ['usdc', 'one'])
        expect(parseAction({ ...deposit, type, asset })).toMatchObject({ type, asset });
  });

  it('toJsonText writes bigints as decimal strings, Maps as objects and Sets as arrays', () => {
    expect(toJsonText({ a: 5n, m: new Map([['k', 1n]]), s: new Set([1, 2]) })).toBe(
      '{"a":"5","m":{"k":"1"},"s":[1,2]}',
    );
    expect(toJsonText({ a: 1 }, 2)).toBe('{\n  "a": 1\n}');
  });
});

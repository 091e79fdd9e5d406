import { createHash } from 'node:crypto';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { toJsonText } from '../../protocol/actionSchema.ts';
import { intentsArb, runIntents, sealedParamsArb } from '../../protocol/audit/randomRun.ts';
import type { ProtocolEvent } from '../../protocol/events.ts';
import { type ParamsInput, resolveParams, sealedAuditOf } from '../../protocol/params.ts';
import { stateHash } from '../../protocol/stateHash.ts';
import {
  holderAddr,
  includedJob,
  smallNetwork,
  workerAddr,
} from '../../protocol/testing/network.ts';
import { shrinkBudget } from '../../protocol/testing/shrinkBudget.ts';
import type { Hex, SealedMode, State } from '../../protocol/types.ts';
import { generateSealingKeyPair, seal } from '../io/sealing.ts';

const sha256hex = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

/** Every way a payload could sit in a stored text: as is, hex, base64, or its digest. */
function cleartextForms(plaintext: string): string[] {
  const b = Buffer.from(plaintext);
  return [plaintext, b.toString('hex'), b.toString('base64'), sha256hex(b)];
}

const stateText = (s: State) =>
  JSON.stringify(s, (_k, v) =>
    typeof v === 'bigint' ? `${v}` : v instanceof Map || v instanceof Set ? [...v] : v,
  );

/**
 * A day of sealed jobs through the protocol: each payload sealed to the worker's X25519 key, the
 * job's requestHash the digest of the box (what a requester submits), the result digest that of
 * a box sealed back to the requester. `clearHashes` submits sha256(plaintext) instead: the control
 * that shows the search below finds a payload that is stored.
 */
function runSealedDay(payloads: string[], mode: SealedMode, clearHashes = false) {
  const d = smallNetwork({ params: { auditSampleRate: { num: 1n, den: 1n } } });
  const worker = generateSealingKeyPair();
  const requester = generateSealingKeyPair();
  const events: ProtocolEvent[] = [];
  for (const [i, text] of payloads.entries()) {
    const box = seal({ plaintext: text, recipientPublicKey: worker.publicKey });
    const requestHash: Hex = `0x${clearHashes ? sha256hex(text) : sha256hex(JSON.stringify(box))}`;
    d.at(1_000 + i * 10);
    events.push(...d.run({ ...includedJob(holder0, 5n), requestHash, sealed: mode }));
    events.push(...d.run({ type: 'dispatch' }));
    const result = seal({
      plaintext: `result of ${text}`,
      recipientPublicKey: requester.publicKey,
    });
    const job = [...d.state.jobs.values()].at(-1)!;
    events.push(...d.complete(job.id, `0x${sha256hex(JSON.stringify(result))}`));
  }
  const epochMs = d.params.settlementEpochMs;
  for (const e of [1, 2, 3]) {
    d.at(e * epochMs);
    events.push(...d.run({ type: 'settle', epoch: e - 1 }));
  }
  const stored = [
    stateText(d.state),
    JSON.stringify(events, (_k, v) => (typeof v === 'bigint' ? `${v}` : v)),
    ...d.log.map((l) => toJsonText(l)),
  ].join('\n');
  return { stored, state: d.state };
}
const holder0 = holderAddr(0);

describe('sealed jobs: a sealed payload is never stored in clear', () => {
  test.prop(
    [
      fc.uniqueArray(fc.string({ minLength: 12, maxLength: 40 }), { minLength: 1, maxLength: 4 }),
      fc.constantFrom<SealedMode>('auditable', 'private'),
    ],
    { seed: 7, numRuns: 15, plugins: [shrinkBudget()] },
  )(
    'state, events and the action log hold no payload, hex, base64 or digest of it',
    (raw, mode) => {
      const payloads = raw.map((s, i) => `sealed-marker-${i}-${s}`);
      const { stored, state } = runSealedDay(payloads, mode);
      for (const p of payloads)
        for (const form of cleartextForms(p)) expect(stored).not.toContain(form);
      expect([...state.jobs.values()].every((j) => j.sealed === mode)).toBe(true);
    },
  );

  it('the search finds a payload digest that is stored (the control: the property can fail)', () => {
    const payloads = ['sealed-marker-control-0123456789'];
    const { stored } = runSealedDay(payloads, 'private', true);
    expect(cleartextForms(payloads[0]!).some((f) => stored.includes(f))).toBe(true);
  });
});

// Proof-of-AI on sealed jobs follows the policy: no audit opens on a job no oracle may read.
test.prop([sealedParamsArb, intentsArb()], { seed: 11, numRuns: 30, plugins: [shrinkBudget()] })(
  'an audit opens on a sealed job only where sealedAudit allows it',
  (p: ParamsInput, intents) => {
    const params = resolveParams(p);
    const policy = sealedAuditOf(params);
    runIntents({
      params,
      intents,
      onEvents: (events, state) => {
        for (const e of events) {
          if (e.type !== 'AuditOpened') continue;
          const mode = state.jobs.get(e.jobId)?.sealed;
          // The rule written out, not imported from the handler it checks.
          const allowed = policy === 'tee' || (policy === 'opt-in' && mode === 'auditable');
          if (mode !== undefined) expect(allowed, `${policy} ${mode}`).toBe(true);
        }
      },
    });
  },
);

it('with every receipt sampled, sealed jobs are audited per policy: opt-in (auditable only), tee (all), unaudited (none)', () => {
  const audited = (policy: 'opt-in' | 'tee' | 'unaudited', mode: SealedMode) => {
    const d = smallNetwork({
      params: { auditSampleRate: { num: 1n, den: 1n }, sealedAudit: policy },
    });
    d.run({ type: 'registerOracle', proposer: d.params.governor, oracle: workerAddr(90) });
    d.run({ type: 'registerOracle', proposer: d.params.governor, oracle: workerAddr(91) });
    d.at(1_000).run({ ...includedJob(holder0, 5n), sealed: mode });
    d.run({ type: 'dispatch' });
    d.complete(1);
    const events = d.at(d.params.settlementEpochMs).run({ type: 'settle', epoch: 0 });
    return events.some((e) => e.type === 'AuditOpened');
  };
  expect(audited('opt-in', 'auditable')).toBe(true);
  expect(audited('opt-in', 'private')).toBe(false);
  expect(audited('tee', 'private')).toBe(true);
  expect(audited('unaudited', 'auditable')).toBe(false);
});

it('the state hash covers a job’s sealed mode, and an unsealed job carries no sealed field', () => {
  const hashOf = (mode?: SealedMode) => {
    const d = smallNetwork();
    // The same request each time (includedJob numbers its requests): only the mode differs.
    const requestHash: Hex = `0x${'ab'.repeat(32)}`;
    d.at(1_000).run({
      ...includedJob(holder0, 5n),
      requestHash,
      ...(mode ? { sealed: mode } : {}),
    });
    return { hash: stateHash(d.state), job: d.state.jobs.get(1)! };
  };
  const clear = hashOf();
  expect('sealed' in clear.job).toBe(false);
  expect(hashOf().hash).toBe(clear.hash);
  const hashes = new Set([clear.hash, hashOf('private').hash, hashOf('auditable').hash]);
  expect(hashes.size).toBe(3);
});

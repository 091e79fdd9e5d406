import { describe, expect, it } from 'vitest';
import { honestReason } from '../../protocol/audit/honest.ts';
import { runIntents } from '../../protocol/audit/randomRun.ts';
import { step } from '../../protocol/step.ts';
import { caseParams } from './auditCase.ts';
import { caseSeedOf } from './runAudit.ts';
import { sampleCase } from './shrink.ts';

// The `honestAccepted` check (protocol/audit/honest.ts) must be exact — no action it calls
// honest is refused by the protocol as it is — and, on what the audit's generator builds, it
// should miss nothing: an action the protocol accepts is one its rules call honest. Both over
// the first 100 runs of `onesim audit --seed 1`; each kind the generator builds honestly is met.
describe('honestReason agrees with the protocol on the audit’s actions', () => {
  const honest = new Map<string, number>();
  const disagree: string[] = [];
  for (let run = 0; run < 100; run++) {
    const c = sampleCase(caseSeedOf(1, run), 160);
    runIntents({
      params: caseParams(c),
      intents: c.intents,
      options: c.adversaries,
      checkRejections: false,
      stepFn: (state, action, nowMs, env) => {
        const reason = honestReason(state, action, nowMs);
        const r = step(state, action, nowMs, env);
        if (reason !== null) honest.set(action.type, (honest.get(action.type) ?? 0) + 1);
        if (r.ok !== (reason !== null))
          disagree.push(`run ${run}: ${action.type} ${r.ok ? 'accepted' : r.code}: ${reason}`);
        return r;
      },
    });
  }

  it('accepts exactly the actions it calls honest', () => {
    expect(disagree).toEqual([]);
  });

  it('meets honest actions of every kind the generator builds', () => {
    for (const type of [
      'deposit',
      'withdraw',
      'fundTreasury',
      'stake',
      'unstake',
      'reserve',
      'endReservation',
      'submitJob',
      'leaseJob',
      'completeJob',
      'failJob',
      'claim',
      'auditVerdict',
      'registerWorker',
      'topUpBond',
      'postAvailability',
      'settle',
      'startDay',
    ])
      expect(honest.get(type) ?? 0, type).toBeGreaterThan(0);
  });
});
